import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { drafts, taskVersions, videos } from "../db/schema";
import { createProvider } from "../pipeline/providers";
import { describeEachDb } from "../testing/db";
import { testConfig } from "../testing/testConfig";
import { eq } from "drizzle-orm";
import { dependencyCaptions, startDraft } from "./drafting";
import { loopDepsFrom } from "./index";
import { PgStorage } from "../collab/pgStorage";
import { RoomRegistry } from "../collab/rooms";
import { tasks } from "../db/schema";
import { replaceFacts, replaceLabels } from "../labels/repository";
import { getSpec } from "../captionSpec/index";
import { completeLabels } from "../testing/pipelineFixtures";
import type { ModelProvider, StreamEvent } from "../pipeline/providers/types";
import type { RulesTask } from "../pipeline/prompts";
import type { CaptionFacts } from "../../shared/captionFacts";
import { mediaFor } from "./media";
import { loadTask } from "./taskFacts";
import { person, seedProject, seedTask } from "../testing/seed";

describeEachDb("loop drafting inputs", (db) => {
  const registries: RoomRegistry[] = [];
  afterAll(async () => {
    for (const r of registries) await r.close();
  });

  /** Loop deps whose provider records the structured task it is asked to draft. */
  function recordingDeps() {
    const seen: RulesTask[] = [];
    const provider: ModelProvider = {
      name: "recorder",
      model: "recorder",
      async *generate(req): AsyncGenerator<StreamEvent> {
        if (req.task) seen.push(req.task);
        yield { type: "text", text: "A draft." };
      },
    };
    const rooms = new RoomRegistry({ storage: new PgStorage(db().db) });
    registries.push(rooms);
    const deps = loopDepsFrom({ db: db().db, config: testConfig({ logLevel: "silent" }), rooms, providerFor: () => provider, log: () => {} });
    return { deps, seen };
  }

  it("refuses to finish labelling, in words, until the aspect's subject is named; then drafts from the task's facts", async () => {
    const spec = await getSpec();
    const aspect = spec.aspects.find((a) => a.aspect === "motion");
    if (!aspect) throw new Error("the spec has no motion aspect");
    const ann = await person(db().db, "annotator");
    const ids = await seedProject(db().db);
    const taskId = await seedTask(db().db, { ...ids, aspect: "motion", annotatorId: ann.id, specVersion: spec.version });
    await replaceLabels(db().db, taskId, completeLabels(aspect), ann.id);
    const { deps, seen } = recordingDeps();
    const user = { id: ann.id, email: "ann@loop.test", displayName: ann.name, role: ann.role };

    await expect(startDraft(deps, taskId, { kind: "user", user })).rejects.toThrow(/Name at least one subject/);
    const [still] = await db().db.select({ stage: tasks.stage }).from(tasks).where(eq(tasks.id, taskId));
    expect(still?.stage).toBe("labelling");
    // Someone who may not finish it hears that first, not what is missing.
    const stranger = await person(db().db, "annotator");
    await expect(startDraft(deps, taskId, { kind: "user", user: { id: stranger.id, email: "s@loop.test", displayName: stranger.name, role: "annotator" } })).rejects.toThrow(/may not work on this task/);

    const facts: CaptionFacts = { subjects: [{ phrase: "striped orange posts", plural: true, pronoun: "they" }], setting: null };
    await replaceFacts(db().db, taskId, facts);
    const outcome = await (await startDraft(deps, taskId, { kind: "user", user })).done;
    expect(outcome.ok).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ kind: "draft", aspect: "motion", facts });
  });

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
