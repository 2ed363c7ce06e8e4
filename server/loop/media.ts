import fs from "node:fs/promises";
import type { Config } from "../config";
import type { ModelProvider } from "../pipeline/providers";
import type { Media } from "../pipeline/revise";
import { resolveExistingVideoPath } from "../videos/storage";
import { extractFrames, ffmpegAvailable } from "./frames";
import type { LoopTask } from "./taskFacts";

/** Gemini takes inline video up to about 20 MB; larger clips go as frames. */
const MAX_INLINE_VIDEO_BYTES = 18 * 1024 * 1024;

/**
 * How the clip reaches the model. The rules provider reads only the labels (text). Other providers get the video
 * itself when the project asks for "video" and the provider takes bytes (gemini), else sampled frames when ffmpeg
 * is installed, else text only — a missing clip or a failed extraction also degrades to text, never fails the run.
 */
export async function mediaFor(config: Config, provider: ModelProvider, task: LoopTask, log: (m: string) => void): Promise<Media> {
  const text: Media = { mode: "text" };
  const wanted = task.settings.inputMode ?? "frames";
  if (provider.name === "rules" || wanted === "text") return text;
  const file = await resolveExistingVideoPath(config, { storage: task.videoStorage, path: task.videoPath });
  if (!file) return text;
  try {
    if (wanted === "video" && provider.name === "gemini" && task.videoSize <= MAX_INLINE_VIDEO_BYTES) {
      return { mode: "video", video: { mime: task.videoMime, base64: (await fs.readFile(file)).toString("base64") } };
    }
    if (!(await ffmpegAvailable())) return text;
    const images = await extractFrames(file, task.durationSec);
    return images.length ? { mode: "frames", images } : text;
  } catch (err) {
    log(`loop: no frames for task ${task.id}, using text only: ${String(err)}`);
    return text;
  }
}
