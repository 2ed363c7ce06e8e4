import { and, eq, lte, notExists, sql } from "drizzle-orm";
import type { Db } from "../db";
import { revisionLeases, rounds } from "../db/schema";

/**
 * The one running revision of each task, shared by every process through PostgreSQL (the revision_leases table).
 * These are the table's only reads and writes; the revision service (server/loop/revisions.ts) calls them under
 * the task's lock, so check-then-act sequences here never race another process.
 */

/** The task's running revision: its round, the critique it revises, who runs it, and whether its lease ran out. */
export type RunningRevision = {
  taskId: string;
  roundId: string;
  n: number;
  snapshotKey: string;
  /** The post-caption the room had before this run streamed over it. */
  previousPost: string;
  owner: string;
  expired: boolean;
};

/** The lease's time, on the database's clock (processes' clocks need not agree). */
const inMs = (ms: number) => sql`now() + ${Math.max(1, Math.round(ms))} * interval '1 millisecond'`;

export async function runningRevision(db: Db, taskId: string): Promise<RunningRevision | null> {
  const [row] = await db
    .select({
      taskId: revisionLeases.taskId,
      roundId: revisionLeases.roundId,
      n: rounds.n,
      status: rounds.status,
      snapshotKey: revisionLeases.snapshotKey,
      previousPost: revisionLeases.previousPost,
      owner: revisionLeases.owner,
      expired: sql<boolean>`${revisionLeases.expiresAt} <= now()`,
    })
    .from(revisionLeases)
    .innerJoin(rounds, eq(rounds.id, revisionLeases.roundId))
    .where(eq(revisionLeases.taskId, taskId))
    .limit(1);
  if (!row) return null;
  // A lease whose round already ended is left over from a step that stopped between the two writes: not running.
  if (row.status !== "running") {
    await releaseLease(db, row.roundId);
    return null;
  }
  const { status: _status, ...running } = row;
  return running;
}

/** Records a round as the task's running revision, leased to `owner` for `ttlMs` (the caller checked none runs). */
export async function claimLease(
  db: Db,
  l: { taskId: string; roundId: string; snapshotKey: string; previousPost: string; owner: string; ttlMs: number },
): Promise<void> {
  await db.insert(revisionLeases).values({
    taskId: l.taskId,
    roundId: l.roundId,
    snapshotKey: l.snapshotKey,
    previousPost: l.previousPost,
    owner: l.owner,
    expiresAt: inMs(l.ttlMs),
  });
}

/** Extends the round's lease; false when it is no longer the running revision (taken over or cancelled). */
export async function renewLease(db: Db, roundId: string, ttlMs: number): Promise<boolean> {
  const rows = await db
    .update(revisionLeases)
    .set({ expiresAt: inMs(ttlMs) })
    .where(eq(revisionLeases.roundId, roundId))
    .returning({ roundId: revisionLeases.roundId });
  return rows.length > 0;
}

/** Whether the round still is its task's running revision (checked before a run writes its ending). */
export async function holdsLease(db: Db, roundId: string): Promise<boolean> {
  const rows = await db.select({ roundId: revisionLeases.roundId }).from(revisionLeases).where(eq(revisionLeases.roundId, roundId)).limit(1);
  return rows.length > 0;
}

export async function releaseLease(db: Db, roundId: string): Promise<void> {
  await db.delete(revisionLeases).where(eq(revisionLeases.roundId, roundId));
}

/** Tasks whose running revision's process stopped renewing its lease (their rounds are to be ended). */
export async function expiredLeaseTasks(db: Db, limit = 50): Promise<string[]> {
  const rows = await db
    .select({ taskId: revisionLeases.taskId })
    .from(revisionLeases)
    .where(lte(revisionLeases.expiresAt, sql`now()`))
    .limit(limit);
  return rows.map((r) => r.taskId);
}

/**
 * The task's rounds still marked running that no lease covers: left by a process that stopped before leases
 * existed, or whose lease went without its round being ended. Nothing runs them; the caller ends them.
 */
export async function unleasedRunningRounds(db: Db, taskId: string): Promise<string[]> {
  const rows = await db
    .select({ id: rounds.id })
    .from(rounds)
    .where(
      and(
        eq(rounds.taskId, taskId),
        eq(rounds.status, "running"),
        notExists(db.select({ one: sql`1` }).from(revisionLeases).where(eq(revisionLeases.roundId, rounds.id))),
      ),
    );
  return rows.map((r) => r.id);
}
