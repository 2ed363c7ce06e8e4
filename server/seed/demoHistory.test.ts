import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, asc, count, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { RoomRegistry } from "../collab/rooms";
import { PgStorage } from "../collab/pgStorage";
import { dashboardData } from "../dashboard/queries";
import { auditLog, catches, disputes, reviewDecisions, tasks, taskVersions, users } from "../db/schema";
import { getSpec } from "../captionSpec/index";
import { readRoom } from "../loop/roomContent";
import { STAGE_AUDIT_ACTION } from "../loop/taskFacts";
import { describeEachDb } from "../testing/db";
import { testConfig } from "../testing/testConfig";
import { dashboardFilterSchema } from "../../shared/api/dashboard";
import { seedDemo } from "./demo";
import { seedDemoHistory, type DemoHistoryResult } from "./demoHistory";
import { HISTORY_WEEKS, jobSteps, planHistory } from "./demoHistoryPlan";
import { seedDemoReview } from "./demoReview";
import { seedDemoWork } from "./demoWork";
import { demoHistoryPending, seedDemoHistoryIfPending, seedOnStart } from "./onStart";

/** A Wednesday afternoon: the history is pinned to it, so its figures are the same on every run. */
const NOW = new Date("2026-03-04T15:00:00Z");
const TODAY = NOW.toISOString().slice(0, 10);

/** Two stand-in clips with known camera behaviours (the seed copies bytes; it needs no real video). */
function fakeClipsDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-demo-history-"));
  const clips = [
    { name: "still", camera: "static" },
    { name: "pan", camera: "pan_left" },
  ].map(({ name, camera }) => {
    fs.writeFileSync(path.join(dir, `${name}.webm`), `not really a video: ${name}`);
    return { file: `${name}.webm`, title: `Clip ${name}`, camera, durationSec: 4, fps: 24, width: 64, height: 36 };
  });
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ clips }));
  return dir;
}

/** Monday of the ISO week of a day. */
function isoWeek(d: Date): string {
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  m.setUTCDate(m.getUTCDate() - ((m.getUTCDay() + 6) % 7));
  return m.toISOString().slice(0, 10);
}

describe("demo history plan", () => {
  it("is the same for the same present, stays in the past and in order, and works more on Mondays than Fridays", () => {
    const jobs = planHistory(NOW, 7);
    expect(planHistory(NOW, 7)).toEqual(jobs);
    const first = Date.UTC(2026, 2, 4) - HISTORY_WEEKS * 7 * 86_400_000;
    for (const j of jobs) {
      const steps = jobSteps(j);
      expect(steps.every((d, i) => i === 0 || d >= steps[i - 1]!)).toBe(true);
      expect(steps.every((d) => d < NOW && d.getTime() >= first)).toBe(true);
      for (const c of j.catches) if (c.dispute?.resolveAt) expect(c.dispute.resolveAt < NOW).toBe(true);
    }
    const onWeekday = (wd: number) => jobs.filter((j) => j.submittedAt.getUTCDay() === wd).length;
    expect(onWeekday(1)).toBeGreaterThan(onWeekday(5));
    expect(onWeekday(0)).toBe(0);
  });
});

describeEachDb("demo history", (db) => {
  const config = testConfig({ demo: true });
  let history: DemoHistoryResult;

  beforeAll(async () => {
    const clipsDir = fakeClipsDir();
    expect((await seedDemo(db().db, config, { clipsDir, specVersion: async () => (await getSpec()).version, log: () => {} })).seeded).toBe(true);
    await seedDemoWork(config, db(), { clipsDir });
    await seedDemoReview(db().db);
    // What a start leaves for after it listens: the present day is there, the history not yet.
    expect(await demoHistoryPending(config, db())).toBe(true);
    history = await seedDemoHistory(config, db(), { clipsDir, now: NOW });
  });

  const stageRows = (ids: string[]) =>
    db()
      .db.select({ taskId: auditLog.entityId, at: auditLog.at, data: auditLog.data })
      .from(auditLog)
      .where(and(eq(auditLog.action, STAGE_AUDIT_ACTION), eq(auditLog.entityType, "task"), inArray(auditLog.entityId, ids)))
      .orderBy(asc(auditLog.id));

  it("spans eight ISO weeks of finished work, every row of it in the past", async () => {
    expect(history.tasks).toBeGreaterThanOrEqual(40);
    expect(history.redone).toBeGreaterThan(0);
    expect(history.disputes).toBeGreaterThan(0);
    const rows = await stageRows(history.taskIds);
    expect(new Set(rows.map((r) => isoWeek(r.at))).size).toBeGreaterThanOrEqual(8);
    expect(rows.every((r) => r.at < NOW)).toBe(true);
    const done = await db().db.select({ stage: tasks.stage }).from(tasks).where(inArray(tasks.id, history.taskIds));
    expect(new Set(done.map((t) => t.stage))).toEqual(new Set(["approved"]));
    const [people] = await db().db.select({ n: count() }).from(users).where(inArray(users.email, ["newcomer@demo.test", "reviewer2@demo.test"]));
    expect(people?.n).toBe(2);
  });

  it("gives every history task the stage audit rows its stage implies, made by the loop", async () => {
    const rows = await stageRows(history.taskIds);
    const byTask = new Map<string, { at: Date; data: Record<string, unknown> }[]>();
    for (const r of rows) byTask.set(r.taskId, [...(byTask.get(r.taskId) ?? []), r]);
    const straight = ["finish_labelling", "draft_ready", "request_revision", "revision_done", "submit", "start_review", "approve"];
    const redone = [...straight.slice(0, -1), "reject_and_redo", "redo", "request_revision", "revision_done", "submit", "start_review", "approve"];
    let redos = 0;
    for (const id of history.taskIds) {
      const chain = byTask.get(id) ?? [];
      // Each move starts where the last one ended, from labelling to approved, in time order.
      expect(chain[0]?.data.from).toBe("labelling");
      chain.forEach((r, i) => i > 0 && expect(r.data.from).toBe(chain[i - 1]?.data.to));
      chain.forEach((r, i) => i > 0 && expect(r.at >= chain[i - 1]!.at).toBe(true));
      expect(chain.at(-1)?.data.to).toBe("approved");
      const actions = chain.map((r) => r.data.action);
      if (actions.includes("redo")) redos++;
      expect([straight, redone]).toContainEqual(actions);
    }
    expect(redos).toBe(history.redone);
    // A redo leaves the annotator's first version as a negative and their resubmission as the final one: every
    // version is the annotator's, and the reviewer who rejected is the one who approves.
    const versions = await db().db.select().from(taskVersions).where(inArray(taskVersions.taskId, history.taskIds));
    expect(versions.filter((v) => v.negative === "rejected").length).toBe(history.redone);
    expect(versions.filter((v) => v.authorRole === "reviewer")).toEqual([]);
    const rows2 = await db().db.select({ id: tasks.id, annotatorId: tasks.annotatorId }).from(tasks).where(inArray(tasks.id, history.taskIds));
    const annotatorOf = new Map(rows2.map((t) => [t.id, t.annotatorId]));
    expect(versions.every((v) => v.authorId === annotatorOf.get(v.taskId))).toBe(true);
    const decided = await db().db.select().from(reviewDecisions).where(inArray(reviewDecisions.taskId, history.taskIds));
    const deciders = new Map<string, Set<string>>();
    for (const d of decided) deciders.set(d.taskId, (deciders.get(d.taskId) ?? new Set()).add(d.reviewerId));
    expect([...deciders.values()].every((s) => s.size === 1)).toBe(true);
    expect(decided.filter((d) => d.decision === "reject_and_redo").every((d) => d.note.trim() !== "")).toBe(true);
    for (const d of decided) expect(d.reviewerId).not.toBe(annotatorOf.get(d.taskId));
  });

  it("keeps each task's room: the draft, the anchored critique and the post-caption", async () => {
    const rooms = new RoomRegistry({ storage: new PgStorage(db().db) });
    try {
      for (const id of history.taskIds.slice(0, 3)) {
        const room = await readRoom(rooms, id);
        expect(room.draft.trim()).not.toBe("");
        expect(room.items.length).toBeGreaterThan(0);
        expect(room.post.trim()).not.toBe("");
      }
    } finally {
      await rooms.close();
    }
  });

  it("gives the lead's dashboard trends: precision and recall by week, catches and throughput over many days", async () => {
    const data = await dashboardData(db().db, dashboardFilterSchema(TODAY).parse({}));
    const weeksOf = (pick: (t: (typeof data.annotatorTrends)[number]) => number | null) => {
      const weeks = new Map<string, Set<string>>();
      for (const t of data.annotatorTrends) if (pick(t) !== null) weeks.set(t.name, (weeks.get(t.name) ?? new Set()).add(t.week));
      return [...weeks.values()].filter((w) => w.size >= 6).length;
    };
    expect(weeksOf((t) => t.precision)).toBeGreaterThanOrEqual(2);
    expect(weeksOf((t) => t.recall)).toBeGreaterThanOrEqual(2);
    expect(new Set(data.catchesOverTime.map((c) => c.day)).size).toBeGreaterThanOrEqual(20);
    expect(new Set(data.catchesOverTime.map((c) => c.kind)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(data.throughput.tasksPerHour.map((h) => h.hour.slice(0, 10))).size).toBeGreaterThanOrEqual(30);

    // The newcomer gets better: her last weeks' recall and precision beat her first weeks'.
    const nia = data.annotatorTrends.filter((t) => t.name === "Nia Newcomer").sort((a, b) => (a.week < b.week ? -1 : 1));
    const mean = (xs: (number | null)[]) => {
      const v = xs.filter((x): x is number => x !== null);
      return v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
    };
    const early = nia.slice(0, 3);
    const late = nia.slice(-3);
    expect(mean(late.map((t) => t.recall))).toBeGreaterThan(mean(early.map((t) => t.recall)));
    expect(mean(late.map((t) => t.precision))).toBeGreaterThanOrEqual(mean(early.map((t) => t.precision)));
  });

  it("records catches with their payments and disputes with their rulings", async () => {
    const made = await db().db.select().from(catches).where(inArray(catches.taskId, history.taskIds));
    expect(made.length).toBe(history.catches);
    expect(new Set(made.map((c) => c.createdAt.toISOString().slice(0, 10))).size).toBeGreaterThanOrEqual(20);
    const ds = await db().db.select().from(disputes).where(inArray(disputes.catchId, made.map((c) => c.id)));
    expect(ds.length).toBe(history.disputes);
    for (const d of ds) expect(d.createdAt < NOW).toBe(true);
  });

  it("is seeded once: a second start finds the demo and seeds nothing", async () => {
    const counts = async () => {
      const [t] = await db().db.select({ n: count() }).from(tasks);
      const [a] = await db().db.select({ n: count() }).from(auditLog);
      return [t?.n, a?.n];
    };
    const before = await counts();
    const rooms = new RoomRegistry({ storage: new PgStorage(db().db) });
    try {
      expect(await seedOnStart(testConfig({ demo: true, logLevel: "silent" }), db(), rooms)).toEqual({ seeded: false, reason: "not_empty" });
    } finally {
      await rooms.close();
    }
    // The history, written after the server listens, is there already: nothing is pending, nothing is written.
    expect(await demoHistoryPending(testConfig({ demo: true }), db())).toBe(false);
    await seedDemoHistoryIfPending(testConfig({ demo: true, logLevel: "silent" }), db());
    expect(await counts()).toEqual(before);
    expect(await demoHistoryPending(testConfig({ demo: false }), db())).toBe(false);
  });
});
