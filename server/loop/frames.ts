import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { MediaPart } from "../pipeline/providers";

/**
 * Sampled frames for providers that read images (openai-compatible vision models, gemini): ffmpeg extracts N JPEG
 * frames spread evenly over the clip. Without ffmpeg on the server the loop falls back to text only.
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

function run(args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn("ffmpeg", args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    p.stderr.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
    const timer = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    p.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    p.on("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg exited with ${code}: ${stderr.trim().split("\n").pop() ?? ""}`));
    });
  });
}

/** N frames of `file` as base64 JPEGs, evenly spaced over `durationSec` (the first N frames when unknown). */
export async function extractFrames(file: string, durationSec: number | null, n = DEFAULT_FRAME_COUNT): Promise<MediaPart[]> {
  const count = Math.max(1, Math.min(MAX_FRAME_COUNT, Math.floor(n)));
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "chai-frames-"));
  try {
    const rate = durationSec && durationSec > 0 ? `fps=${count / durationSec},` : "";
    await run(
      ["-hide_banner", "-loglevel", "error", "-i", file, "-vf", `${rate}scale=${FRAME_WIDTH}:-2`, "-frames:v", String(count), "-q:v", "4", path.join(dir, "f%03d.jpg")],
      60_000,
    );
    const names = (await fs.readdir(dir)).filter((f) => f.endsWith(".jpg")).sort();
    return Promise.all(
      names.map(async (name) => ({ mime: "image/jpeg", base64: (await fs.readFile(path.join(dir, name))).toString("base64") })),
    );
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
