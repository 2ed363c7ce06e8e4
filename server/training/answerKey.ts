import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../db";
import { taskVersions } from "../db/schema";
import { CritiqueItem } from "../../shared/critique/items";

/** A frozen version of a task's work, with its critique items validated (bad entries skipped, never thrown). */
export type FrozenCritique = { versionId: string; authorId: string; preCaption: string; postCaption: string; items: CritiqueItem[] };

export function parseItems(raw: readonly unknown[]): CritiqueItem[] {
  const items: CritiqueItem[] = [];
  for (const entry of raw) {
    const parsed = CritiqueItem.safeParse(entry);
    if (parsed.success) items.push(parsed.data);
  }
  return items;
}

/**
 * The task's final version: the newest one not rejected (after reject-and-redo that is the reviewer's). For a gold
 * task this is the answer key.
 */
export async function finalVersion(db: Db, taskId: string): Promise<FrozenCritique | null> {
  const [row] = await db
    .select()
    .from(taskVersions)
    .where(and(eq(taskVersions.taskId, taskId), eq(taskVersions.negative, "no")))
    .orderBy(desc(taskVersions.createdAt))
    .limit(1);
  return row
    ? { versionId: row.id, authorId: row.authorId, preCaption: row.preCaption, postCaption: row.postCaption, items: parseItems(row.critique) }
    : null;
}

/** The annotator's newest submitted version (what a trainee handed in). */
export async function latestAnnotatorVersion(db: Db, taskId: string): Promise<FrozenCritique | null> {
  const [row] = await db
    .select()
    .from(taskVersions)
    .where(and(eq(taskVersions.taskId, taskId), eq(taskVersions.authorRole, "annotator")))
    .orderBy(desc(taskVersions.createdAt))
    .limit(1);
  return row
    ? { versionId: row.id, authorId: row.authorId, preCaption: row.preCaption, postCaption: row.postCaption, items: parseItems(row.critique) }
    : null;
}
