import { useEffect, useMemo, useRef, useState, type CSSProperties } from "react";
import { hasModifier, isTypingTarget, ownsSpace } from "../../ui/keys";
import type { MeasuredMetadata } from "./metadata";
import { formatTimecode } from "./timecode";
import type { PlayerHandle } from "./types";


type Props = {
  src: string;
  title: string;
  /** Stored values; null = unknown (the player then uses what the browser measures, where it can). */
  durationSec: number | null;
  fps: number | null;
  onHandle?(handle: PlayerHandle): void;
  onMetadata?(measured: MeasuredMetadata): void;
};

/**
 * The clip, native controls, and a frame-accurate timecode under it. Keyboard (outside text fields): Space or k
 * play/pause, ← / → one frame back/forward, Shift+← / Shift+→ one second.
 */
export function VideoPlayer({ src, title, durationSec, fps, onHandle, onMetadata }: Props) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [time, setTime] = useState(0);
  const [measuredDuration, setMeasuredDuration] = useState<number | null>(null);
  const [paused, setPaused] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const duration = durationSec ?? measuredDuration;

  const handle = useMemo<PlayerHandle>(
    () => ({
      currentTime: () => videoRef.current?.currentTime ?? 0,
      seek: (seconds: number) => {
        const v = videoRef.current;
        if (!v || !Number.isFinite(seconds)) return;
        const end = Number.isFinite(v.duration) ? v.duration : (duration ?? seconds);
        v.currentTime = Math.max(0, Math.min(end, seconds));
      },
      duration,
      fps,
      paused: () => videoRef.current?.paused ?? true,
    }),
    [duration, fps],
  );

  useEffect(() => onHandle?.(handle), [handle, onHandle]);

  // The timecode follows every frame while playing, not just the ~4 Hz timeupdate events.
  useEffect(() => {
    if (paused) return;
    let raf = 0;
    const tick = () => {
      setTime(videoRef.current?.currentTime ?? 0);
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [paused]);

  useEffect(() => {
    const step = fps && fps > 0 ? 1 / fps : 1 / 24;
    const onKey = (e: KeyboardEvent) => {
      // A panel that handled the key itself (its own arrow navigation) called preventDefault: leave it.
      if (e.defaultPrevented || hasModifier(e) || isTypingTarget(e.target)) return;
      const v = videoRef.current;
      if (!v) return;
      // Let a focused button, checkbox or the native controls handle their own Space.
      if ((e.key === " " && ownsSpace(e.target)) || e.target === v) return;
      if (e.key === " " || e.key === "k") {
        e.preventDefault();
        if (v.paused) void v.play().catch(() => undefined);
        else v.pause();
      } else if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
        e.preventDefault();
        v.pause();
        const delta = (e.shiftKey ? 1 : step) * (e.key === "ArrowLeft" ? -1 : 1);
        handle.seek(v.currentTime + delta);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [fps, handle]);

  const togglePlay = () => {
    const v = videoRef.current;
    if (!v) return;
    if (v.paused) void v.play().catch(() => undefined);
    else v.pause();
  };
  const frameStep = fps && fps > 0 ? 1 / fps : "any";

  return (
    <div className="player">
      <div className="player-frame">
        <video
          ref={videoRef}
          src={src}
          preload="auto"
          playsInline
          muted
          aria-label={`Clip: ${title}`}
          data-testid="task-video"
          onClick={togglePlay}
          onLoadedMetadata={(e) => {
            const v = e.currentTarget;
            setError(null);
            if (Number.isFinite(v.duration) && v.duration > 0) {
              setMeasuredDuration(v.duration);
              if (v.videoWidth > 0 && v.videoHeight > 0) {
                onMetadata?.({ durationSec: v.duration, width: v.videoWidth, height: v.videoHeight });
              }
            }
          }}
          onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
          onSeeked={(e) => setTime(e.currentTarget.currentTime)}
          onPlay={() => setPaused(false)}
          onPause={() => setPaused(true)}
          onEnded={() => setPaused(true)}
          onError={() => setError("This clip could not be loaded or is in a format this browser cannot play.")}
        />
      </div>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      <div className="transport">
        <button type="button" className="btn btn-icon" aria-label={paused ? "Play" : "Pause"} onClick={togglePlay}>
          {paused ? "▶" : "❚❚"}
        </button>
        <output className="timecode" aria-label="Timecode" data-testid="timecode">
          {formatTimecode(time, fps)}
        </output>
        <input
          type="range"
          className="scrubber"
          aria-label="Playhead"
          min={0}
          max={duration ?? 0}
          step={frameStep}
          value={Math.min(time, duration ?? time)}
          disabled={duration === null}
          onChange={(e) => handle.seek(Number(e.currentTarget.value))}
          style={{ "--progress": `${duration ? (100 * time) / duration : 0}%` } as CSSProperties}
        />
        <span className="timecode-total">{duration !== null ? formatTimecode(duration, fps) : "--:--:--:--"}</span>
        <span
          className="transport-hint"
          title="Space: play/pause · ←/→: one frame · Shift+←/→: one second · click the picture: play/pause"
        >
          <kbd>Space</kbd> <kbd>←</kbd>
          <kbd>→</kbd>
        </span>
      </div>
    </div>
  );
}
