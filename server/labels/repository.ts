import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../db";
import { taskLabels, tasks, users } from "../db/schema";
import { hasFacts, normalizeFacts, sameFacts, sameLabel, type SuggestedFacts } from "../../shared/api/labels";
import { CaptionFacts, EMPTY_FACTS } from "../../shared/captionFacts";
import { LabelValue, type Label, type StoredLabel } from "../../shared/labels";

/** How a replace changed the stored set (for the audit log and the response). */
export type LabelChanges = { added: number; changed: number; removed: number; unchanged: number };

/** A task's stored labels with who labelled each and when, in a stable order. */
export async function loadLabels(db: Db, taskId: string): Promise<StoredLabel[]> {
  const rows = await db
    .select({
      primitiveId: taskLabels.primitiveId,
      value: taskLabels.value,
      notSure: taskLabels.notSure,
      timeStart: taskLabels.timeStart,
      timeEnd: taskLabels.timeEnd,
      note: taskLabels.note,
      labelledBy: taskLabels.labelledBy,
      labelledByName: users.displayName,
      labelledAt: taskLabels.labelledAt,
    })
    .from(taskLabels)
    .innerJoin(users, eq(users.id, taskLabels.labelledBy))
    .where(eq(taskLabels.taskId, taskId))
    .orderBy(asc(taskLabels.primitiveId));
  return rows.map((r) => ({
    primitiveId: r.primitiveId,
    // jsonb is typed unknown in the schema: parse it so a hand-edited row cannot reach a client malformed.
    value: LabelValue.parse(r.value),
    notSure: r.notSure,
    timeStart: r.timeStart,
    timeEnd: r.timeEnd,
    note: r.note,
    labelledBy: r.labelledBy,
    labelledByName: r.labelledByName,
    labelledAt: r.labelledAt.toISOString(),
  }));
}

/** What replacing `current` by `next` does, row by row. Pure, so the rule is testable without a database. */
export function planReplace(current: readonly Label[], next: readonly Label[]) {
  const byId = new Map(current.map((l) => [l.primitiveId, l]));
  const nextIds = new Set(next.map((l) => l.primitiveId));
  const insert: Label[] = [];
  const update: Label[] = [];
  let unchanged = 0;
  for (const label of next) {
    const before = byId.get(label.primitiveId);
    if (!before) insert.push(label);
    else if (sameLabel(before, label)) unchanged++;
    else update.push(label);
  }
  const remove = current.filter((l) => !nextIds.has(l.primitiveId)).map((l) => l.primitiveId);
  return { insert, update, remove, unchanged };
}

/**
 * Replaces a task's label set. Run it inside a transaction: unchanged rows are left alone so they keep their
 * original labelledBy/labelledAt; changed and new rows are stamped with the writer and `now`.
 */
export async function replaceLabels(tx: Db, taskId: string, next: readonly Label[], userId: string, now = new Date()): Promise<LabelChanges> {
  const current = await loadLabels(tx, taskId);
  const plan = planReplace(current, next);
  if (plan.remove.length > 0) {
    await tx.delete(taskLabels).where(and(eq(taskLabels.taskId, taskId), inArray(taskLabels.primitiveId, plan.remove)));
  }
  for (const label of plan.update) {
    await tx
      .update(taskLabels)
      .set({ ...columns(label), labelledBy: userId, labelledAt: now })
      .where(labelKey(taskId, label.primitiveId));
  }
  if (plan.insert.length > 0) {
    await tx
      .insert(taskLabels)
      .values(plan.insert.map((label) => ({ taskId, primitiveId: label.primitiveId, ...columns(label), labelledBy: userId, labelledAt: now })));
  }
  return { added: plan.insert.length, changed: plan.update.length, removed: plan.remove.length, unchanged: plan.unchanged };
}

function columns(label: Label) {
  return { value: label.value, notSure: label.notSure, timeStart: label.timeStart, timeEnd: label.timeEnd, note: label.note };
}

function labelKey(taskId: string, primitiveId: string) {
  return and(eq(taskLabels.taskId, taskId), eq(taskLabels.primitiveId, primitiveId));
}

/** A task's subjects and setting (EMPTY_FACTS when the task does not exist). */
export async function loadFacts(db: Db, taskId: string): Promise<CaptionFacts> {
  const [row] = await db.select({ facts: tasks.captionFacts }).from(tasks).where(eq(tasks.id, taskId)).limit(1);
  // jsonb is only typed by the schema: parse it so a hand-edited row cannot reach a prompt or a client malformed.
  return row ? CaptionFacts.parse(row.facts) : EMPTY_FACTS;
}

/**
 * Replaces a task's facts; answers whether they changed. Run it in the labels' transaction: the facts are saved
 * with the labels and by the same rules (who may label, in which stage).
 */
export async function replaceFacts(tx: Db, taskId: string, next: CaptionFacts): Promise<boolean> {
  const facts = normalizeFacts(next);
  if (sameFacts(await loadFacts(tx, taskId), facts)) return false;
  await tx.update(tasks).set({ captionFacts: facts }).where(eq(tasks.id, taskId));
  return true;
}

/**
 * The facts named on the clip's other tasks, newest first, leaving out tasks that name nothing. None on a training
 * clip (one with a gold task): there every attempt is the trainee's own work, and the gold task holds the answer.
 */
export async function suggestedFacts(db: Db, taskId: string, videoId: string): Promise<SuggestedFacts[]> {
  const rows = await db
    .select({ taskId: tasks.id, aspect: tasks.aspect, facts: tasks.captionFacts, at: tasks.updatedAt, isGold: tasks.isGold })
    .from(tasks)
    .where(eq(tasks.videoId, videoId))
    .orderBy(desc(tasks.updatedAt), asc(tasks.id));
  if (rows.some((r) => r.isGold)) return [];
  return rows.flatMap((r) => {
    if (r.taskId === taskId) return [];
    const facts = CaptionFacts.safeParse(r.facts);
    return facts.success && hasFacts(facts.data) ? [{ taskId: r.taskId, aspect: r.aspect, facts: facts.data, at: r.at.toISOString() }] : [];
  });
}
