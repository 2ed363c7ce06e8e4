import { desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../db";
import { exams, goldScores, taskVersions, tasks } from "../db/schema";
import { notFound } from "../errors";
import type { ExamFeedback, FeedbackMatch, GoldScoreDetails } from "../../shared/api/training";
import { critiqueItemView, type CritiqueItem } from "../../shared/critique/items";
import { parseStoredItems } from "../../shared/critique/stored";
import { examOutcome, f1Of, type ScoredItemRef, type SpecEntryRef } from "../../shared/goldScoring";
import { examResults, findAssignments } from "./exams";
import { specLookup } from "./scoring";

type Spec = (primitiveId: string) => SpecEntryRef | null;

const refOf = (item: CritiqueItem, spec: Spec): ScoredItemRef => ({
  ...critiqueItemView(item, item.anchor?.quote.trim() || null),
  spec: item.primitiveId ? spec(item.primitiveId) : null,
});

/** The items of the two frozen versions a score compared (versions are never edited, so they still say the same). */
async function itemsOf(db: Db, versionIds: string[]): Promise<Map<string, CritiqueItem>> {
  const rows = await db.select({ id: taskVersions.id, critique: taskVersions.critique }).from(taskVersions).where(inArray(taskVersions.id, versionIds));
  const out = new Map<string, CritiqueItem>();
  for (const r of rows) for (const item of parseStoredItems(r.critique)) out.set(`${r.id}:${item.id}`, item);
  return out;
}

/**
 * The instant feedback on an exam attempt: each answer-key item found (beside the trainee's), missed, and each of the
 * trainee's items not in the key, with the figures, the pass mark and the standing on the whole exam. The caller
 * has already checked that the person may read this task's gold score.
 */
export async function examFeedback(db: Db, taskId: string): Promise<ExamFeedback> {
  const [assignment] = await findAssignments(db, { taskId });
  if (!assignment) throw notFound("This task is not an exam attempt.");
  const [[exam], [task], [row]] = await Promise.all([
    db.select().from(exams).where(eq(exams.id, assignment.examId)).limit(1),
    db.select({ stage: tasks.stage }).from(tasks).where(eq(tasks.id, taskId)).limit(1),
    db.select().from(goldScores).where(eq(goldScores.taskId, taskId)).orderBy(desc(goldScores.createdAt)).limit(1),
  ]);
  if (!exam || !task) throw notFound("No such exam attempt.");
  const results = await examResults(db, { examIds: [exam.id], traineeId: assignment.traineeId });
  const mine = results.find((r) => r.examId === exam.id);
  const standing = mine
    ? { attempted: mine.attempted, total: mine.total, meanF1: mine.meanF1, status: mine.status }
    : examOutcome(new Map(), [assignment.goldTaskId], exam.passThreshold);
  const base = { taskId, stage: task.stage, exam: { id: exam.id, name: exam.name, passThreshold: exam.passThreshold }, standing };
  if (!row) return { ...base, score: null };

  const d = row.details as GoldScoreDetails;
  const [items, spec] = await Promise.all([itemsOf(db, [d.goldVersionId, d.attemptVersionId]), specLookup()]);
  const matched = d.matched.flatMap(({ goldId, itemId, ...how }): FeedbackMatch[] => {
    const gold = items.get(`${d.goldVersionId}:${goldId}`);
    const item = items.get(`${d.attemptVersionId}:${itemId}`);
    return gold && item ? [{ ...how, gold: refOf(gold, spec), mine: refOf(item, spec) }] : [];
  });
  const f1 = f1Of(row.precision, row.recall);
  return {
    ...base,
    score: {
      precision: row.precision,
      recall: row.recall,
      f1,
      constructiveShare: row.constructiveShare,
      passed: row.passed ?? f1 >= exam.passThreshold,
      scoredAt: row.createdAt.toISOString(),
      goldCount: d.goldCount,
      itemCount: d.itemCount,
      matched,
      missed: d.missed,
      falseItems: d.falseItems,
    },
  };
}
