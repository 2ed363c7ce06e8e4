import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp, createServices } from "../../app";
import type { AppDeps, SessionUser } from "../../context";
import { PgStorage } from "../../collab/pgStorage";
import { RoomRegistry } from "../../collab/rooms";
import { catches, rewardLedger, taskVersions, tasks } from "../../db/schema/index";
import { applyTransition, type Requester } from "../../loop";
import { decide } from "../../review/decisions";
import { seedRewardRules } from "../../review/rules";
import { describeEachDb } from "../../testing/db";
import { person, seedProject, seedTask, type Person } from "../../testing/seed";
import { testConfig } from "../../testing/testConfig";
import { taskRoom } from "../../../shared/collab/protocol";
import { setDraftText } from "../../../shared/room/document";
import { REJECT_NEEDS_REASON, type CatchView, type PersonFiguresResponse, type StartReviewResponse } from "../../../shared/api/review";
import type { TaskDetail } from "../../../shared/api/tasks";

/**
 * Issue 14's redo, through the API: the reviewer rejects with a reason, the annotator redoes the work and resubmits,
 * and the same reviewer reviews the resubmission and approves. The rejected version stays the annotator's: a
 * negative example, and the work its catches and deductions are about.
 */
describeEachDb("reject, redo by the annotator, approve by the same reviewer", (db) => {
  let deps: AppDeps;
  let rooms: RoomRegistry;
  let app: ReturnType<typeof createApp>;
  const p: Record<"ann" | "rev" | "rev2" | "lead", Person> = {} as never;
  let taskId = "";
  let caught = "";

  const api = (method: string, url: string, who: Person, body?: unknown) =>
    app.request(url, {
      method,
      headers: { cookie: who.cookie, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const session = (x: Person): SessionUser => ({ id: x.id, email: `${x.id}@test`, displayName: x.name, role: x.role });
  const as = (x: Person): Requester => ({ kind: "user", user: session(x) });
  const errorOf = async (res: Response) => ((await res.json()) as { error: { message: string } }).error.message;
  const detail = async (who: Person) => (await (await api("GET", `/api/tasks/${taskId}`, who)).json()) as TaskDetail;
  const stage = async () => (await db().db.select({ stage: tasks.stage }).from(tasks).where(eq(tasks.id, taskId)))[0]?.stage;
  /** The perfect path (score 5, no critique) hands the room's draft in as the annotator's version. */
  const handIn = async (draft: string) => {
    await rooms.withDoc(taskRoom(taskId), (doc) => setDraftText(doc, draft));
    await applyTransition(deps.loop.deps, taskId, "score_perfect", as(p.ann), { ctx: { score: 5 } });
  };

  beforeAll(async () => {
    const d = db().db;
    await seedRewardRules(d);
    rooms = new RoomRegistry({ storage: new PgStorage(d), unloadDelayMs: 50 });
    deps = createServices({ config: testConfig(), database: db(), rooms });
    app = createApp(deps);
    const ids = await seedProject(d, { disputeWindowHours: 48 });
    p.ann = await person(d, "annotator", "Ann");
    p.rev = await person(d, "reviewer", "Rev");
    p.rev2 = await person(d, "reviewer", "Rev Two");
    p.lead = await person(d, "lead", "Lead");
    taskId = await seedTask(d, { ...ids, aspect: "camera", annotatorId: p.ann.id, specVersion: "1.0.0", stage: "labelling" });
    await applyTransition(deps.loop.deps, taskId, "finish_labelling", as(p.ann), { ctx: { labelsComplete: true } });
    await applyTransition(deps.loop.deps, taskId, "draft_ready", { kind: "system" });
    await handIn("The camera zooms in.");
  });

  afterAll(async () => {
    await rooms.close();
  });

  it("the reviewer takes the work, records a catch, and may reject it only with a reason", async () => {
    const started = await api("POST", `/api/tasks/${taskId}/review/start`, p.rev);
    expect(started.status).toBe(200);
    expect(((await started.json()) as StartReviewResponse).reviewerId).toBe(p.rev.id);
    const c = await api("POST", `/api/tasks/${taskId}/catches`, p.rev, { requestKey: "redo-catch-1", kind: "missed_error", timeStart: 1, timeEnd: 2, note: "It dollies, it does not zoom." });
    expect(c.status).toBe(201);
    caught = ((await c.json()) as CatchView).id;

    // The API and the service say the same words: the seed and the CLI cannot reject without a reason either.
    const bare = await api("POST", `/api/tasks/${taskId}/decision`, p.rev, { decision: "reject_and_redo", note: "   " });
    expect(bare.status).toBe(400);
    expect(await errorOf(bare)).toContain(REJECT_NEEDS_REASON);
    await expect(decide(deps.loop.deps, session(p.rev), taskId, "reject_and_redo", " ")).rejects.toMatchObject({ message: REJECT_NEEDS_REASON });
    expect(await stage()).toBe("in_review");

    const rejected = await api("POST", `/api/tasks/${taskId}/decision`, p.rev, { decision: "reject_and_redo", note: "It is a dolly: say so and redo the critique." });
    expect(rejected.status).toBe(201);
    expect(await stage()).toBe("rejected");
    // The annotator reads the decision and its reason.
    const decisions = (await (await api("GET", `/api/tasks/${taskId}/decisions`, p.ann)).json()) as { note: string; decision: string }[];
    expect(decisions.map((d) => [d.decision, d.note])).toEqual([["reject_and_redo", "It is a dolly: say so and redo the critique."]]);
  });

  it("puts the redo in the annotator's hands: theirs to redo or relabel, not the reviewer's", async () => {
    const ann = await detail(p.ann);
    expect(ann.abilities.actions).toEqual(expect.arrayContaining(["redo", "relabel"]));
    // Read-only until they press redo (the room opens again in critiquing).
    expect(ann.abilities.roomWrites).toEqual([]);
    expect(ann.abilities.readOnlyReason).toMatch(/Redo it or go back to labelling/);
    const rev = await detail(p.rev);
    expect(rev.abilities.actions.filter((a) => a === "redo" || a === "relabel")).toEqual([]);

    for (const [action, words] of [["redo", "redo"], ["relabel", "return to labelling"]] as const) {
      for (const who of [p.rev, p.lead]) {
        const refused = await api("POST", `/api/tasks/${taskId}/transition`, who, { action, expectedStage: "rejected" });
        expect(refused.status).toBe(409);
        expect(await errorOf(refused)).toBe(`Only the task's annotator can ${words}.`);
      }
    }
    const redo = await api("POST", `/api/tasks/${taskId}/transition`, p.ann, { action: "redo", expectedStage: "rejected" });
    expect(redo.status).toBe(200);
    expect(await redo.json()).toMatchObject({ from: "rejected", to: "critiquing" });
    expect((await detail(p.ann)).abilities.roomWrites).toEqual(["critique"]);
  });

  it("the annotator resubmits; the same reviewer reviews it (no one else) and approves, paying the annotator", async () => {
    await handIn("The camera dollies in.");
    expect(await stage()).toBe("submitted");
    const versions = await db().db.select().from(taskVersions).where(eq(taskVersions.taskId, taskId)).orderBy(asc(taskVersions.createdAt), asc(taskVersions.id));
    expect(versions.map((v) => [v.authorId, v.authorRole, v.negative, v.preCaption])).toEqual([
      [p.ann.id, "annotator", "rejected", "The camera zooms in."],
      [p.ann.id, "annotator", "no", "The camera dollies in."],
    ]);

    const other = await api("POST", `/api/tasks/${taskId}/review/start`, p.rev2);
    expect(other.status).toBe(403);
    expect(await errorOf(other)).toBe("Another reviewer is assigned to this task.");
    expect((await detail(p.rev)).abilities.actions).toContain("start_review");
    const again = await api("POST", `/api/tasks/${taskId}/review/start`, p.rev);
    expect(again.status).toBe(200);
    expect(((await again.json()) as StartReviewResponse).reviewerId).toBe(p.rev.id);
    expect((await api("POST", `/api/tasks/${taskId}/decision`, p.ann, { decision: "approve" })).status).toBe(403);
    expect((await api("POST", `/api/tasks/${taskId}/decision`, p.rev, { decision: "approve", note: "Now it says dolly." })).status).toBe(201);
    expect(await stage()).toBe("approved");

    const paid = await db().db.select().from(rewardLedger).where(eq(rewardLedger.eventKey, `task:${taskId}:approved`));
    expect(paid.map((r) => [r.userId, r.rule])).toEqual([[p.ann.id, "task.approved"]]);
  });

  it("keeps the catch on the rejected version with the annotator: their deduction, theirs to dispute", async () => {
    const deductions = await db().db.select().from(rewardLedger).where(eq(rewardLedger.catchId, caught));
    expect(deductions.map((r) => [r.userId, r.rule]).sort()).toEqual(
      [
        [p.ann.id, "deduction.missed_error"],
        [p.rev.id, "catch.missed_error"],
      ].sort(),
    );
    const asAnn = (await (await api("GET", `/api/tasks/${taskId}/catches`, p.ann)).json()) as CatchView[];
    expect(asAnn.find((x) => x.id === caught)).toMatchObject({ mayDispute: true });
    const asRev = (await (await api("GET", `/api/tasks/${taskId}/catches`, p.rev)).json()) as CatchView[];
    expect(asRev.find((x) => x.id === caught)).toMatchObject({ mayDispute: false });
    expect((await api("POST", `/api/catches/${caught}/dispute`, p.ann, { reason: "The draft said dolly already." })).status).toBe(200);
    expect((await db().db.select().from(catches).where(eq(catches.id, caught)))[0]?.status).toBe("disputed");

    // One reviewed task for Ann, rejected once; one catch against her work; none against the reviewer's.
    const ann = (await (await api("GET", `/api/figures/people/${p.ann.id}`, p.lead)).json()) as PersonFiguresResponse;
    expect(ann.annotator).toMatchObject({ reviewed: 1, rejected: 1 });
    const rev = (await (await api("GET", `/api/figures/people/${p.rev.id}`, p.lead)).json()) as PersonFiguresResponse;
    expect(rev.annotator).toMatchObject({ reviewed: 0 });
    expect(rev.reviewer).toMatchObject({ catches: 1 });
  });
});
