import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type * as Y from "yjs";
import { createApp, createServices } from "../app";
import type { AppDeps } from "../context";
import { PgStorage } from "../collab/pgStorage";
import { RoomRegistry } from "../collab/rooms";
import { drafts, projects, rounds, tasks } from "../db/schema/index";
import { getSpec } from "../captionSpec/index";
import { exportDataset } from "../dataset/exportDataset";
import { createProvider } from "../pipeline/providers/index";
import { describeEachDb } from "../testing/db";
import { completeLabels, pickAspect } from "../testing/pipelineFixtures";
import { person, seedProject, seedTask, type Person } from "../testing/seed";
import { testConfig } from "../testing/testConfig";
import { videosDir } from "../videos/storage";
import { startFakeChatServer, type ChatReply, type FakeChatServer } from "../testing/fakeModelServers/openaiCompatible";
import { taskRoom } from "../../shared/collab/protocol";
import type { ReviseResponse, RoundDetail, RoundListResponse } from "../../shared/api/loop";
import type { AspectSpec } from "../../shared/captionSpec/schema";
import { anchorFromTextRange, draftText, putCritiqueItem, readPostText, readRevision } from "../../shared/room/document";

/**
 * A real model server that stops early, through the API, the rooms and the database (the fake speaks vLLM's
 * dialect): a draft cut at the token limit is never saved; a revision that stops — at the token limit, or with an
 * error inside the stream — is a failed round whose partial text stays with that round, while the room gets its
 * previous post-caption back and the message; and no export ever carries the partial text.
 */
const PARTIAL_LENGTH = "The camera sweeps sideways while the";
const PARTIAL_ERROR = "A handheld shot drifts toward";
const FINAL = "The camera dollies in toward the man.";

describeEachDb("a model that stops early", (db) => {
  const config = testConfig();
  const replies: ChatReply[] = [];
  let fake: FakeChatServer;
  let rooms: RoomRegistry;
  let deps: AppDeps;
  let app: ReturnType<typeof createApp>;
  let aspect: AspectSpec;
  let specVersion: string;
  let annotator: Person;
  let reviewer: Person;

  const api = (method: string, p: string, cookie: string, body?: unknown) =>
    app.request(p, {
      method,
      headers: { cookie, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const room = <T>(taskId: string, fn: (doc: Y.Doc) => T) => rooms.withDoc(taskRoom(taskId), fn);
  const stageOf = async (taskId: string) => (await db().db.select({ stage: tasks.stage }).from(tasks).where(eq(tasks.id, taskId)))[0]?.stage;

  async function labelledTask(ids: { projectId: string; videoId: string }): Promise<string> {
    const taskId = await seedTask(db().db, { ...ids, aspect: aspect.aspect, annotatorId: annotator.id, reviewerId: reviewer.id, specVersion });
    expect((await api("PUT", `/api/tasks/${taskId}/labels`, annotator.cookie, { labels: completeLabels(aspect) })).status).toBe(200);
    return taskId;
  }

  beforeAll(async () => {
    const spec = await getSpec();
    aspect = pickAspect(spec);
    specVersion = spec.version;
    fake = await startFakeChatServer("vllm", replies);
    rooms = new RoomRegistry({ storage: new PgStorage(db().db), unloadDelayMs: 50 });
    const provider = () =>
      createProvider({ provider: "openai", model: "Qwen/Qwen3-VL-8B-Instruct", openaiBaseUrl: `${fake.url}/v1`, openaiServer: "vllm" });
    deps = createServices({ config, database: db(), rooms }, { loop: { providerFor: provider } });
    app = createApp(deps);
    annotator = await person(db().db, "annotator");
    reviewer = await person(db().db, "reviewer");
  });
  afterAll(async () => {
    await rooms.close();
    await fake.close();
  });

  it("never saves a draft the model did not finish: the room says why and the task is back in labelling", async () => {
    const ids = await seedProject(db().db, { inputMode: "text" });
    const taskId = await labelledTask(ids);
    replies.push({ kind: "stream", text: ["The camera ", "is"], finish: "length" });
    expect((await api("POST", `/api/tasks/${taskId}/draft`, annotator.cookie)).status).toBe(202);
    const outcome = await deps.loop.drafts.get(taskId);
    expect(outcome).toMatchObject({ ok: false });
    expect(await db().db.select().from(drafts).where(eq(drafts.taskId, taskId))).toEqual([]);
    expect(await room(taskId, (doc) => draftText(doc))).toBe("");
    const state = await room(taskId, (doc) => readRevision(doc));
    expect(state.status).toBe("failed");
    expect(state.error).toBe('Drafting failed: vllm stopped at the token limit before finishing (finish_reason "length")');
    expect(await stageOf(taskId)).toBe("labelling");
  });

  it("keeps a stopped revision's text with its failed round only: never the post-caption, never an export", async () => {
    const ids = await seedProject(db().db, { inputMode: "text" });
    const [project] = await db().db.select({ name: projects.name }).from(projects).where(eq(projects.id, ids.projectId));
    const taskId = await labelledTask(ids);
    replies.push({ kind: "stream", text: ["The camera zooms in ", "toward the man."] });
    await api("POST", `/api/tasks/${taskId}/draft`, annotator.cookie);
    expect((await deps.loop.drafts.get(taskId))?.ok).toBe(true);
    expect((await api("PUT", `/api/tasks/${taskId}/score`, annotator.cookie, { score: 3 })).status).toBe(200);
    await room(taskId, (doc) => {
      const draft = draftText(doc);
      const from = draft.indexOf("zooms in");
      putCritiqueItem(doc, {
        id: randomUUID(),
        errorType: "wrong_term",
        primitiveId: null,
        what: "The camera moves; the lens does not zoom.",
        fix: 'write "dollies in"',
        anchor: anchorFromTextRange(doc, from, from + "zooms in".length),
        timeStart: 1,
        timeEnd: 2,
        createdBy: annotator.id,
        createdAt: new Date().toISOString(),
      });
    });
    const before = await room(taskId, (doc) => readPostText(doc));

    const revise = async () => {
      const res = await api("POST", `/api/tasks/${taskId}/revise`, annotator.cookie);
      expect(res.status).toBe(202);
      const { roundId } = (await res.json()) as ReviseResponse;
      return deps.loop.revisions.settled(roundId);
    };

    // Stopped at the token limit, then an error inside the stream (vLLM sends [DONE] after it).
    replies.push({ kind: "stream", text: ["The camera sweeps ", "sideways while the"], finish: "length" });
    expect((await revise())?.status).toBe("failed");
    expect(await stageOf(taskId)).toBe("critiquing");
    expect(await room(taskId, (doc) => readPostText(doc))).toBe(before);
    expect((await room(taskId, (doc) => readRevision(doc))).error).toBe(
      'The revision failed: vllm stopped at the token limit before finishing (finish_reason "length")',
    );

    replies.push({ kind: "error-after", text: ["A handheld shot ", "drifts toward"], message: "CUDA error: an illegal memory access" });
    expect((await revise())?.status).toBe("failed");
    expect(await room(taskId, (doc) => readPostText(doc))).toBe(before);
    expect((await room(taskId, (doc) => readRevision(doc))).error).toBe(
      "The revision failed: vllm reported an error in the stream: CUDA error: an illegal memory access",
    );

    const stored = await db()
      .db.select({ n: rounds.n, status: rounds.status, postCaption: rounds.postCaption, error: rounds.error, partialText: rounds.partialText })
      .from(rounds)
      .where(and(eq(rounds.taskId, taskId)))
      .orderBy(asc(rounds.n));
    // The error column holds the message alone; the streamed text is in partial_text.
    expect(stored.map((r) => [r.n, r.status, r.postCaption, r.partialText])).toEqual([
      [1, "failed", null, PARTIAL_LENGTH],
      [2, "failed", null, PARTIAL_ERROR],
    ]);
    expect(stored.map((r) => r.error)).toEqual([
      'The revision failed: vllm stopped at the token limit before finishing (finish_reason "length")',
      "The revision failed: vllm reported an error in the stream: CUDA error: an illegal memory access",
    ]);
    const list = (await (await api("GET", `/api/tasks/${taskId}/rounds`, annotator.cookie)).json()) as RoundListResponse;
    expect(list.map((r) => [r.postCaption, r.error])).toEqual(stored.map((r) => [null, r.error]));
    expect(JSON.stringify(list)).not.toContain(PARTIAL_LENGTH);
    // One round's detail shows what the model wrote, apart from the message.
    const detail = (await (await api("GET", `/api/tasks/${taskId}/rounds/1`, annotator.cookie)).json()) as RoundDetail;
    expect(detail).toMatchObject({ status: "failed", postCaption: null, error: stored[0]?.error, partialText: PARTIAL_LENGTH });

    // A finished revision, then submission: only the finished text is the caption.
    replies.push({ kind: "stream", text: ["The camera dollies in ", "toward the man."] });
    expect((await revise())?.status).toBe("done");
    expect(await room(taskId, (doc) => readPostText(doc))).toBe(FINAL);
    expect(await stageOf(taskId)).toBe("refining");
    expect((await api("POST", `/api/tasks/${taskId}/transition`, annotator.cookie, { action: "submit" })).status).toBe(200);

    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-failed-rounds-"));
    // The clip the export places beside the records (seedProject's clip.webm).
    fs.mkdirSync(videosDir(config), { recursive: true });
    fs.writeFileSync(path.join(videosDir(config), "clip.webm"), Buffer.from("a clip"));
    const result = await exportDataset(db().db, config, {
      format: "all",
      outDir,
      status: "submitted",
      testShare: 0,
      seed: 1,
      projectName: project?.name,
      pseudonymSecret: new Uint8Array(32).fill(3),
    });
    const written = fs
      .readdirSync(outDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), "utf8"));
    const all = written.join("\n");
    expect(result.manifest.tasks).toBe(1);
    expect(all).toContain(FINAL);
    expect(all).not.toContain(PARTIAL_LENGTH);
    expect(all).not.toContain(PARTIAL_ERROR);
    expect(all).not.toContain("sweeps sideways");
    expect(all).not.toContain("drifts toward");
  });
});
