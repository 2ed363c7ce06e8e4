import { eq } from "drizzle-orm";
import type { Db } from "../db";
import { taskLabels, tasks } from "../db/schema";
import { agreementFromLabels, type LabelFact } from "../eval/agreement";
import type { DashboardData, DashboardFilter } from "../../shared/api/dashboard";
import { LabelValue } from "../../shared/labels";
import { dashboardTasksWhere } from "./scope";

/** Bound on the labels read: the agreement figure samples at most this many. */
const MAX_LABELS = 50_000;

/**
 * Agreement on primitives for the dashboard (server/eval/agreement.ts computes it): labels of the project's
 * non-gold tasks; with a person, only the clips and aspects that person labelled, so the figure is their agreement
 * with the others. Over all dates: a clip's labels are compared whenever each was made.
 */
export async function dashboardAgreement(db: Db, filter: Pick<DashboardFilter, "projectId" | "personId">): Promise<DashboardData["agreement"]> {
  const rows = await db
    .select({ taskId: taskLabels.taskId, primitiveId: taskLabels.primitiveId, value: taskLabels.value, videoId: tasks.videoId, aspect: tasks.aspect, annotatorId: tasks.annotatorId })
    .from(taskLabels)
    .innerJoin(tasks, eq(tasks.id, taskLabels.taskId))
    .where(dashboardTasksWhere({ projectId: filter.projectId, personId: null }))
    .limit(MAX_LABELS);
  const theirs = new Set(rows.filter((r) => filter.personId && r.annotatorId === filter.personId).map((r) => `${r.videoId}|${r.aspect}`));
  const facts: LabelFact[] = [];
  for (const r of rows) {
    if (filter.personId && !theirs.has(`${r.videoId}|${r.aspect}`)) continue;
    const value = LabelValue.safeParse(r.value);
    // A stored value of an unknown shape is not a label the report can compare.
    if (value.success) facts.push({ taskId: r.taskId, videoId: r.videoId, aspect: r.aspect, primitiveId: r.primitiveId, value: value.data });
  }
  return agreementFromLabels(facts).subAspects.map((s) => ({ subAspect: s.subAspect, alpha: s.alpha, units: s.units }));
}
