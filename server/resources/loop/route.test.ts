import { randomUUID } from "node:crypto";
import type * as Y from "yjs";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, createServices } from "../../app";
import type { AppDeps } from "../../context";
import { PgStorage } from "../../collab/pgStorage";
import { RoomRegistry } from "../../collab/rooms";
import { auditLog, drafts, rounds, taskVersions, tasks } from "../../db/schema/index";
import { applyTransition } from "../../loop/index";
import { loadTask } from "../../loop/taskFacts";
import { person, seedProject, seedTask, type Person } from "../../testing/seed";
import { completeLabels, pickAspect } from "../../testing/pipelineFixtures";
import { createProvider } from "../../pipeline/providers/index";
import { fail, sse, sseThenHang, startScriptedServer, type ScriptedServer } from "../../testing/scriptedProviderServer";
import { getSpec } from "../../captionSpec/index";
import { describeEachDb } from "../../testing/db";
import { testConfig } from "../../testing/testConfig";
import { waitFor } from "../../testing/collabClients";
import { toHttpError, type ErrorBody } from "../../http/errors";
import type { ActionsResponse, PolishResponse, ReviseResponse, RoundDetail, RoundListResponse, ScoreResponse, TransitionResponse } from "../../../shared/api/loop";
import { taskRoom } from "../../../shared/collab/protocol";
import type { CritiqueItem } from "../../../shared/critique/items";
import type { AspectSpec, Spec } from "../../../shared/captionSpec/schema";
import {
  anchorFromTextRange,
  draftText,
  putCritiqueItem,
  readPostText,
  readRevision,
  updateCritiqueItem,
} from "../../../shared/room/document";

/**
 * The CHAI loop end to end through the API and the room, on the rules provider: label → draft → critique (written
 * into the room's document, as a client's edit would be) → revise → refine → revise → submit.
 */
describeEachDb("CHAI loop API", (db) => {
  let spec: Spec;
  let aspect: AspectSpec;
  let rooms: RoomRegistry;
  let deps: AppDeps;
  let app: ReturnType<typeof createApp>;
  let ids: { projectId: string; videoId: string };
  let annotator: Person;
  let reviewer: Person;
  let lead: Person;
  let stranger: Person;

  const call = (a: ReturnType<typeof createApp>, method: string, path: string, cookie: string, body?: unknown) =>
    a.request(path, {
      method,
      headers: { cookie, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const api = (method: string, path: string, cookie: string, body?: unknown) => call(app, method, path, cookie, body);
  const stageOf = async (taskId: string) =>
    (await db().db.select({ stage: tasks.stage }).from(tasks).where(eq(tasks.id, taskId)))[0]?.stage;
  const room = <T>(taskId: string, fn: (doc: Y.Doc) => T) => rooms.withDoc(taskRoom(taskId), fn);

  async function labelledTask(): Promise<string> {
    const taskId = await seedTask(db().db, { ...ids, aspect: aspect.aspect, annotatorId: annotator.id, specVersion: spec.version });
    const res = await api("PUT", `/api/tasks/${taskId}/labels`, annotator.cookie, { labels: completeLabels(aspect) });
    expect(res.status).toBe(200);
    return taskId;
  }

  async function drafted(): Promise<string> {
    const taskId = await labelledTask();
    const res = await api("POST", `/api/tasks/${taskId}/draft`, annotator.cookie);
    expect(res.status).toBe(202);
    const outcome = await deps.loop.drafts.get(taskId);
    expect(outcome?.ok).toBe(true);
    return taskId;
  }

  /** A critique item on the first word of four or more letters after the draft's start, asking to replace it. */
  function critique(taskId: string, fix: string, id = randomUUID()): Promise<CritiqueItem> {
    return room(taskId, (doc) => {
      const text = draftText(doc);
      const m = /[A-Za-z]{4,}/.exec(text.slice(1));
      if (!m) throw new Error(`no word to critique in ${JSON.stringify(text)}`);
      const from = m.index + 1;
      const item: CritiqueItem = {
        id,
        errorType: "wrong_term",
        primitiveId: null,
        what: `"${m[0]}" is the wrong term here.`,
        fix,
        anchor: anchorFromTextRange(doc, from, from + m[0].length),
        timeStart: 1,
        timeEnd: 2,
        createdBy: annotator.id,
        createdAt: new Date().toISOString(),
      };
      putCritiqueItem(doc, item);
      return item;
    });
  }

  async function revise(taskId: string, cookie = annotator.cookie) {
    const res = await api("POST", `/api/tasks/${taskId}/revise`, cookie);
    expect(res.status).toBe(202);
    const body = (await res.json()) as ReviseResponse;
    const outcome = await deps.loop.revisions.settled(body.roundId);
    return { body, outcome };
  }

  beforeAll(async () => {
    spec = await getSpec();
    aspect = pickAspect(spec);
    rooms = new RoomRegistry({ storage: new PgStorage(db().db), unloadDelayMs: 50 });
    deps = createServices({ config: testConfig(), database: db(), rooms });
    app = createApp(deps);
    ids = await seedProject(db().db);
    annotator = await person(db().db, "annotator", "Ann Notator");
    reviewer = await person(db().db, "reviewer", "Rita Reviewer");
    lead = await person(db().db, "lead", "Lee Lead");
    stranger = await person(db().db, "annotator", "Otto Other");
  });

  afterAll(async () => {
    await rooms.close();
  });

  it("runs the whole loop: label → draft → critique → revise → refine → revise → submit", async () => {
    const taskId = await labelledTask();

    // Drafting: labelling → drafting → critiquing, the draft in the room and in the drafts table.
    const draftRes = await api("POST", `/api/tasks/${taskId}/draft`, annotator.cookie);
    expect(draftRes.status).toBe(202);
    expect(await draftRes.json()).toMatchObject({ taskId, stage: "drafting" });
    expect((await deps.loop.drafts.get(taskId))?.ok).toBe(true);
    expect(await stageOf(taskId)).toBe("critiquing");
    const [draftRow] = await db().db.select().from(drafts).where(eq(drafts.taskId, taskId));
    expect(draftRow?.provider).toBe("rules");
    const draft = await room(taskId, (doc) => draftText(doc));
    expect(draft).toBe(draftRow?.text);
    expect(draft.length).toBeGreaterThan(10);

    // The machine's guards, with reasons.
    let res = await api("POST", `/api/tasks/${taskId}/revise`, annotator.cookie);
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.message).toBe("Score the draft (1–5) first.");
    res = await api("PUT", `/api/tasks/${taskId}/score`, annotator.cookie, { score: 3 });
    expect(res.status).toBe(200);
    expect((await res.json()) as ScoreResponse).toMatchObject({ score: 3, stage: "critiquing" });
    res = await api("POST", `/api/tasks/${taskId}/revise`, annotator.cookie);
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.message).toBe("Write at least one critique item first.");

    // Critique in the room, then a revision streamed into the post-caption.
    const item = await critique(taskId, 'write "steady tripod"');
    const first = await revise(taskId);
    expect(first.body).toMatchObject({ n: 1, joined: false });
    expect(first.outcome?.status).toBe("done");
    expect(await stageOf(taskId)).toBe("refining");
    const post1 = await room(taskId, (doc) => readPostText(doc));
    expect(post1).toContain("steady tripod");
    // The fix replaced exactly the anchored span.
    const from = draft.indexOf(item.anchor?.quote ?? "?", 1);
    expect(post1.startsWith(`${draft.slice(0, from)}steady tripod${draft.slice(from + (item.anchor?.quote.length ?? 0), from + 40)}`)).toBe(true);
    expect(await room(taskId, (doc) => readRevision(doc))).toMatchObject({ status: "idle", n: 1, error: null });

    // Refine the critique (not the caption) and revise again.
    await room(taskId, (doc) => updateCritiqueItem(doc, item.id, { fix: 'write "locked-off tripod"' }));
    const second = await revise(taskId);
    expect(second.body.n).toBe(2);
    expect(second.outcome?.status).toBe("done");
    const post2 = await room(taskId, (doc) => readPostText(doc));
    expect(post2).toContain("locked-off tripod");
    expect(post2).not.toContain("steady tripod");

    // Rounds with their snapshots and timings.
    res = await api("GET", `/api/tasks/${taskId}/rounds`, reviewer.cookie);
    expect(res.status).toBe(403); // not assigned, not yet submitted: a reviewer may not see it
    res = await api("GET", `/api/tasks/${taskId}/rounds`, annotator.cookie);
    const list = (await res.json()) as RoundListResponse;
    expect(list.map((r) => [r.n, r.status, r.postCaption])).toEqual([
      [1, "done", post1],
      [2, "done", post2],
    ]);
    for (const r of list) {
      expect(r.provider).toBe("rules");
      expect(r.promptHash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.durationMs).not.toBeNull();
      expect(r.critiqueText).toContain("Wrong term");
    }
    res = await api("GET", `/api/tasks/${taskId}/rounds/2`, annotator.cookie);
    const detail = (await res.json()) as RoundDetail;
    expect(detail.critique[0]?.fix).toBe('write "locked-off tripod"');
    expect((await api("GET", `/api/tasks/${taskId}/rounds/9`, annotator.cookie)).status).toBe(404);

    // The room's buttons: what the annotator may do now, and a reviewer nothing before submission.
    const actions = (await (await api("GET", `/api/tasks/${taskId}/actions`, annotator.cookie)).json()) as ActionsResponse;
    expect(actions).toEqual({ taskId, stage: "refining", actions: ["request_revision", "submit"] });

    // An illegal transition answers 409 with the machine's reason.
    res = await api("POST", `/api/tasks/${taskId}/transition`, annotator.cookie, { action: "withdraw" });
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/^Cannot withdraw the submission while the task is refining/);
    // Review decisions are recorded (and paid) by their own endpoint, never by a bare stage move.
    res = await api("POST", `/api/tasks/${taskId}/transition`, annotator.cookie, { action: "approve" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.message).toContain("/decision");

    // Submit: the version is frozen from the room.
    res = await api("POST", `/api/tasks/${taskId}/transition`, annotator.cookie, { action: "submit", expectedStage: "refining" });
    expect(res.status).toBe(200);
    expect((await res.json()) as TransitionResponse).toMatchObject({ from: "refining", to: "submitted" });
    const [version] = await db().db.select().from(taskVersions).where(eq(taskVersions.taskId, taskId));
    expect(version).toMatchObject({ preCaption: draft, score: 3, postCaption: post2, authorRole: "annotator", negative: "no" });
    expect(version?.critiqueText).toContain("locked-off tripod");
    const [taskRow] = await db().db.select().from(tasks).where(eq(tasks.id, taskId));
    expect(taskRow?.submittedAt).not.toBeNull();

    // Every stage change audited with who, from and to.
    const trail = await db()
      .db.select({ actorId: auditLog.actorId, data: auditLog.data })
      .from(auditLog)
      .where(and(eq(auditLog.entityId, taskId), eq(auditLog.action, "task.stage")))
      .orderBy(asc(auditLog.id));
    expect(trail.map((t) => [t.data.action, t.data.from, t.data.to])).toEqual([
      ["finish_labelling", "labelling", "drafting"],
      ["draft_ready", "drafting", "critiquing"],
      ["request_revision", "critiquing", "revising"],
      ["revision_done", "revising", "refining"],
      ["request_revision", "refining", "revising"],
      ["revision_done", "revising", "refining"],
      ["submit", "refining", "submitted"],
    ]);
    expect(trail[0]?.actorId).toBe(annotator.id);
    expect(trail[6]?.actorId).toBe(annotator.id);
    expect(trail[1]?.actorId).toBe(annotator.id);

    // Once submitted, a reviewer may pick it up.
    res = await api("POST", `/api/tasks/${taskId}/review/start`, reviewer.cookie);
    expect(res.status).toBe(200);
    const [reviewed] = await db().db.select({ reviewerId: tasks.reviewerId, stage: tasks.stage }).from(tasks).where(eq(tasks.id, taskId));
    expect(reviewed).toEqual({ reviewerId: reviewer.id, stage: "in_review" });
  });

  it("starts one revision when two people press revise at once", async () => {
    const taskId = await drafted();
    await api("PUT", `/api/tasks/${taskId}/score`, annotator.cookie, { score: 2 });
    const item = await critique(taskId, 'write "handheld camera"');
    // Two presses reach the revision service together (HTTP scheduling decides how close two requests land; the
    // guarantee is the service's: a press made while an identical revision runs — even one that finishes before
    // the press's turn comes — joins it).
    const who = { id: annotator.id, email: "", displayName: annotator.name, role: annotator.role };
    const bodies = await Promise.all([deps.loop.revisions.request(taskId, who), deps.loop.revisions.request(taskId, who)]);
    expect(bodies[0]?.roundId).toBe(bodies[1]?.roundId);
    expect(bodies.filter((b) => b.joined)).toHaveLength(1);
    await deps.loop.revisions.settled(bodies[0]!.roundId);
    expect(await db().db.select({ n: rounds.n }).from(rounds).where(eq(rounds.taskId, taskId))).toHaveLength(1);

    // A request on the same critique after it finished starts the next round.
    await room(taskId, (doc) => updateCritiqueItem(doc, item.id, { fix: 'write "shaky handheld camera"' }));
    const again = await revise(taskId);
    expect(again.body).toMatchObject({ n: 2, joined: false });
    expect(await room(taskId, (doc) => readPostText(doc))).toContain("shaky handheld camera");
  });

  it("takes the perfect path on a score of 5: post = pre, no critique, submitted", async () => {
    const taskId = await drafted();
    const res = await api("PUT", `/api/tasks/${taskId}/score`, annotator.cookie, { score: 5 });
    expect(res.status).toBe(200);
    expect((await res.json()) as ScoreResponse).toMatchObject({ score: 5, stage: "submitted" });
    const draft = await room(taskId, (doc) => draftText(doc));
    expect(await room(taskId, (doc) => readPostText(doc))).toBe(draft);
    const [version] = await db().db.select().from(taskVersions).where(eq(taskVersions.taskId, taskId));
    expect(version).toMatchObject({ preCaption: draft, postCaption: draft, score: 5, critique: [], critiqueText: "" });
  });

  it("refuses a perfect score while there is critique, and the wrong people with 403", async () => {
    const taskId = await drafted();
    await critique(taskId, 'write "static camera"');
    let res = await api("PUT", `/api/tasks/${taskId}/score`, annotator.cookie, { score: 5 });
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/A perfect draft has no critique/);
    expect((await db().db.select({ score: tasks.score }).from(tasks).where(eq(tasks.id, taskId)))[0]?.score).toBeNull();

    for (const who of [stranger, reviewer]) {
      expect((await api("POST", `/api/tasks/${taskId}/revise`, who.cookie)).status).toBe(403);
      expect((await api("PUT", `/api/tasks/${taskId}/score`, who.cookie, { score: 2 })).status).toBe(403);
      expect((await api("POST", `/api/tasks/${taskId}/transition`, who.cookie, { action: "relabel" })).status).toBe(403);
    }
    // A lead sees the task but is not its worker: the machine refuses with its reason.
    res = await api("POST", `/api/tasks/${taskId}/transition`, lead.cookie, { action: "relabel" });
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/^Only the task's annotator/);
    expect((await api("POST", `/api/tasks/${taskId}/draft`, reviewer.cookie)).status).toBe(403);
    expect((await api("POST", `/api/tasks/${taskId}/transition`, annotator.cookie, { action: "nonsense" })).status).toBe(400);
    expect((await api("PUT", `/api/tasks/${taskId}/score`, annotator.cookie, { score: 9 })).status).toBe(400);
    expect((await api("POST", `/api/tasks/${randomUUID()}/revise`, annotator.cookie)).status).toBe(404);
    expect((await app.request(`/api/tasks/${taskId}/revise`, { method: "POST" })).status).toBe(401);
  });

  it("answers 409 when a concurrent change moved the task first (optimistic guard on the stage)", async () => {
    const taskId = await drafted();
    const stale = await loadTask(db().db, taskId);
    // Someone else relabels meanwhile; the decision made on the stale row must not be applied.
    expect((await api("POST", `/api/tasks/${taskId}/transition`, annotator.cookie, { action: "relabel" })).status).toBe(200);
    await expect(
      applyTransition(deps.loop.deps, taskId, "score_perfect", { kind: "user", user: { id: annotator.id, email: "a@x", displayName: "A", role: "annotator" } }, {
        task: { ...stale, score: 5 },
      }).catch((e: unknown) => Promise.reject(toHttpError(e) ?? e)), // as the client sees it
    ).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/changed meanwhile/) });
    expect(await stageOf(taskId)).toBe("labelling");
    // A stale expectedStage from a client is refused the same way.
    const res = await api("POST", `/api/tasks/${taskId}/transition`, annotator.cookie, { action: "relabel", expectedStage: "critiquing" });
    expect(res.status).toBe(409);
  });

  it("refuses a revision with an unconfigured provider before the stage moves (503, message in the room)", async () => {
    const taskId = await drafted();
    await api("PUT", `/api/tasks/${taskId}/score`, annotator.cookie, { score: 3 });
    await critique(taskId, 'write "static camera"');
    const unconfigured = createServices(
      { config: testConfig(), database: db(), rooms },
      { loop: { providerFor: () => createProvider({ provider: "gemini" }) } },
    );
    const res = await call(createApp(unconfigured), "POST", `/api/tasks/${taskId}/revise`, annotator.cookie);
    expect(res.status).toBe(503);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/GEMINI_API_KEY/);
    expect(await stageOf(taskId)).toBe("critiquing");
    expect((await room(taskId, (doc) => readRevision(doc))).error).toMatch(/GEMINI_API_KEY/);
  });

  it("refuses drafting before the labels are complete", async () => {
    const taskId = await seedTask(db().db, { ...ids, aspect: aspect.aspect, annotatorId: annotator.id, specVersion: spec.version });
    const res = await api("POST", `/api/tasks/${taskId}/draft`, annotator.cookie);
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.message).toBe("Label every required sub-aspect first.");
    expect(await stageOf(taskId)).toBe("labelling");
  });

  it("keeps best-of-N candidates with their scores when the project asks for several", async () => {
    const bestOf = await seedProject(db().db, { bestOfN: 3 });
    const taskId = await seedTask(db().db, { ...bestOf, aspect: aspect.aspect, annotatorId: annotator.id, specVersion: spec.version });
    expect((await api("PUT", `/api/tasks/${taskId}/labels`, annotator.cookie, { labels: completeLabels(aspect) })).status).toBe(200);
    expect((await api("POST", `/api/tasks/${taskId}/draft`, annotator.cookie)).status).toBe(202);
    await deps.loop.drafts.get(taskId);
    await api("PUT", `/api/tasks/${taskId}/score`, annotator.cookie, { score: 4 });
    await critique(taskId, 'write "fixed camera"');
    const { body, outcome } = await revise(taskId);
    expect(outcome?.status).toBe("done");
    const detail = (await (await api("GET", `/api/tasks/${taskId}/rounds/${body.n}`, annotator.cookie)).json()) as RoundDetail;
    expect(detail.candidates).toHaveLength(3);
    expect(detail.candidates?.[0]).toMatchObject({ score: 1, text: detail.postCaption });
    expect(detail.postCaption).toContain("fixed camera");
  });

  it("polishes the critique's wording and keeps both versions in the room", async () => {
    const taskId = await drafted();
    expect((await api("POST", `/api/tasks/${taskId}/polish`, annotator.cookie)).status).toBe(409);
    await critique(taskId, 'write "static camera"');
    const res = await api("POST", `/api/tasks/${taskId}/polish`, annotator.cookie);
    expect(res.status).toBe(200);
    const body = (await res.json()) as PolishResponse;
    expect(body.original).toContain('Fix: write "static camera".');
    expect(body.polished.length).toBeGreaterThan(0);
    const kept = await room(taskId, (doc) => doc.getMap("polish").toJSON());
    expect(kept).toMatchObject({ original: body.original, polished: body.polished, by: annotator.id });
    expect((await api("POST", `/api/tasks/${taskId}/polish`, reviewer.cookie)).status).toBe(403);
  });

  describe("with a provider that fails (a bad key)", () => {
    let server: ScriptedServer;
    let failing: ReturnType<typeof createApp>;
    let failingDeps: AppDeps;

    beforeAll(async () => {
      const reply = fail(401, { error: { message: "Incorrect API key provided.", type: "invalid_request_error" } });
      server = await startScriptedServer(Array.from({ length: 10 }, () => reply));
      failingDeps = createServices(
        { config: testConfig(), database: db(), rooms },
        { loop: { providerFor: () => createProvider({ provider: "openai", model: "m", openaiBaseUrl: server.url, openaiApiKey: "bad" }) } },
      );
      failing = createApp(failingDeps);
    });
    afterAll(async () => {
      await server.close();
    });

    const failingLoop = () => failingDeps.loop;

    it("puts a failed revision's message in the room and leaves the stage where it was", async () => {
      const taskId = await drafted();
      await api("PUT", `/api/tasks/${taskId}/score`, annotator.cookie, { score: 3 });
      await critique(taskId, 'write "static camera"');
      const res = await call(failing, "POST", `/api/tasks/${taskId}/revise`, annotator.cookie);
      expect(res.status).toBe(202);
      const body = (await res.json()) as ReviseResponse;
      const outcome = await failingLoop().revisions.settled(body.roundId);
      expect(outcome?.status).toBe("failed");
      expect(await stageOf(taskId)).toBe("critiquing");
      const state = await room(taskId, (doc) => readRevision(doc));
      expect(state.status).toBe("failed");
      expect(state.error).toContain("Incorrect API key provided.");
      const [round] = await db().db.select().from(rounds).where(eq(rounds.taskId, taskId));
      expect(round).toMatchObject({ status: "failed", provider: "openai" });
      expect(round?.error).toContain("HTTP 401");
    });

    it("puts a failed draft's message in the room and returns the task to labelling", async () => {
      const taskId = await labelledTask();
      const res = await call(failing, "POST", `/api/tasks/${taskId}/draft`, annotator.cookie);
      expect(res.status).toBe(202);
      const outcome = await failingLoop().drafts.get(taskId);
      expect(outcome).toMatchObject({ ok: false });
      expect(await stageOf(taskId)).toBe("labelling");
      const state = await room(taskId, (doc) => readRevision(doc));
      expect(state).toMatchObject({ status: "failed" });
      expect(state.error).toMatch(/^Drafting failed: .*Incorrect API key/);
    });
  });
  describe("with a streaming provider", () => {
    let server: ScriptedServer;
    let streaming: ReturnType<typeof createApp>;
    let streamingDeps: AppDeps;
    const chunk = (content: string) => ({ choices: [{ index: 0, delta: { content }, finish_reason: null }] });

    beforeAll(async () => {
      // Round 1 streams a chunk and then stalls; round 2 streams to the end.
      server = await startScriptedServer([sseThenHang([chunk("The first ")]), sse([chunk("The camera "), { choices: [{ index: 0, delta: { content: "is locked off." }, finish_reason: "stop" }] }], { done: true })]);
      streamingDeps = createServices(
        { config: testConfig(), database: db(), rooms },
        { loop: { providerFor: () => createProvider({ provider: "openai", model: "fake", openaiBaseUrl: server.url, openaiApiKey: "k" }) } },
      );
      streaming = createApp(streamingDeps);
    });
    afterAll(async () => {
      await server.close();
    });

    it("streams into the room's post-caption, and a changed critique cancels the running round", async () => {
      const taskId = await drafted();
      await api("PUT", `/api/tasks/${taskId}/score`, annotator.cookie, { score: 2 });
      const item = await critique(taskId, 'write "locked-off camera"');
      const res1 = await call(streaming, "POST", `/api/tasks/${taskId}/revise`, annotator.cookie);
      const first = (await res1.json()) as ReviseResponse;
      // The first chunk reaches the room while the model is still generating.
      await waitFor(async () => (await room(taskId, (doc) => readPostText(doc))) === "The first ", "the first chunk in the room");
      expect(await room(taskId, (doc) => readRevision(doc))).toMatchObject({ status: "running", n: 1, roundId: first.roundId });

      await room(taskId, (doc) => updateCritiqueItem(doc, item.id, { fix: 'write "a locked-off camera"' }));
      const res2 = await call(streaming, "POST", `/api/tasks/${taskId}/revise`, annotator.cookie);
      const second = (await res2.json()) as ReviseResponse;
      expect(second).toMatchObject({ n: 2, joined: false });
      expect((await streamingDeps.loop.revisions.settled(first.roundId))?.status).toBe("cancelled");
      expect((await streamingDeps.loop.revisions.settled(second.roundId))?.status).toBe("done");
      expect(await room(taskId, (doc) => readPostText(doc))).toBe("The camera is locked off.");
      expect(await stageOf(taskId)).toBe("refining");
      const list = await db().db.select({ n: rounds.n, status: rounds.status }).from(rounds).where(eq(rounds.taskId, taskId)).orderBy(asc(rounds.n));
      expect(list).toEqual([
        { n: 1, status: "cancelled" },
        { n: 2, status: "done" },
      ]);
    });
  });
});
