import type { ProbeResult } from "./probe";

/** Codecs every current browser plays in a <video> element (WebM: VP8/VP9/AV1; MP4: H.264, AV1). */
const PLAYABLE_CODECS = new Set(["avc", "vp8", "vp9", "av1"]);
const CODEC_NAMES: Record<string, string> = { avc: "H.264", hevc: "H.265 (HEVC)", vp8: "VP8", vp9: "VP9", av1: "AV1" };

/** Container frame rates; a measured 24.002 is a 24 fps clip whose last packet is a little short. */
const COMMON_RATES = [23.976, 24, 25, 29.97, 30, 48, 50, 59.94, 60, 120];

export function snapFrameRate(rate: number): number | null {
  if (!Number.isFinite(rate) || rate <= 0) return null;
  const near = COMMON_RATES.find((r) => Math.abs(r - rate) < 0.01);
  return near ?? Math.round(rate * 1000) / 1000;
}

export type MediaInspection =
  | { ok: true; meta: ProbeResult; codec: string; mimeType: string }
  | { ok: false; problem: string };

const CONVERT = "convert it to WebM (VP9) or MP4 (H.264)";

/**
 * Reads a clip's container and first video track with mediabunny (pure TypeScript, no ffprobe needed) and says
 * whether a browser can play it. Only the container's index and the first packets are read, so a large file is
 * cheap. Never throws: an unreadable file is an answer ({ ok: false, problem }) in words a person can act on.
 */
export async function inspectMedia(file: string, name = "This file"): Promise<MediaInspection> {
  // Loaded on the first clip, not at start: mediabunny's ~70 modules cost the idle server several MB.
  const { ALL_FORMATS, FilePathSource, Input } = await import("mediabunny");
  const input = new Input({ formats: ALL_FORMATS, source: new FilePathSource(file) });
  try {
    const format = await input.getFormat().catch(() => null);
    if (!format) return { ok: false, problem: `${name} is not a video we can read; ${CONVERT}.` };
    if (format.name !== "WebM" && format.name !== "MP4") {
      return { ok: false, problem: `${name} is a ${format.name} file, which browsers cannot play; ${CONVERT}.` };
    }
    const track = await input.getPrimaryVideoTrack();
    if (!track) return { ok: false, problem: `${name} has no video track.` };
    const codec = track.codec ?? "unknown";
    if (!PLAYABLE_CODECS.has(codec)) {
      const label = CODEC_NAMES[codec] ?? codec;
      return { ok: false, problem: `This clip uses codec ${label}, which browsers cannot play; ${CONVERT}.` };
    }
    const [duration, stats] = await Promise.all([input.computeDuration(), track.computePacketStats(100)]);
    const meta: ProbeResult = {
      durationSec: duration > 0 ? Math.round(duration * 1000) / 1000 : null,
      fps: snapFrameRate(stats.averagePacketRate),
      width: track.displayWidth > 0 ? track.displayWidth : null,
      height: track.displayHeight > 0 ? track.displayHeight : null,
    };
    return { ok: true, meta, codec, mimeType: format.name === "WebM" ? "video/webm" : "video/mp4" };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { ok: false, problem: `${name} could not be read as a video (${reason}); ${CONVERT}.` };
  } finally {
    input.dispose();
  }
}
