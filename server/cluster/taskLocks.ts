import { sql } from "drizzle-orm";
import type { Database, Db } from "../db";
import { unavailable } from "../errors";

/**
 * Steps that must not interleave for one task (starting a revision, finishing one, cancelling one) run one at a
 * time: in this process, or in every process sharing the database.
 */
export interface TaskLocks {
  /** Runs `fn` once every earlier step of the task has ended; its result or failure goes to the caller. */
  withLock<T>(taskId: string, fn: () => Promise<T>): Promise<T>;
}

/** One process: a promise chain per task. */
export class LocalTaskLocks implements TaskLocks {
  private readonly queues = new Map<string, Promise<void>>();

  withLock<T>(taskId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(taskId) ?? Promise.resolve();
    const next = prev.then(fn);
    // The queue only needs to know the step ended; the caller receives its failure through `next`.
    const ended = next.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(taskId, ended);
    void ended.then(() => {
      if (this.queues.get(taskId) === ended) this.queues.delete(taskId);
    });
    return next;
  }
}

export type PgTaskLocksOptions = {
  /** Keeps these locks apart from other advisory locks on the same tasks. */
  namespace: string;
  /**
   * Steps holding or awaiting a lock at once in this process. Each holds a pooled connection (its transaction) while
   * its queries use others; the bound keeps those holders from taking the whole pool and waiting on each other.
   */
  maxHolders?: number;
  /** A step that cannot get its task's lock for this long is refused (503) rather than queued forever. */
  timeoutMs?: number;
};

/** PostgreSQL's "lock_not_available": the lock_timeout passed (drizzle may wrap the driver's error). */
function isLockTimeout(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  return e?.code === "55P03" || e?.cause?.code === "55P03";
}

/**
 * Every process on one PostgreSQL database: a transaction-scoped advisory lock keyed on the task, held while the
 * step runs. PostgreSQL grants a lock to its waiters in the order they asked, so steps of one task run in the order
 * they reached the database from every process: a press that arrived while a revision was being started joins it,
 * even if that revision finishes meanwhile. Behind this process's own per-task queue, so only one step per task of
 * this process waits in the database. A process that dies mid-step loses its connection, and PostgreSQL releases
 * the lock with it.
 */
export class PgTaskLocks implements TaskLocks {
  private readonly local = new LocalTaskLocks();
  private readonly maxHolders: number;
  private readonly timeoutMs: number;
  private holders = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly opts: PgTaskLocksOptions,
  ) {
    this.maxHolders = opts.maxHolders ?? 3;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  withLock<T>(taskId: string, fn: () => Promise<T>): Promise<T> {
    return this.local.withLock(taskId, () => this.acquire(taskId, fn));
  }

  private async acquire<T>(taskId: string, fn: () => Promise<T>): Promise<T> {
    const key = `${this.opts.namespace}:${taskId}`;
    await this.hold();
    try {
      return await this.db.transaction(async (tx) => {
        // Only this transaction's lock wait is bounded (the step's own queries run on other connections).
        await tx.execute(sql`select set_config('lock_timeout', ${`${this.timeoutMs}ms`}, true)`);
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
        return fn();
      });
    } catch (err) {
      if (isLockTimeout(err)) throw unavailable("task_busy", "Another step of this task's revision is taking long; try again shortly.");
      throw err;
    } finally {
      this.release();
    }
  }

  private async hold(): Promise<void> {
    if (this.holders < this.maxHolders) {
      this.holders++;
      return;
    }
    // The slot is handed over by release(), so the count never goes past the bound.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.holders--;
  }
}

/** The locks for a database: across processes on PostgreSQL, this process's own on PGlite. */
export function taskLocksFor(database: Pick<Database, "kind" | "db">, namespace: string): TaskLocks {
  // PGlite is one process's (its folder is locked) and one connection: a transaction held open would block the step.
  return database.kind === "postgres" ? new PgTaskLocks(database.db, { namespace }) : new LocalTaskLocks();
}
