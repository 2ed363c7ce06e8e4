import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Frame } from "../pipeline/providers";

/**
 * Sampled frames for providers that read images (openai-compatible vision models, gemini): ffmpeg extracts N JPEG
 * frames spread evenly over the clip, each with the time it was taken, so the model can place a critique's time
 * range. Without ffmpeg on the server the loop falls back to text only.
 */

export const DEFAULT_FRAME_COUNT = 8;
const MAX_FRAME_COUNT = 32;
const FRAME_WIDTH = 512;

let available: Promise<boolean> | undefined;

/** Whether ffmpeg can be run (checked once per process). */
export function ffmpegAvailable(): Promise<boolean> {
  available ??= new Promise((resolve) => {
    const p = spawn("ffmpeg", ["-version"], { stdio: "ignore" });
    p.on("error", () => resolve(false));
    p.on("exit", (code) => resolve(code === 0));
  });
  return available;
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (c: Buffer) => (stdout = (stdout + c.toString()).slice(-4000)));
    p.stderr.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
    const timer = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    p.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    p.on("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${cmd} exited with ${code}: ${stderr.trim().split("\n").pop() ?? ""}`));
    });
  });
}

/** The clip's length from its container (ffprobe ships with ffmpeg); null when it cannot be read. */
export async function probeDuration(file: string): Promise<number | null> {
  try {
    const out = await run("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", file], 30_000);
    const d = Number(out.trim());
    return Number.isFinite(d) && d > 0 ? d : null;
  } catch {
    return null;
  }
}

/** When each of `count` evenly sampled frames was taken: ffmpeg's fps filter at count/d emits frame k at k·d/count. */
export function frameTimes(count: number, durationSec: number): number[] {
  return Array.from({ length: count }, (_, k) => Math.round(((k * durationSec) / count) * 1000) / 1000);
}

/**
 * N frames of `file` as base64 JPEGs, evenly spaced over the clip, each with its time, and the clip's length. The
 * duration is probed when not known; if it cannot be, the first N frames are taken and their times are unknown.
 */
export async function sampleFrames(file: string, durationSec: number | null, n = DEFAULT_FRAME_COUNT): Promise<{ frames: Frame[]; durationSec: number | null }> {
  const count = Math.max(1, Math.min(MAX_FRAME_COUNT, Math.floor(n)));
  const duration = durationSec && durationSec > 0 ? durationSec : await probeDuration(file);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "chai-frames-"));
  try {
    const rate = duration ? `fps=${count / duration},` : "";
    await run(
      "ffmpeg",
      ["-hide_banner", "-loglevel", "error", "-i", file, "-vf", `${rate}scale=${FRAME_WIDTH}:-2`, "-frames:v", String(count), "-q:v", "4", path.join(dir, "f%03d.jpg")],
      60_000,
    );
    const names = (await fs.readdir(dir)).filter((f) => f.endsWith(".jpg")).sort();
    const times = duration ? frameTimes(count, duration) : [];
    const frames = await Promise.all(
      names.map(async (name, k) => ({
        mime: "image/jpeg",
        base64: (await fs.readFile(path.join(dir, name))).toString("base64"),
        atSec: times[k] ?? null,
      })),
    );
    return { frames, durationSec: duration };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The frames of sampleFrames alone. */
export async function extractFrames(file: string, durationSec: number | null, n = DEFAULT_FRAME_COUNT): Promise<Frame[]> {
  return (await sampleFrames(file, durationSec, n)).frames;
}
