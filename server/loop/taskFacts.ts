import { and, count, desc, eq, gte, sql } from "drizzle-orm";
import type { Db } from "../db";
import { auditLog, projects, rounds, tasks, videos } from "../db/schema";
import type { ProjectSettings } from "../db/schema/media";
import { loadFacts, loadLabels } from "../labels/repository";
import { notFound } from "../errors";
import { validateLabels } from "../../shared/labelValidation";
import type { Spec } from "../../shared/captionSpec/schema";
import { Id } from "../../shared/api/common";

/** The task row fields the loop needs, with its project's settings and the clip's facts. */
export async function loadTask(db: Db, rawId: string | undefined) {
  const id = Id.safeParse(rawId);
  if (!id.success) throw notFound("No such task.");
  const [row] = await db
    .select({
      id: tasks.id,
      projectId: tasks.projectId,
      videoId: tasks.videoId,
      aspect: tasks.aspect,
      stage: tasks.stage,
      annotatorId: tasks.annotatorId,
      reviewerId: tasks.reviewerId,
      score: tasks.score,
      specVersion: tasks.specVersion,
      settings: projects.settings,
      durationSec: videos.durationSec,
      videoStorage: videos.storage,
      videoPath: videos.path,
      videoMime: videos.mimeType,
      videoSize: videos.sizeBytes,
    })
    .from(tasks)
    .innerJoin(projects, eq(projects.id, tasks.projectId))
    .innerJoin(videos, eq(videos.id, tasks.videoId))
    .where(eq(tasks.id, id.data))
    .limit(1);
  if (!row) throw notFound("No such task.");
  return { ...row, settings: row.settings as ProjectSettings };
}
export type LoopTask = Awaited<ReturnType<typeof loadTask>>;

/** The audit action of every stage change; its data carries {action, from, to}. */
export const STAGE_AUDIT_ACTION = "task.stage";

/** Finished revision rounds since the task last entered critiquing (a redo or relabel starts the count afresh). */
export async function finishedRounds(db: Db, taskId: string): Promise<number> {
  const [entered] = await db
    .select({ at: auditLog.at })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entityType, "task"),
        eq(auditLog.entityId, taskId),
        eq(auditLog.action, STAGE_AUDIT_ACTION),
        sql`${auditLog.data}->>'to' = 'critiquing'`,
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(1);
  const conditions = [eq(rounds.taskId, taskId), eq(rounds.status, "done")];
  if (entered) conditions.push(gte(rounds.startedAt, entered.at));
  const [row] = await db.select({ n: count() }).from(rounds).where(and(...conditions));
  return row?.n ?? 0;
}

/** The stage machine's own refusal for unfinished primitives (shared/stage/machine.ts, finish_labelling). */
const LABELS_INCOMPLETE = "Label every required sub-aspect first.";

/**
 * Why labelling cannot be finished yet, in words, or null when it can: every required sub-aspect is labelled and
 * the subjects or setting the aspect needs are named (the labelling panel's own rule, shared/labelValidation).
 */
export async function unfinishedLabelling(db: Db, spec: Spec, task: LoopTask): Promise<string | null> {
  const [labels, facts] = await Promise.all([loadLabels(db, task.id), loadFacts(db, task.id)]);
  const validation = validateLabels(labels, spec, { aspect: task.aspect, durationSec: task.durationSec, facts });
  if (validation.canFinish) return null;
  // The facts' messages first: they name what to write; the primitives' are summed up as the machine says them (the
  // panel shows each one).
  const fact = validation.problems.find((p) => p.code === "needs_subject" || p.code === "needs_setting");
  return fact?.message ?? LABELS_INCOMPLETE;
}

/** Labelling may be finished: see unfinishedLabelling. */
export async function labelsComplete(db: Db, spec: Spec, task: LoopTask): Promise<boolean> {
  return (await unfinishedLabelling(db, spec, task)) === null;
}
