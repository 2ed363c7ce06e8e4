import { and, asc, eq, inArray, isNotNull, ne, or, sql } from "drizzle-orm";
import type { Db } from "../db";
import { auditLog, catches, projects, taskVersions, tasks, users } from "../db/schema";
import type { DashboardChoices, DashboardData, DashboardFilter } from "../../shared/api/dashboard";
import type { Aspect } from "../../shared/domain";
import { parseStoredItems } from "../../shared/critique/stored";
import { finalVersion } from "../versions";
import { dashboardAgreement } from "./agreement";
import { dashboardTasksWhere } from "./scope";
import { STAGE_ACTION, inDays } from "./taskEvents";

/** A bound on every read, so a large database keeps the dashboard cheap (the range is at most 366 days). */
const MAX_ROWS = 20_000;

const day = (d: Date) => d.toISOString().slice(0, 10);
const hour = (d: Date) => `${d.toISOString().slice(0, 13)}:00`;
/** Monday of the ISO week, as a date. */
function week(d: Date): string {
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  m.setUTCDate(m.getUTCDate() - ((m.getUTCDay() + 6) % 7));
  return day(m);
}

/**
 * Figures for the leads' dashboard, over the filter's days, project and annotator (shared/api/dashboard.ts); each
 * figure counts its tasks at the event the leads' task list names (./taskEvents.ts), so a click lists them:
 *  - error types per aspect: the items of each task's final (not rejected) version frozen in the range ("final");
 *  - catches per kind per day, overturned ones left out ("catch");
 *  - annotator precision and recall per week of their first version ("annotated"), from the catches on the task:
 *    precision = (items − false flags) / items, recall = right items / (right items + missed errors);
 *  - agreement on primitives: Krippendorff's alpha per sub-aspect (./agreement.ts), over all dates;
 *  - throughput: submissions per hour ("submitted"), and mean minutes in each stage from the stage-change audit
 *    log, counted when a task leaves the stage ("left_stage").
 */
export async function dashboardData(db: Db, filter: DashboardFilter): Promise<DashboardData> {
  const scope = dashboardTasksWhere(filter);
  const versionsInRange = db
    .select({ taskId: taskVersions.taskId })
    .from(taskVersions)
    .where(inDays(taskVersions.createdAt, filter.from, filter.to));
  const inRange = (at: Date) => at >= new Date(`${filter.from}T00:00:00.000Z`) && day(at) <= filter.to;

  const [versionRows, catchRows, stageRows, agreement, choices] = await Promise.all([
    // Every version of each task that froze one in the range: which is final, or first, needs them all.
    db
      .select({ taskId: taskVersions.taskId, critique: taskVersions.critique, role: taskVersions.authorRole, negative: taskVersions.negative, createdAt: taskVersions.createdAt, aspect: tasks.aspect, annotatorId: tasks.annotatorId, annotator: users.displayName })
      .from(taskVersions)
      .innerJoin(tasks, eq(tasks.id, taskVersions.taskId))
      .leftJoin(users, eq(users.id, tasks.annotatorId))
      .where(and(scope, inArray(taskVersions.taskId, versionsInRange)))
      .orderBy(asc(taskVersions.createdAt))
      .limit(MAX_ROWS),
    db
      .select({ taskId: catches.taskId, kind: catches.kind, createdAt: catches.createdAt })
      .from(catches)
      .innerJoin(tasks, eq(tasks.id, catches.taskId))
      .where(and(scope, inDays(catches.createdAt, filter.from, filter.to), ne(catches.status, "overturned")))
      .orderBy(asc(catches.createdAt))
      .limit(MAX_ROWS),
    db
      .select({ at: auditLog.at, taskId: auditLog.entityId, data: auditLog.data })
      .from(auditLog)
      .innerJoin(tasks, eq(sql`${tasks.id}::text`, auditLog.entityId))
      .where(and(eq(auditLog.action, STAGE_ACTION), eq(auditLog.entityType, "task"), scope, inDays(auditLog.at, filter.from, filter.to)))
      .orderBy(asc(auditLog.id))
      .limit(MAX_ROWS),
    dashboardAgreement(db, filter),
    dashboardChoices(db),
  ]);

  // Error types per aspect, from each task's final version (server/versions), when it was frozen in the range.
  const versionsByTask = new Map<string, (typeof versionRows)[number][]>();
  for (const v of versionRows) {
    const vs = versionsByTask.get(v.taskId);
    if (vs) vs.push(v);
    else versionsByTask.set(v.taskId, [v]);
  }
  const errorCounts = new Map<string, { aspect: Aspect; errorType: string; count: number }>();
  for (const v of [...versionsByTask.values()].flatMap((vs) => finalVersion(vs) ?? [])) {
    if (!inRange(v.createdAt)) continue;
    for (const item of parseStoredItems(v.critique)) {
      const t = item.errorType;
      const key = `${v.aspect}|${t}`;
      const e = errorCounts.get(key) ?? { aspect: v.aspect, errorType: t, count: 0 };
      e.count++;
      errorCounts.set(key, e);
    }
  }

  const catchCounts = new Map<string, { day: string; kind: string; count: number }>();
  for (const c of catchRows) {
    const key = `${day(c.createdAt)}|${c.kind}`;
    const e = catchCounts.get(key) ?? { day: day(c.createdAt), kind: c.kind, count: 0 };
    e.count++;
    catchCounts.set(key, e);
  }

  // Annotator trends: each task's first annotator version (frozen in the range) against the catches on the task.
  const catchesByTask = new Map<string, { falseFlags: number; missed: number }>();
  for (const c of catchRows) {
    const e = catchesByTask.get(c.taskId) ?? { falseFlags: 0, missed: 0 };
    if (c.kind === "false_flag") e.falseFlags++;
    if (c.kind === "missed_error") e.missed++;
    catchesByTask.set(c.taskId, e);
  }
  const firstAnnotatorVersion = new Map<string, (typeof versionRows)[number]>();
  for (const v of versionRows) if (v.role === "annotator" && !firstAnnotatorVersion.has(v.taskId)) firstAnnotatorVersion.set(v.taskId, v);
  const trend = new Map<string, { userId: string; name: string; week: string; items: number; right: number; missed: number; tasks: number }>();
  for (const v of firstAnnotatorVersion.values()) {
    if (!v.annotatorId || !inRange(v.createdAt)) continue;
    const caught = catchesByTask.get(v.taskId) ?? { falseFlags: 0, missed: 0 };
    const key = `${v.annotatorId}|${week(v.createdAt)}`;
    const e = trend.get(key) ?? { userId: v.annotatorId, name: v.annotator ?? "?", week: week(v.createdAt), items: 0, right: 0, missed: 0, tasks: 0 };
    const items = parseStoredItems(v.critique).length;
    e.items += items;
    e.right += Math.max(0, items - caught.falseFlags);
    e.missed += caught.missed;
    e.tasks++;
    trend.set(key, e);
  }

  // Throughput: time in a stage = from entering it (or the first transition seen) to leaving it.
  const perHour = new Map<string, number>();
  const stageMinutes = new Map<string, { total: number; samples: number }>();
  const lastEntered = new Map<string, Date>();
  for (const r of stageRows) {
    const from = typeof r.data.from === "string" ? r.data.from : null;
    const to = typeof r.data.to === "string" ? r.data.to : null;
    const entered = lastEntered.get(r.taskId);
    if (from && entered) {
      const s = stageMinutes.get(from) ?? { total: 0, samples: 0 };
      s.total += (r.at.getTime() - entered.getTime()) / 60_000;
      s.samples++;
      stageMinutes.set(from, s);
    }
    lastEntered.set(r.taskId, r.at);
    if (to === "submitted") perHour.set(hour(r.at), (perHour.get(hour(r.at)) ?? 0) + 1);
  }

  const byKey = <T>(a: [string, T], b: [string, T]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return {
    filter,
    choices,
    errorTypesPerAspect: [...errorCounts.entries()].sort(byKey).map(([, v]) => v),
    catchesOverTime: [...catchCounts.entries()].sort(byKey).map(([, v]) => v),
    annotatorTrends: [...trend.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.week < b.week ? -1 : 1))
      .map((t) => ({
        userId: t.userId,
        name: t.name,
        week: t.week,
        precision: t.items > 0 ? t.right / t.items : null,
        recall: t.right + t.missed > 0 ? t.right / (t.right + t.missed) : null,
        tasks: t.tasks,
      })),
    agreement,
    throughput: {
      tasksPerHour: [...perHour.entries()].sort(byKey).map(([h, count]) => ({ hour: h, count })),
      minutesPerStage: [...stageMinutes.entries()].map(([stage, s]) => ({ stage, minutes: s.total / s.samples, samples: s.samples })),
    },
  };
}

/** What the filter bar offers: every project, and the people who annotate (by role, or because they annotated). */
export async function dashboardChoices(db: Db): Promise<DashboardChoices> {
  const annotated = db.selectDistinct({ id: tasks.annotatorId }).from(tasks).where(isNotNull(tasks.annotatorId));
  const [projectRows, people] = await Promise.all([
    db.select({ id: projects.id, name: projects.name }).from(projects).orderBy(asc(projects.name)),
    db
      .select({ id: users.id, name: users.displayName, role: users.role })
      .from(users)
      .where(or(inArray(users.role, ["annotator", "trainee"]), inArray(users.id, annotated)))
      .orderBy(asc(users.displayName), asc(users.id)),
  ]);
  return { projects: projectRows, people };
}
