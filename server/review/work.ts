import { and, desc, eq, lte } from "drizzle-orm";
import type { SessionUser } from "../context";
import type { Db } from "../db";
import { taskVersions } from "../db/schema";
import { forbidden } from "../http/errors";
import type { LoopTask } from "../loop/taskFacts";

/**
 * Whose work is under review. A task's annotator normally; after a reject-and-redo the reviewer who redid it (the
 * latest frozen version's author). "Own work" covers both, so nobody reviews, catches on or profits from it.
 */

export type VersionBrief = { id: string; authorId: string; critique: unknown[]; negative: "no" | "rejected"; createdAt: Date };

/** The latest frozen version of the task (made at or before `at` when given). */
export async function latestVersion(db: Db, taskId: string, at?: Date): Promise<VersionBrief | null> {
  const [row] = await db
    .select({
      id: taskVersions.id,
      authorId: taskVersions.authorId,
      critique: taskVersions.critique,
      negative: taskVersions.negative,
      createdAt: taskVersions.createdAt,
    })
    .from(taskVersions)
    .where(at ? and(eq(taskVersions.taskId, taskId), lte(taskVersions.createdAt, at)) : eq(taskVersions.taskId, taskId))
    .orderBy(desc(taskVersions.createdAt), desc(taskVersions.id))
    .limit(1);
  return row ?? null;
}

/** The person whose work the version is (the annotator when nothing was frozen yet). */
export const workerOf = (task: Pick<LoopTask, "annotatorId">, version: VersionBrief | null): string | null =>
  version?.authorId ?? task.annotatorId;

export const isOwnWork = (user: SessionUser, task: Pick<LoopTask, "annotatorId">, version: VersionBrief | null) =>
  user.id === task.annotatorId || user.id === version?.authorId;

export function refuseOwnWork(user: SessionUser, task: Pick<LoopTask, "annotatorId">, version: VersionBrief | null): void {
  if (isOwnWork(user, task, version)) throw forbidden("You cannot review your own work.");
}

/** The ids of the critique items of a frozen version (items are validated when frozen; stay defensive here). */
export function critiqueItemIds(critique: readonly unknown[]): Set<string> {
  const ids = new Set<string>();
  for (const item of critique) {
    if (item && typeof item === "object" && "id" in item && typeof item.id === "string") ids.add(item.id);
  }
  return ids;
}
