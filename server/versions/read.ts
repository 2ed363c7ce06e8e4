import { asc, eq } from "drizzle-orm";
import type { Db } from "../db";
import { taskVersions } from "../db/schema";
import { finalVersion, latestVersion, latestVersionBy, type TaskVersion } from "./pick";

/**
 * The versions of one task from the database, with the picks of ./pick.ts applied in memory: a task has a handful
 * of versions, and reading them all keeps one definition of "final" and "latest" instead of one per SQL query.
 */

/** Every version of the task, oldest first. */
export function readVersions(db: Db, taskId: string): Promise<TaskVersion[]> {
  return db.select().from(taskVersions).where(eq(taskVersions.taskId, taskId)).orderBy(asc(taskVersions.createdAt), asc(taskVersions.id));
}

export const readLatestVersion = async (db: Db, taskId: string, at?: Date): Promise<TaskVersion | null> =>
  latestVersion(await readVersions(db, taskId), at) ?? null;

export const readFinalVersion = async (db: Db, taskId: string): Promise<TaskVersion | null> =>
  finalVersion(await readVersions(db, taskId)) ?? null;

export const readLatestVersionBy = async (db: Db, taskId: string, role: TaskVersion["authorRole"]): Promise<TaskVersion | null> =>
  latestVersionBy(await readVersions(db, taskId), role) ?? null;
