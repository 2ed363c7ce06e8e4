import { randomUUID } from "node:crypto";
import { and, eq, gt, lte, sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { createApp, createServices } from "../app";
import { auditLog, projects, tasks, videos } from "../db/schema/index";
import { applyTransition, type Requester } from "../loop";
import { STAGE_AUDIT_ACTION } from "../loop/taskFacts";
import { describeEachDb } from "../testing/db";
import { createTestUser, type TestUser } from "../testing/seed";
import { testConfig } from "../testing/testConfig";
import { waitedOn, weeksEnding } from "./progress";
import { PROGRESS_WEEKS, ProjectProgress, ProjectTaskList, emptyStageCounts } from "../../shared/api/projects";
import type { Stage } from "../../shared/domain/stages";

const asUser = (u: TestUser): Requester => ({ kind: "user", user: { id: u.id, email: u.email, displayName: u.displayName, role: u.role } });
const counts = (c: Partial<Record<Stage, number>>) => ({ ...emptyStageCounts(), ...c });

describeEachDb("project progress", (db) => {
  let services: ReturnType<typeof createServices>;
  let app: ReturnType<typeof createApp>;
  let lead: TestUser;
  let annA: TestUser;
  let annB: TestUser;
  let rev: TestUser;

  const call = async (user: TestUser, method: string, url: string, body?: unknown) => {
    const res = await app.request(url, {
      method,
      headers: { cookie: user.cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res;
  };
  const ok = async (user: TestUser, method: string, url: string, body?: unknown): Promise<unknown> => {
    const res = await call(user, method, url, body);
    expect(res.status, `${method} ${url}: ${await res.clone().text()}`).toBeLessThan(300);
    return res.json();
  };

  /** Labelling → drafting → critiquing → submitted (the perfect path), by the task's annotator and the server. */
  const submit = async (taskId: string, annotator: TestUser) => {
    const deps = services.loop.deps;
    // Guard inputs the room and the labels would give (complete labels, a score of 5); the moves are the loop's own.
    await applyTransition(deps, taskId, "finish_labelling", asUser(annotator), { ctx: { labelsComplete: true } });
    await applyTransition(deps, taskId, "draft_ready", { kind: "system" });
    await applyTransition(deps, taskId, "score_perfect", asUser(annotator), { ctx: { score: 5 } });
  };
  const stageRow = async (taskId: string, to: Stage) => {
    const [row] = await db()
      .db.select({ id: auditLog.id })
      .from(auditLog)
      .where(and(eq(auditLog.action, STAGE_AUDIT_ACTION), eq(auditLog.entityId, taskId), sql`${auditLog.data}->>'to' = ${to}`));
    if (!row) throw new Error(`no stage row ${taskId} → ${to}`);
    return row.id;
  };
  /** As if that move (and the ones before it) had happened then: the rows the service wrote are moved back in time
   * (rows already older stay where they are). */
  const backdate = async (taskId: string, to: Stage, at: Date) => {
    const upTo = await stageRow(taskId, to);
    await db()
      .db.update(auditLog)
      .set({ at })
      .where(and(eq(auditLog.action, STAGE_AUDIT_ACTION), eq(auditLog.entityId, taskId), lte(auditLog.id, upTo), gt(auditLog.at, at)));
  };

  beforeAll(async () => {
    const d = db().db;
    services = createServices({ config: testConfig(), database: db() });
    app = createApp(services);
    lead = await createTestUser(d, "lead");
    annA = await createTestUser(d, "annotator", { name: "Ann A" });
    annB = await createTestUser(d, "annotator", { name: "Ann B" });
    rev = await createTestUser(d, "reviewer", { name: "Rev R" });
  });

  it("counts tasks by stage, who they wait on, and submissions and approvals per week, per person", async () => {
    const d = db().db;
    const [p] = await d.insert(projects).values({ name: `progress-${randomUUID()}`, settings: { aspects: ["subject"] } }).returning({ id: projects.id });
    if (!p) throw new Error("no project");
    for (let i = 1; i <= 7; i++) {
      await d.insert(videos).values({ projectId: p.id, title: `clip-${i}`, storage: "data", path: `${randomUUID()}.webm`, mimeType: "video/webm", sizeBytes: 1, sha256: randomUUID(), durationSec: 5 });
    }
    await ok(lead, "POST", `/api/projects/${p.id}/tasks/generate`);
    const ids = ProjectTaskList.parse(await ok(lead, "GET", `/api/projects/${p.id}/tasks`)).map((t) => t.id);
    const [t0, t1, t2, t3, t4, _unassigned, t6] = ids as [string, string, string, string, string, string, string];
    await ok(lead, "POST", `/api/projects/${p.id}/assign`, { mode: "manual", taskIds: [t0, t1, t2], annotatorId: annA.id });
    await ok(lead, "POST", `/api/projects/${p.id}/assign`, { mode: "manual", taskIds: [t3, t4, t6], annotatorId: annB.id });
    // The sixth task stays unassigned: it waits on the lead.

    // t0: submitted, reviewed and approved. t1: submitted, nobody reviewing yet. t2: still labelling.
    await submit(t0, annA);
    await ok(rev, "POST", `/api/tasks/${t0}/review/start`);
    await ok(rev, "POST", `/api/tasks/${t0}/decision`, { decision: "approve" });
    await submit(t1, annA);
    // t3: drafting, waiting on the model.
    await applyTransition(services.loop.deps, t3, "finish_labelling", asUser(annB), { ctx: { labelsComplete: true } });
    // t4: in review with a catch the annotator disputes (a dispute waits on the lead).
    await submit(t4, annB);
    await ok(rev, "POST", `/api/tasks/${t4}/review/start`);
    const caught = (await ok(rev, "POST", `/api/tasks/${t4}/catches`, { requestKey: randomUUID(), kind: "missed_error", timeStart: 1, timeEnd: 2, note: "The dog is not named." })) as { id: string };
    await ok(annB, "POST", `/api/catches/${caught.id}/dispute`, { reason: "It is named in the second sentence." });
    // t6: rejected, and its annotator redoes it: back in critiquing, waiting on Ann B again (not on the reviewer).
    await submit(t6, annB);
    await ok(rev, "POST", `/api/tasks/${t6}/review/start`);
    await ok(rev, "POST", `/api/tasks/${t6}/decision`, { decision: "reject_and_redo", note: "Redo." });
    await applyTransition(services.loop.deps, t6, "redo", asUser(annB));

    // Work in another project counts there, not here.
    const [other] = await d.insert(projects).values({ name: `other-${randomUUID()}`, settings: { aspects: ["subject"] } }).returning({ id: projects.id });
    if (!other) throw new Error("no project");
    await d.insert(videos).values({ projectId: other.id, title: "elsewhere", storage: "data", path: `${randomUUID()}.webm`, mimeType: "video/webm", sizeBytes: 1, sha256: randomUUID(), durationSec: 5 });
    await ok(lead, "POST", `/api/projects/${other.id}/tasks/generate`);
    const [elsewhere] = ProjectTaskList.parse(await ok(lead, "GET", `/api/projects/${other.id}/tasks`)).map((t) => t.id);
    if (!elsewhere) throw new Error("no task");
    await ok(lead, "POST", `/api/projects/${other.id}/assign`, { mode: "manual", taskIds: [elsewhere], annotatorId: annA.id });
    await submit(elsewhere, annA);

    // History: t0 submitted three weeks back and approved two weeks back; t1 submitted nine weeks back (outside the
    // weeks shown); t2 made twelve days back and never moved.
    const weeks = weeksEnding(new Date());
    const inWeek = (i: number) => new Date(`${weeks[i]}T12:00:00.000Z`);
    const beforeWindow = new Date(inWeek(0).getTime() - 2 * 7 * 86_400_000);
    await backdate(t0, "submitted", inWeek(4));
    await backdate(t0, "approved", inWeek(5));
    await backdate(t1, "submitted", beforeWindow);
    const made = new Date(Date.now() - 12 * 86_400_000);
    made.setUTCMilliseconds(0);
    await d.update(tasks).set({ createdAt: made }).where(eq(tasks.id, t2));

    const res = await call(lead, "GET", `/api/projects/${p.id}/progress`);
    expect(res.status).toBe(200);
    const progress = ProjectProgress.parse(await res.json());

    expect(progress.weeks).toEqual(weeks);
    expect(progress.weeks).toHaveLength(PROGRESS_WEEKS);
    expect(progress.total).toBe(7);
    expect(progress.byStage).toEqual(counts({ labelling: 2, drafting: 1, submitted: 1, in_review: 1, approved: 1, critiquing: 1 }));

    expect(progress.waitingOn).toEqual([
      // t2 (labelling) and t6 (being redone by its annotator); the oldest is t2, made twelve days back.
      { who: "annotator", count: 2, oldestSince: made.toISOString(), openDisputes: 0 },
      // t1 (nobody's yet) and t4 (in review); the oldest is t1, submitted nine weeks back.
      { who: "reviewer", count: 2, oldestSince: beforeWindow.toISOString(), openDisputes: 0 },
      { who: "model", count: 1, oldestSince: expect.any(String), openDisputes: 0 },
      { who: "lead", count: 2, oldestSince: expect.any(String), openDisputes: 1 },
    ]);

    expect(progress.throughput.map((w) => [w.submitted, w.approved])).toEqual([
      [0, 0], [0, 0], [0, 0], [0, 0], [1, 0], [0, 1], [0, 0], [2, 0],
    ]);

    const byName = new Map(progress.people.map((x) => [`${x.name}/${x.part}`, x]));
    expect([...byName.keys()]).toEqual(["Ann A/annotator", "Ann B/annotator", "Rev R/reviewer"]);
    expect(byName.get("Ann A/annotator")).toMatchObject({
      id: annA.id,
      role: "annotator",
      byStage: counts({ approved: 1, submitted: 1, labelling: 1 }),
      submittedPerWeek: [0, 0, 0, 0, 1, 0, 0, 0],
      approved: 1,
      waiting: 1,
      oldestWaitingSince: made.toISOString(),
    });
    expect(byName.get("Ann B/annotator")).toMatchObject({
      byStage: counts({ drafting: 1, in_review: 1, critiquing: 1 }),
      submittedPerWeek: [0, 0, 0, 0, 0, 0, 0, 2],
      approved: 0,
      waiting: 1,
      oldestWaitingSince: expect.any(String),
    });
    expect(byName.get("Rev R/reviewer")).toMatchObject({
      id: rev.id,
      role: "reviewer",
      byStage: counts({ approved: 1, in_review: 1, critiquing: 1 }),
      submittedPerWeek: [0, 0, 0, 0, 0, 0, 0, 0],
      approved: 1,
      waiting: 1,
    });
  });

  it("a rejected task waits on its annotator, who redoes it; its resubmission on the task's reviewer", () => {
    const task = { annotatorId: "ann", reviewerId: "rev" };
    expect(waitedOn({ ...task, stage: "rejected" })).toEqual({ who: "annotator", person: { id: "ann", part: "annotator" } });
    expect(waitedOn({ ...task, stage: "critiquing" })).toEqual({ who: "annotator", person: { id: "ann", part: "annotator" } });
    expect(waitedOn({ ...task, stage: "submitted" })).toEqual({ who: "reviewer", person: { id: "rev", part: "reviewer" } });
    expect(waitedOn({ annotatorId: null, reviewerId: "rev", stage: "rejected" })).toEqual({ who: "lead", person: null });
  });

  it("is for leads and admins only, and says so for an unknown project", async () => {
    const [p] = await db().db.insert(projects).values({ name: `progress-${randomUUID()}`, settings: {} }).returning({ id: projects.id });
    if (!p) throw new Error("no project");
    const annotator = await call(annA, "GET", `/api/projects/${p.id}/progress`);
    expect(annotator.status).toBe(403);
    const missing = await call(lead, "GET", `/api/projects/${randomUUID()}/progress`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toBe("No such project.");
    expect((await call(lead, "GET", "/api/projects/not-an-id/progress")).status).toBe(400);
    // An empty project: zeros everywhere, nobody waited on.
    const empty = ProjectProgress.parse(await ok(lead, "GET", `/api/projects/${p.id}/progress`));
    expect(empty).toMatchObject({ total: 0, byStage: counts({}), people: [] });
    expect(empty.waitingOn.every((w) => w.count === 0 && w.oldestSince === null)).toBe(true);
  });
});
