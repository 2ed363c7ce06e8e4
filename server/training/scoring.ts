import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../db";
import { exams, goldScores, tasks, users } from "../db/schema";
import { conflict, notFound } from "../errors";
import { getLoadedSpec } from "../captionSpec/index";
import type { GoldScoreDetails, GoldScoreRow } from "../../shared/api/training";
import { scoreAgainstGold, type SpecEntryRef } from "../../shared/goldScoring";
import { answerKeyOf, attemptOf } from "./answerKey";
import { findAssignments } from "./exams";

type ScoreRow = typeof goldScores.$inferSelect;

export function toGoldScoreRow(r: ScoreRow): GoldScoreRow {
  return {
    id: r.id,
    taskId: r.taskId,
    goldTaskId: r.goldTaskId,
    traineeId: r.traineeId,
    examId: r.examId,
    precision: r.precision,
    recall: r.recall,
    constructiveShare: r.constructiveShare,
    passed: r.passed,
    details: r.details as GoldScoreDetails,
    createdAt: r.createdAt.toISOString(),
  };
}

/** The gold task an attempt answers: its exam assignment, else a gold task on the same clip and aspect. */
async function goldFor(db: Db, task: { id: string; videoId: string; aspect: string }): Promise<{ goldTaskId: string; examId: string | null } | null> {
  const [assigned] = await findAssignments(db, { taskId: task.id });
  if (assigned) return { goldTaskId: assigned.goldTaskId, examId: assigned.examId };
  const [gold] = await db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.videoId, task.videoId), eq(tasks.aspect, task.aspect as typeof tasks.$inferSelect.aspect), eq(tasks.isGold, true)))
    .orderBy(desc(tasks.updatedAt))
    .limit(1);
  return gold ? { goldTaskId: gold.id, examId: null } : null;
}

/** Names a primitive the loaded spec knows (for showing scored items). */
export async function specLookup(): Promise<(primitiveId: string) => SpecEntryRef | null> {
  try {
    const { spec } = await getLoadedSpec();
    return (id) => {
      const p = spec.primitives[id];
      return p ? { primitiveId: id, label: p.label, subAspect: p.subAspect } : null;
    };
  } catch {
    // Scoring must not fail because the spec folder does not load: results then name primitives by id only.
    return () => null;
  }
}

/**
 * Scores a trainee's submitted critique against its gold task and stores the result in gold_scores. Called by the
 * loop right after a submit (and by POST /api/tasks/:id/gold-score). Returns null when the task is not a trainee's
 * attempt at a gold task, so a caller may call it on every submit. Scoring the same submitted version twice returns
 * the stored score. Throws 409 when the attempt has not been submitted or the gold task has no answer key.
 */
export async function scoreGoldAttempt(db: Db, taskId: string, at?: Date): Promise<GoldScoreRow | null> {
  const [task] = await db
    .select({ id: tasks.id, videoId: tasks.videoId, aspect: tasks.aspect, isGold: tasks.isGold, annotatorId: tasks.annotatorId, role: users.role })
    .from(tasks)
    .leftJoin(users, eq(users.id, tasks.annotatorId))
    .where(eq(tasks.id, taskId))
    .limit(1);
  if (!task) throw notFound("No such task.");
  if (task.isGold || !task.annotatorId) return null;
  const gold = await goldFor(db, task);
  // Outside an exam only trainees' work is scored against gold; annotators on a gold clip are ordinary work.
  if (!gold || (gold.examId === null && task.role !== "trainee")) return null;
  const attempt = await attemptOf(db, taskId);
  if (!attempt) throw conflict("The attempt has not been submitted yet.");
  const [previous] = await db.select().from(goldScores).where(eq(goldScores.taskId, taskId)).orderBy(desc(goldScores.createdAt)).limit(1);
  if (previous && (previous.details as Partial<GoldScoreDetails>).attemptVersionId === attempt.versionId) return toGoldScoreRow(previous);
  const key = await answerKeyOf(db, gold.goldTaskId);
  if (!key) throw conflict("The gold task has no answer key.");
  const result = scoreAgainstGold(key, attempt, await specLookup());
  let passed: boolean | null = null;
  if (gold.examId) {
    const [exam] = await db.select({ t: exams.passThreshold }).from(exams).where(eq(exams.id, gold.examId)).limit(1);
    passed = exam ? result.f1 >= exam.t : null;
  }
  const details: GoldScoreDetails = { ...result, goldVersionId: key.versionId, attemptVersionId: attempt.versionId };
  const [row] = await db
    .insert(goldScores)
    .values({
      taskId,
      goldTaskId: gold.goldTaskId,
      traineeId: task.annotatorId,
      examId: gold.examId,
      precision: result.precision,
      recall: result.recall,
      constructiveShare: result.constructiveShare,
      passed,
      details,
      createdAt: at,
    })
    .returning();
  if (!row) throw new Error("gold score insert returned nothing");
  return toGoldScoreRow(row);
}

export async function latestGoldScore(db: Db, taskId: string): Promise<GoldScoreRow | null> {
  const [row] = await db.select().from(goldScores).where(eq(goldScores.taskId, taskId)).orderBy(desc(goldScores.createdAt)).limit(1);
  return row ? toGoldScoreRow(row) : null;
}
