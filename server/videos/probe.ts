import { execFile } from "node:child_process";
import { z } from "zod";
import { inspectMedia } from "./mediaProbe";

export type ProbeResult = { durationSec: number | null; fps: number | null; width: number | null; height: number | null };

const FfprobeOutput = z.object({
  streams: z
    .array(
      z.object({
        width: z.number().optional(),
        height: z.number().optional(),
        r_frame_rate: z.string().optional(),
        avg_frame_rate: z.string().optional(),
        duration: z.string().optional(),
      }),
    )
    .default([]),
  format: z.object({ duration: z.string().optional() }).optional(),
});

/** "24000/1001" → 23.976…; null for "0/0" and junk. */
export function parseRate(rate: string | undefined): number | null {
  if (!rate) return null;
  const [n, d = "1"] = rate.split("/");
  const value = Number(n) / Number(d);
  return Number.isFinite(value) && value > 0 ? value : null;
}

function positive(value: string | number | undefined): number | null {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? n : null;
}

/** Pure: ffprobe's JSON (first video stream + format) → our metadata. */
export function parseFfprobe(json: unknown): ProbeResult | null {
  const parsed = FfprobeOutput.safeParse(json);
  if (!parsed.success) return null;
  const stream = parsed.data.streams[0];
  if (!stream) return null;
  return {
    durationSec: positive(stream.duration) ?? positive(parsed.data.format?.duration),
    fps: parseRate(stream.r_frame_rate) ?? parseRate(stream.avg_frame_rate),
    width: positive(stream.width),
    height: positive(stream.height),
  };
}

/**
 * Duration, frame rate and size of a clip: read with mediabunny (no external tool needed); ffprobe, when installed,
 * is the fallback for a file mediabunny cannot read. Null when neither can.
 */
export async function probeVideo(file: string): Promise<ProbeResult | null> {
  const inspected = await inspectMedia(file);
  if (inspected.ok) return inspected.meta;
  return probeWithFfprobe(file);
}

/** Probes a clip with ffprobe; null when ffprobe is not installed or cannot read the file. */
export function probeWithFfprobe(file: string): Promise<ProbeResult | null> {
  const args = ["-v", "error", "-select_streams", "v:0", "-show_streams", "-show_format", "-print_format", "json", file];
  return new Promise((resolve) => {
    execFile("ffprobe", args, { timeout: 30_000, maxBuffer: 4 * 1024 * 1024 }, (err, stdout) => {
      if (err) return resolve(null);
      try {
        resolve(parseFfprobe(JSON.parse(stdout)));
      } catch {
        resolve(null);
      }
    });
  });
}
