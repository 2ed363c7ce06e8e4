import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { drafts, taskVersions, videos } from "../db/schema";
import { createProvider } from "../pipeline/providers";
import { describeEachDb } from "../testing/db";
import { testConfig } from "../testing/testConfig";
import { eq } from "drizzle-orm";
import { dependencyCaptions } from "./drafting";
import { mediaFor } from "./media";
import { loadTask } from "./taskFacts";
import { person, seedProject, seedTask } from "../testing/seed";

describeEachDb("loop drafting inputs", (db) => {
  it("reads the same clip's subject and scene captions: approved work first, else the latest draft", async () => {
    const ann = await person(db().db, "annotator");
    const ids = await seedProject(db().db);
    const base = { ...ids, annotatorId: ann.id, specVersion: "test" };
    const subjectDrafting = await seedTask(db().db, { ...base, aspect: "subject", stage: "critiquing" });
    const subjectApproved = await seedTask(db().db, { ...base, aspect: "subject", stage: "approved" });
    const scene = await seedTask(db().db, { ...base, aspect: "scene", stage: "critiquing" });
    const common = { provider: "rules", model: "rules", promptHash: "h" };
    await db().db.insert(drafts).values([
      { taskId: subjectDrafting, text: "An unreviewed subject draft.", ...common },
      { taskId: scene, text: "A scene draft.", ...common },
    ]);
    await db().db.insert(taskVersions).values({
      taskId: subjectApproved,
      authorId: ann.id,
      authorRole: "annotator",
      preCaption: "pre",
      critique: [],
      critiqueText: "",
      postCaption: "The approved subject caption.",
    });
    expect(await dependencyCaptions(db().db, ids.videoId, ["subject", "scene"])).toEqual({
      subject: "The approved subject caption.",
      scene: "A scene draft.",
    });
    expect(await dependencyCaptions(db().db, ids.videoId, [])).toEqual({});
    const other = await seedProject(db().db);
    expect(await dependencyCaptions(db().db, other.videoId, ["subject"])).toEqual({});
  });

  it("sends sampled frames to a vision provider when ffmpeg and the clip are there, text otherwise", async () => {
    const config = testConfig();
    const ann = await person(db().db, "annotator");
    const ids = await seedProject(db().db, { inputMode: "frames" });
    const taskId = await seedTask(db().db, { ...ids, aspect: "camera", annotatorId: ann.id, specVersion: "test" });
    const openai = createProvider({ provider: "openai", model: "m", openaiBaseUrl: "http://127.0.0.1:9" });
    const rules = createProvider({ provider: "rules" });
    const log = () => {};
    // The clip is not on disk: text only.
    expect(await mediaFor(config, openai, await loadTask(db().db, taskId), log)).toEqual({ mode: "text" });
    if (spawnSync("ffmpeg", ["-version"], { stdio: "ignore" }).status !== 0) return;
    const dir = path.join(config.dataDir, "videos");
    fs.mkdirSync(dir, { recursive: true });
    const made = spawnSync("ffmpeg", ["-loglevel", "error", "-f", "lavfi", "-i", "testsrc=duration=1:size=160x120:rate=10", "-c:v", "libvpx", "-y", path.join(dir, "clip.webm")]);
    expect(made.status).toBe(0);
    await db().db.update(videos).set({ path: "clip.webm", durationSec: 1 }).where(eq(videos.id, ids.videoId));
    const task = await loadTask(db().db, taskId);
    const media = await mediaFor(config, openai, task, log);
    expect(media.mode).toBe("frames");
    expect(media.images?.length).toBeGreaterThan(0);
    // The rules provider reads the labels only.
    expect(await mediaFor(config, rules, task, log)).toEqual({ mode: "text" });
  });
});
