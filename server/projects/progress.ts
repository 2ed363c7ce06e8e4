import { and, count, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../db";
import { auditLog, catches, disputes, projects, tasks, users } from "../db/schema";
import { notFound } from "../errors";
import { STAGE_AUDIT_ACTION } from "../loop/taskFacts";
import { PROGRESS_WEEKS, emptyStageCounts, type PersonProgress, type ProjectProgress, type StageCounts, type WaitingTotal } from "../../shared/api/projects";
import type { Role } from "../../shared/domain";
import { WAITING_ON } from "../../shared/stage/machine";
import type { Stage } from "../../shared/domain/stages";

/**
 * A project's progress: tasks by stage, who they wait on, submissions and approvals per week, per person.
 * Every query aggregates in SQL and reads only this project's tasks (and the stage-change audit rows of the weeks
 * shown), so the answer stays small whatever the project's size.
 */

type Part = PersonProgress["part"];
type Who = WaitingTotal["who"];

/** Timestamps leave SQL as ISO text: both drivers then hand back the same string. */
const isoText = (expr: ReturnType<typeof sql>) => sql<string | null>`to_char((${expr}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const weekText = (expr: ReturnType<typeof sql>) => sql<string>`to_char(date_trunc('week', (${expr}) at time zone 'UTC'), 'YYYY-MM-DD')`;

/** Mondays (UTC) of the last `PROGRESS_WEEKS` weeks, oldest first. */
export function weeksEnding(now: Date): string[] {
  const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  return Array.from({ length: PROGRESS_WEEKS }, (_, i) => {
    const d = new Date(monday);
    d.setUTCDate(d.getUTCDate() - 7 * (PROGRESS_WEEKS - 1 - i));
    return d.toISOString().slice(0, 10);
  });
}

/** One group of the project's tasks alike in everything that decides who they wait on. */
type TaskGroup = { stage: Stage; annotatorId: string | null; reviewerId: string | null; n: number; oldest: string | null };

/**
 * Who a task waits on, from WAITING_ON and the task row: the annotator works it (a rejected task included, which
 * they redo), its reviewer reviews it (any reviewer while it has none); a task with nobody to work it waits on the
 * lead, who assigns it.
 */
export function waitedOn(g: Pick<TaskGroup, "stage" | "annotatorId" | "reviewerId">): { who: Who; person: { id: string; part: Part } | null } | null {
  const kind = WAITING_ON[g.stage];
  if (kind === "nobody") return null;
  if (kind === "model" || kind === "lead") return { who: kind, person: null };
  if (kind === "annotator") {
    return g.annotatorId ? { who: "annotator", person: { id: g.annotatorId, part: "annotator" } } : { who: "lead", person: null };
  }
  return { who: "reviewer", person: g.reviewerId ? { id: g.reviewerId, part: "reviewer" } : null };
}

const older = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);

export async function projectProgress(db: Db, projectId: string, now = new Date()): Promise<ProjectProgress> {
  const [project] = await db.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId)).limit(1);
  if (!project) throw notFound("No such project.");
  const weeks = weeksEnding(now);
  const since = new Date(`${weeks[0]}T00:00:00.000Z`);

  // When each task entered its stage: its latest stage-change audit row (audit_entity_idx), else its creation.
  // Written out with qualified names: inside a subquery drizzle leaves column references unqualified, which the
  // correlated subqueries below would bind to their own tables.
  const entered = sql`coalesce((select max(a.at) from audit_log a where a.entity_type = 'task' and a.entity_id = "tasks"."id"::text and a.action = ${STAGE_AUDIT_ACTION}), "tasks"."created_at")`;
  const perTask = db
    .select({
      stage: tasks.stage,
      annotatorId: tasks.annotatorId,
      reviewerId: tasks.reviewerId,
      since: sql`${entered}`.as("since"),
    })
    .from(tasks)
    .where(eq(tasks.projectId, projectId))
    .as("t");
  const to = sql<string>`${auditLog.data}->>'to'`;

  const [groups, events, [dispute]] = await Promise.all([
    db
      .select({
        stage: perTask.stage,
        annotatorId: perTask.annotatorId,
        reviewerId: perTask.reviewerId,
        n: count(),
        oldest: isoText(sql`min(${perTask.since})`),
      })
      .from(perTask)
      .groupBy(perTask.stage, perTask.annotatorId, perTask.reviewerId),
    // Submissions and approvals of the weeks shown, from the stage-change audit rows (as server/dashboard does).
    db
      .select({ week: weekText(sql`${auditLog.at}`), to, actorId: auditLog.actorId, annotatorId: tasks.annotatorId, reviewerId: tasks.reviewerId, n: count() })
      .from(auditLog)
      .innerJoin(tasks, sql`${tasks.id}::text = ${auditLog.entityId}`)
      .where(
        and(
          eq(auditLog.action, STAGE_AUDIT_ACTION),
          eq(auditLog.entityType, "task"),
          gte(auditLog.at, since),
          sql`${to} in ('submitted', 'approved')`,
          eq(tasks.projectId, projectId),
        ),
      )
      .groupBy(sql`1`, sql`2`, auditLog.actorId, tasks.annotatorId, tasks.reviewerId),
    // Open disputes wait on a lead (server/review/disputes.ts resolves them).
    db
      .select({ n: count(), oldest: isoText(sql`min(${disputes.createdAt})`) })
      .from(disputes)
      .innerJoin(catches, eq(catches.id, disputes.catchId))
      .innerJoin(tasks, eq(tasks.id, catches.taskId))
      .where(and(eq(tasks.projectId, projectId), eq(catches.status, "disputed"), isNull(disputes.resolvedAt))),
  ]);

  const byStage = emptyStageCounts();
  const totals = new Map<Who, { count: number; oldest: string | null; openDisputes: number }>();
  const addWait = (who: Who, n: number, oldest: string | null, openDisputes = 0) => {
    const t = totals.get(who) ?? { count: 0, oldest: null, openDisputes: 0 };
    totals.set(who, { count: t.count + n, oldest: older(t.oldest, oldest), openDisputes: t.openDisputes + openDisputes });
  };
  type Row = { byStage: StageCounts; submitted: number[]; approved: number; waiting: number; oldest: string | null };
  const people = new Map<string, Row>();
  const row = (id: string, part: Part) => {
    const key = `${id}|${part}`;
    let r = people.get(key);
    if (!r) {
      r = { byStage: emptyStageCounts(), submitted: weeks.map(() => 0), approved: 0, waiting: 0, oldest: null };
      people.set(key, r);
    }
    return r;
  };

  for (const g of groups) {
    byStage[g.stage] += g.n;
    if (g.annotatorId) row(g.annotatorId, "annotator").byStage[g.stage] += g.n;
    if (g.reviewerId && g.reviewerId !== g.annotatorId) row(g.reviewerId, "reviewer").byStage[g.stage] += g.n;
    const w = waitedOn(g);
    if (!w) continue;
    addWait(w.who, g.n, g.oldest);
    if (w.person) {
      const r = row(w.person.id, w.person.part);
      r.waiting += g.n;
      r.oldest = older(r.oldest, g.oldest);
    }
  }
  if (dispute && dispute.n > 0) addWait("lead", dispute.n, dispute.oldest, dispute.n);

  const throughput = weeks.map((week) => ({ week, submitted: 0, approved: 0 }));
  for (const e of events) {
    const i = weeks.indexOf(e.week);
    const bucket = throughput[i];
    if (!bucket) continue;
    if (e.to === "submitted") {
      bucket.submitted += e.n;
      // Credit the task's annotator: only the worker submits (a lead or the CLI acts on their behalf).
      if (e.annotatorId) {
        const r = row(e.annotatorId, "annotator");
        r.submitted[i] = (r.submitted[i] ?? 0) + e.n;
      }
    } else {
      bucket.approved += e.n;
      if (e.annotatorId) row(e.annotatorId, "annotator").approved += e.n;
      if (e.actorId && e.actorId !== e.annotatorId) row(e.actorId, "reviewer").approved += e.n;
    }
  }

  const ids = [...new Set([...people.keys()].map((k) => k.split("|")[0] ?? ""))];
  const named = ids.length
    ? await db.select({ id: users.id, name: users.displayName, role: users.role }).from(users).where(inArray(users.id, ids))
    : [];
  const who = new Map<string, { name: string; role: Role }>(named.map((u) => [u.id, { name: u.name, role: u.role }]));

  const personRows: PersonProgress[] = [...people.entries()].flatMap(([key, r]) => {
    const [id = "", part] = key.split("|") as [string, Part];
    const u = who.get(id);
    // Someone who only acted (a lead approving) without tasks of theirs here is not one of the project's people.
    const hasTasks = Object.values(r.byStage).some((n) => n > 0);
    if (!u || !hasTasks) return [];
    return [{ id, name: u.name, role: u.role, part, byStage: r.byStage, submittedPerWeek: r.submitted, approved: r.approved, waiting: r.waiting, oldestWaitingSince: r.oldest }];
  });
  personRows.sort((a, b) => (a.part !== b.part ? (a.part === "annotator" ? -1 : 1) : a.name.localeCompare(b.name)));

  const ORDER: readonly Who[] = ["annotator", "reviewer", "model", "lead"];
  return {
    projectId,
    generatedAt: now.toISOString(),
    weeks,
    byStage,
    total: groups.reduce((s, g) => s + g.n, 0),
    waitingOn: ORDER.map((w) => {
      const t = totals.get(w) ?? { count: 0, oldest: null, openDisputes: 0 };
      return { who: w, count: t.count, oldestSince: t.oldest, openDisputes: t.openDisputes };
    }),
    throughput,
    people: personRows,
  };
}
