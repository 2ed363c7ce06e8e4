import { and, count, desc, eq, inArray, notInArray, sql, type SQL } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { Db } from "../db/index";
import { jobs } from "../db/schema/jobs";
import { KeyedListeners } from "../events/keyedListeners";
import type { JobListener, JobRecord, JobState, Json, SendOptions, SendResult } from "./types";

const UNFINISHED: JobState[] = ["queued", "running"];

type Row = typeof jobs.$inferSelect;

// The JSON columns hold only what this module wrote, from Json values.
const toRecord = (row: Row): JobRecord => ({
  ...row,
  input: row.input as Json,
  progress: row.progress as Json,
  result: (row.result ?? null) as Json | null,
});

/**
 * The `jobs` table: the one place a job's state and progress are kept, read by every process. Both queue
 * implementations write through it. Writes of a running job name its attempt, so a worker that lost its job (it
 * was thought dead and the job handed on) can no longer change it.
 */
export class JobStore {
  private readonly listeners = new KeyedListeners<JobListener>();

  constructor(readonly db: Db) {}

  /**
   * Creates a job, or finds the unfinished one with the same name and singleton key (joined). `enqueue` runs in the
   * same transaction for a created job, so a queue's own record of it (pg-boss) exists exactly when the row does.
   */
  async create(name: string, input: Json, opts: SendOptions, enqueue?: (tx: Db, job: JobRecord) => Promise<void>): Promise<SendResult> {
    // A joined job may finish between the failed insert and the look-up: then a new one can be created.
    for (let attempt = 0; attempt < 5; attempt++) {
      const result = await this.db.transaction(async (tx): Promise<SendResult | null> => {
        const [row] = await tx
          .insert(jobs)
          .values({ name, input, progress: opts.progress ?? {}, singletonKey: opts.singletonKey ?? null, createdBy: opts.createdBy ?? null })
          .onConflictDoNothing()
          .returning();
        if (row) {
          const job = toRecord(row);
          await opts.onCreate?.(tx, job);
          await enqueue?.(tx, job);
          return { job, joined: false };
        }
        if (opts.singletonKey === undefined) throw new Error("job insert conflicted without a singleton key");
        const [existing] = await tx
          .select()
          .from(jobs)
          .where(and(eq(jobs.name, name), eq(jobs.singletonKey, opts.singletonKey), inArray(jobs.state, UNFINISHED)))
          .limit(1);
        return existing ? { job: toRecord(existing), joined: true } : null;
      });
      if (result) return result;
    }
    throw new Error(`could not create or join the ${name} job ${opts.singletonKey ?? ""}`);
  }

  async get(id: string): Promise<JobRecord | null> {
    const [row] = await this.db.select().from(jobs).where(eq(jobs.id, id)).limit(1);
    return row ? toRecord(row) : null;
  }

  async list(name: string, limit: number): Promise<JobRecord[]> {
    const rows = await this.db.select().from(jobs).where(eq(jobs.name, name)).orderBy(desc(jobs.createdAt), desc(jobs.id)).limit(limit);
    return rows.map(toRecord);
  }

  /** Unfinished jobs, oldest first (of one name, or all). */
  async unfinished(name?: string): Promise<JobRecord[]> {
    const rows = await this.db
      .select()
      .from(jobs)
      .where(and(inArray(jobs.state, UNFINISHED), name === undefined ? undefined : eq(jobs.name, name)))
      .orderBy(jobs.createdAt, jobs.id);
    return rows.map(toRecord);
  }

  async depth(name?: string): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(jobs)
      .where(and(inArray(jobs.state, UNFINISHED), name === undefined ? undefined : eq(jobs.name, name)));
    return row?.n ?? 0;
  }

  /** A worker takes the job: running, one attempt more. Null when it has finished or was cancelled meanwhile. */
  begin(id: string): Promise<JobRecord | null> {
    return this.change(eq(jobs.id, id), inArray(jobs.state, UNFINISHED), {
      state: "running",
      attempts: sql`${jobs.attempts} + 1`,
      startedAt: sql`coalesce(${jobs.startedAt}, now())`,
      error: null,
    });
  }

  setProgress(id: string, progress: Json, attempt?: number): Promise<JobRecord | null> {
    return this.change(eq(jobs.id, id), this.owned(attempt), { progress });
  }

  /** Records how the attempt ended; ignored when the attempt no longer owns the job. */
  finish(id: string, attempt: number, outcome: { ok: true; result: Json } | { ok: false; error: string }): Promise<JobRecord | null> {
    const ended = outcome.ok
      ? { state: "done" as const, result: outcome.result, error: null }
      : { state: "failed" as const, error: outcome.error.slice(0, 2000) };
    return this.change(eq(jobs.id, id), this.owned(attempt), { ...ended, finishedAt: sql`now()` });
  }

  /** Ends an unfinished job whatever attempt holds it (cancelled, or failed when its queue gave up on it). */
  end(id: string, state: "failed" | "cancelled", error: string): Promise<JobRecord | null> {
    return this.change(eq(jobs.id, id), inArray(jobs.state, UNFINISHED), { state, error, finishedAt: sql`now()` });
  }

  /** Deletes the finished jobs of a name beyond the newest `keep` jobs; returns their ids. */
  async prune(name: string, keep: number): Promise<string[]> {
    const newest = this.db.select({ id: jobs.id }).from(jobs).where(eq(jobs.name, name)).orderBy(desc(jobs.createdAt), desc(jobs.id)).limit(keep);
    const rows = await this.db
      .delete(jobs)
      .where(and(eq(jobs.name, name), notInArray(jobs.state, UNFINISHED), notInArray(jobs.id, newest)))
      .returning({ id: jobs.id });
    return rows.map((r) => r.id);
  }

  subscribe(id: string, listener: JobListener): () => void {
    return this.listeners.subscribe(id, listener);
  }

  private owned(attempt: number | undefined): SQL | undefined {
    return and(eq(jobs.state, "running"), attempt === undefined ? undefined : eq(jobs.attempts, attempt));
  }

  private async change(target: SQL, guard: SQL | undefined, set: PgUpdateSetSource<typeof jobs>): Promise<JobRecord | null> {
    const [row] = await this.db
      .update(jobs)
      .set({ ...set, updatedAt: sql`now()` })
      .where(and(target, guard))
      .returning();
    if (!row) return null;
    const job = toRecord(row);
    for (const listener of [...(this.listeners.of(job.id) ?? [])]) listener(job);
    return job;
  }
}
