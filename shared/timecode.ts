/**
 * Frame-accurate media time: HH:MM:SS:FF timecode and frame arithmetic from a clip's frame rate. Shared so the
 * room, the labelling panel and exports count frames the same way.
 */
const pad = (n: number) => String(n).padStart(2, "0");

/** Used when a clip's rate is unknown: stepping still moves by a plausible frame. */
export const FALLBACK_FPS = 24;

function clock(wholeSeconds: number): string {
  const hh = Math.floor(wholeSeconds / 3600);
  const mm = Math.floor((wholeSeconds % 3600) / 60);
  return `${pad(hh)}:${pad(mm)}:${pad(wholeSeconds % 60)}`;
}

const validRate = (fps: number | null): fps is number => fps !== null && Number.isFinite(fps) && fps > 0;

/** The frame shown at `seconds` (0-based); the epsilon keeps float error (0.49999…) from reading one frame early. */
export function frameAt(seconds: number, fps: number): number {
  const t = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  return Math.floor(t * fps + 1e-6);
}

/**
 * The time to seek to for frame `frame`: the middle of the frame, so a decoder rounding either way lands on it
 * (seeking to the exact boundary can show the previous frame).
 */
export function timeOfFrame(frame: number, fps: number): number {
  return (Math.max(0, Math.round(frame)) + 0.5) / fps;
}

/** The time `frames` frames away from `seconds` (negative = back), clamped to [0, duration]. */
export function stepFrames(seconds: number, frames: number, fps: number | null, duration: number | null): number {
  const rate = validRate(fps) ? fps : FALLBACK_FPS;
  let target = timeOfFrame(frameAt(seconds, rate) + frames, rate);
  if (frameAt(seconds, rate) + frames < 0) target = 0;
  if (duration !== null && Number.isFinite(duration)) target = Math.min(target, Math.max(0, duration - 1e-3));
  return target;
}

/**
 * Non-drop-frame timecode HH:MM:SS:FF for a media time, as editors show it: frames are counted at the real rate and
 * labelled at the nominal one (29.97 fps counts 30 labels per second). Without a known rate the frame field is "--".
 */
export function formatTimecode(seconds: number, fps: number | null): string {
  const t = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  if (!validRate(fps)) return `${clock(Math.floor(t))}:--`;
  const base = Math.max(1, Math.round(fps));
  const totalFrames = frameAt(t, fps);
  return `${clock(Math.floor(totalFrames / base))}:${pad(totalFrames % base)}`;
}

/** "HH:MM:SS:FF" (or "MM:SS:FF") → seconds at the start of that frame; null when it does not read as a timecode. */
export function parseTimecode(text: string, fps: number): number | null {
  const m = /^\s*(?:(\d{1,2}):)?(\d{1,2}):(\d{1,2})[:;](\d{1,3})\s*$/.exec(text);
  if (!m || !validRate(fps)) return null;
  const [hh, mm, ss, ff] = [Number(m[1] ?? 0), Number(m[2]), Number(m[3]), Number(m[4])];
  const base = Math.max(1, Math.round(fps));
  if (mm > 59 || ss > 59 || ff >= base) return null;
  const frames = (hh * 3600 + mm * 60 + ss) * base + ff;
  return frames / fps;
}

/** Short human duration for metadata: "4.0 s", "1:05", "1:02:03". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** Frame rate for display: "24 fps", "29.97 fps". */
export function formatFps(fps: number | null): string {
  if (fps === null || !Number.isFinite(fps)) return "—";
  return `${Number.isInteger(fps) ? fps : fps.toFixed(2)} fps`;
}
