import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { videos } from "../db/schema";
import { createProvider } from "../pipeline/providers";
import { describeEachDb } from "../testing/db";
import { person, seedProject, seedTask } from "../testing/seed";
import { testConfig } from "../testing/testConfig";
import { videosDir } from "../videos/storage";
import { mediaFor } from "./media";
import { loadTask } from "./taskFacts";

const hasFfmpeg = spawnSync("ffmpeg", ["-version"], { stdio: "ignore" }).status === 0;

/** What reaches each provider (finding 3 and 4 of issue 17): video only where it is taken, frames with their times. */
describeEachDb("loop media by provider", (db) => {
  const config = testConfig();
  const vllm = createProvider({ provider: "openai", model: "Qwen/Qwen3-VL-8B-Instruct", openaiBaseUrl: "http://127.0.0.1:9/v1", openaiServer: "vllm" });
  const ollama = createProvider({ provider: "openai", model: "qwen3-vl", openaiBaseUrl: "http://127.0.0.1:11434/v1" });
  const gemini = createProvider({ provider: "gemini", geminiApiKey: "k", model: "gemini-2.5-flash" });
  const rules = createProvider({ provider: "rules" });

  async function taskWithClip(inputMode: "video" | "frames") {
    const ann = await person(db().db, "annotator");
    const ids = await seedProject(db().db, { inputMode });
    const taskId = await seedTask(db().db, { ...ids, aspect: "camera", annotatorId: ann.id, specVersion: "test" });
    const name = `clip-${randomUUID()}.webm`;
    const file = path.join(videosDir(config), name);
    fs.mkdirSync(videosDir(config), { recursive: true });
    if (hasFfmpeg) {
      const made = spawnSync("ffmpeg", ["-loglevel", "error", "-f", "lavfi", "-i", "testsrc=duration=2:size=160x120:rate=10", "-c:v", "libvpx", "-y", file]);
      expect(made.status).toBe(0);
    } else {
      fs.writeFileSync(file, Buffer.from("not a real clip"));
    }
    await db().db.update(videos).set({ path: name, durationSec: 2, sizeBytes: fs.statSync(file).size, mimeType: "video/webm" }).where(eq(videos.id, ids.videoId));
    return { task: await loadTask(db().db, taskId), file };
  }

  it("sends the clip itself where video is taken (vLLM, Gemini — whatever its size), never shortened", async () => {
    const { task, file } = await taskWithClip("video");
    const realFile = fs.realpathSync(file);
    const expected = { mode: "video", videoFile: { path: realFile, mime: "video/webm", sizeBytes: task.videoSize }, durationSec: 2 };
    expect(await mediaFor(config, vllm, task, () => {})).toEqual(expected);
    expect(await mediaFor(config, gemini, { ...task, videoSize: 500 * 1024 * 1024 }, () => {})).toEqual({
      ...expected,
      videoFile: { ...expected.videoFile, sizeBytes: 500 * 1024 * 1024 },
    });
    expect(await mediaFor(config, rules, task, () => {})).toEqual({ mode: "text" });
  });

  it.runIf(hasFfmpeg)("sends Ollama (which refuses video parts) timed frames instead, and says so", async () => {
    const { task } = await taskWithClip("video");
    const log: string[] = [];
    const media = await mediaFor(config, ollama, task, (m) => log.push(m));
    expect(media.mode).toBe("frames");
    expect(media.durationSec).toBe(2);
    expect(media.images?.map((f) => f.atSec)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75]);
    expect(log.join("\n")).toMatch(/takes no video part/);
  });

  it.runIf(hasFfmpeg)("sends frames with their times in frames mode", async () => {
    const { task } = await taskWithClip("frames");
    const media = await mediaFor(config, gemini, task, () => {});
    expect(media.mode).toBe("frames");
    expect(media.images?.every((f) => f.mime === "image/jpeg" && typeof f.atSec === "number")).toBe(true);
  });
});
