import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { stepFrames } from "../../../../shared/timecode";
import type { PlayerHandle } from "../player/types";

export const SPEEDS = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2] as const;
const SHUTTLE = [1, 2, 4] as const;

export type Loop = { start: number; end: number } | null;

export type Player = PlayerHandle & {
  videoRef: React.RefObject<HTMLVideoElement | null>;
  time: number;
  playing: boolean;
  /** Playback speed chosen with [ / ] or the menu; the shuttle runs on top of it. */
  speed: number;
  /** Negative while shuttling backwards. */
  shuttle: number;
  loop: Loop;
  measuredDuration: number | null;
  togglePlay(): void;
  pause(): void;
  step(frames: number): void;
  setSpeed(speed: number): void;
  nudgeSpeed(direction: 1 | -1): void;
  shuttleForward(): void;
  shuttleBack(): void;
  setLoop(loop: Loop): void;
  /** Event props for the <video> element. */
  videoProps: Pick<
    React.VideoHTMLAttributes<HTMLVideoElement>,
    "onPlay" | "onPause" | "onEnded" | "onTimeUpdate" | "onSeeked" | "onLoadedMetadata"
  >;
};

/**
 * The room's transport over a <video>: frame stepping from the clip's fps, J/K/L shuttle (browsers cannot play
 * backwards, so reverse is driven frame by frame), speed, and looping a range.
 */
export function usePlayer(durationSec: number | null, fps: number | null): Player {
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const [time, setTime] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeedState] = useState(1);
  const [shuttle, setShuttle] = useState(0);
  const [loop, setLoop] = useState<Loop>(null);
  const [measuredDuration, setMeasured] = useState<number | null>(null);
  const duration = durationSec ?? measuredDuration;
  const loopRef = useRef<Loop>(null);
  loopRef.current = loop;

  const seek = useCallback(
    (seconds: number) => {
      const v = videoRef.current;
      if (!v || !Number.isFinite(seconds)) return;
      const end = Number.isFinite(v.duration) ? v.duration : (duration ?? seconds);
      v.currentTime = Math.max(0, Math.min(end, seconds));
      setTime(v.currentTime);
    },
    [duration],
  );

  const pause = useCallback(() => {
    videoRef.current?.pause();
    setShuttle(0);
  }, []);

  // Playing: follow every frame (timeupdate is ~4 Hz), loop the range, and drive reverse shuttle.
  useEffect(() => {
    if (!playing && shuttle >= 0) return;
    let raf = 0;
    let last = performance.now();
    const tick = (now: number) => {
      const v = videoRef.current;
      if (v) {
        if (shuttle < 0) {
          const next = v.currentTime + ((now - last) / 1000) * shuttle * speed;
          v.currentTime = Math.max(0, next);
          if (next <= 0) setShuttle(0);
        }
        const l = loopRef.current;
        if (l && l.end > l.start && (v.currentTime >= l.end || v.currentTime < l.start - 0.05) && shuttle >= 0) v.currentTime = l.start;
        setTime(v.currentTime);
      }
      last = now;
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [playing, shuttle, speed]);

  useEffect(() => {
    const v = videoRef.current;
    if (v) v.playbackRate = speed * (shuttle > 0 ? shuttle : 1);
  }, [speed, shuttle]);

  const play = useCallback(() => {
    const v = videoRef.current;
    if (!v) return;
    const l = loopRef.current;
    if (l && (v.currentTime >= l.end || v.currentTime < l.start)) v.currentTime = l.start;
    void v.play().catch(() => undefined);
  }, []);

  return useMemo<Player>(
    () => ({
      videoRef,
      time,
      playing: playing || shuttle < 0,
      speed,
      shuttle,
      loop,
      measuredDuration,
      duration,
      fps,
      currentTime: () => videoRef.current?.currentTime ?? 0,
      paused: () => !(playing || shuttle < 0),
      seek,
      pause,
      togglePlay: () => {
        const v = videoRef.current;
        if (!v) return;
        if (v.paused && shuttle >= 0) {
          setShuttle(0);
          play();
        } else pause();
      },
      step: (frames: number) => {
        const v = videoRef.current;
        if (!v) return;
        pause();
        seek(stepFrames(v.currentTime, frames, fps, Number.isFinite(v.duration) ? v.duration : duration));
      },
      setSpeed: (s: number) => setSpeedState(s),
      nudgeSpeed: (direction: 1 | -1) =>
        setSpeedState((s) => {
          const i = SPEEDS.findIndex((x) => x >= s - 1e-9);
          return SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, (i < 0 ? SPEEDS.length - 1 : i) + direction))] ?? 1;
        }),
      shuttleForward: () => {
        const next = shuttle > 0 ? (SHUTTLE.find((x) => x > shuttle) ?? shuttle) : 1;
        videoRef.current?.pause();
        setShuttle(next);
        play();
      },
      shuttleBack: () => {
        const next = shuttle < 0 ? -(SHUTTLE.find((x) => x > -shuttle) ?? -shuttle) : -1;
        videoRef.current?.pause();
        setShuttle(next);
      },
      setLoop,
      videoProps: {
        onPlay: () => setPlaying(true),
        onPause: () => setPlaying(false),
        onEnded: () => setPlaying(false),
        onTimeUpdate: (e) => setTime(e.currentTarget.currentTime),
        onSeeked: (e) => setTime(e.currentTarget.currentTime),
        onLoadedMetadata: (e) => {
          const v = e.currentTarget;
          if (Number.isFinite(v.duration) && v.duration > 0) setMeasured(v.duration);
        },
      },
    }),
    [time, playing, speed, shuttle, loop, measuredDuration, duration, fps, seek, pause, play],
  );
}

