import type { Config } from "../config";
import type { ModelProvider } from "../pipeline/providers";
import type { Media } from "../pipeline/revise";
import { resolveExistingVideoPath } from "../videos/storage";
import { ffmpegAvailable, sampleFrames } from "./frames";
import type { LoopTask } from "./taskFacts";

/**
 * How the clip reaches the model, by what the provider takes (ModelProvider.media). The rules provider reads only
 * the labels (text). A project asking for "video" sends the clip itself to a provider that takes video (vLLM as a
 * video_url part, Gemini inline or through its Files API — never silently shortened); to one that does not
 * (OpenAI, Ollama) it sends sampled frames with their times, and says so in the log. "frames" sends sampled
 * frames with their times when ffmpeg is installed. A missing clip, no ffmpeg or a failed extraction degrades to
 * text, never fails the run.
 */
export async function mediaFor(config: Config, provider: ModelProvider, task: LoopTask, log: (m: string) => void): Promise<Media> {
  const text: Media = { mode: "text" };
  const wanted = task.settings.inputMode ?? "frames";
  const takes = provider.media;
  if (!takes || provider.name === "rules" || wanted === "text") return text;
  const file = await resolveExistingVideoPath(config, { storage: task.videoStorage, path: task.videoPath });
  if (!file) return text;
  try {
    if (wanted === "video") {
      if (takes.video) {
        return { mode: "video", videoFile: { path: file, mime: task.videoMime, sizeBytes: task.videoSize }, durationSec: task.durationSec };
      }
      log(`loop: ${provider.name} ${provider.model} takes no video part; task ${task.id} gets sampled frames with their times`);
    }
    if (!takes.frames || !(await ffmpegAvailable())) return text;
    const { frames, durationSec } = await sampleFrames(file, task.durationSec);
    return frames.length ? { mode: "frames", images: frames, durationSec } : text;
  } catch (err) {
    log(`loop: no frames for task ${task.id}, using text only: ${String(err)}`);
    return text;
  }
}
