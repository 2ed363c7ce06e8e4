import { sql, type SQL } from "drizzle-orm";
import { PgBoss, fromDrizzle, type Job, type Queue } from "pg-boss";
import type { JobsConfig } from "../config";
import { runAttempt } from "./attempt";
import type { Db } from "../db/index";
import type { JobStore } from "./store";
import type { JobHandler, JobListener, JobQueue, JobRecord, Json, SendOptions, SendResult } from "./types";

/** pg-boss's own tables live in this schema of the app's database; pg-boss creates and migrates it on start. */
export const PGBOSS_SCHEMA = "pgboss";

/** What a pg-boss job carries: only the id of our row (the row holds the input), also the pg-boss job's own id. */
type Envelope = { jobId: string };

/** The queue a job lands in once pg-boss gave up on it (its workers kept dying): its row is then marked failed. */
const deadLetterOf = (name: string) => `${name}-dead`;

/** How long a process waits at stop for its handlers to let go (they are told at once; an export stops between batches). */
const STOP_TIMEOUT_MS = 15_000;

/**
 * Our transaction as pg-boss's drizzle adapter expects it. Its queries are built with the `sql` tag handed to it;
 * the result is postgres.js's row array, which the adapter unwraps.
 */
const drizzleRunner = (tx: Db) => ({
  execute: async (query: unknown) => (await tx.execute(query as SQL)) as unknown[],
});

export type PgBossQueueOptions = {
  url: string;
  jobs: JobsConfig;
  log: (line: string, err?: unknown) => void;
  /** Connections of pg-boss's own pool (node-postgres), beside the app's. */
  poolSize?: number;
};

/**
 * Jobs on PostgreSQL through pg-boss: a job row of ours and a pg-boss job with the same id, inserted in one
 * transaction. Any process that started its workers takes the next job (SKIP LOCKED; LISTEN/NOTIFY wakes an idle
 * worker at once). A running job's worker sends a heartbeat every `heartbeatSeconds / 2`; a process that dies
 * stops sending them, pg-boss's supervisor (in every live process) fails the job after `heartbeatSeconds`, and it
 * is retried at once by whichever worker polls first. A process that stops cleanly lets go of its jobs at once,
 * so another process takes them without waiting for the heartbeat. After `retryLimit` retries the job goes to its
 * dead-letter queue and its row is marked failed.
 */
export class PgBossQueue implements JobQueue {
  readonly kind = "pg-boss";
  private readonly boss: PgBoss;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly workers = new Set<string>();
  private readonly inFlight = new Map<string, AbortController>();
  private booted: Promise<void> | null = null;
  private working = false;
  private stopping = false;

  constructor(
    private readonly store: JobStore,
    private readonly opts: PgBossQueueOptions,
  ) {
    const seconds = opts.jobs.superviseSeconds;
    this.boss = new PgBoss({
      connectionString: opts.url,
      schema: PGBOSS_SCHEMA,
      max: opts.poolSize ?? 4,
      application_name: "chai-studio jobs",
      // Expired claims and missed heartbeats are found by the monitor pass, run at most every supervise tick.
      superviseIntervalSeconds: seconds,
      monitorIntervalSeconds: seconds,
      useListenNotify: true,
      schedule: false,
    });
    this.boss.on("error", (err: unknown) => opts.log("[jobs] pg-boss error", err));
  }

  async send(name: string, input: Json, opts: SendOptions = {}): Promise<SendResult> {
    await this.queue(name);
    return this.store.create(name, input, opts, async (tx, job) => {
      const envelope: Envelope = { jobId: job.id };
      // The same transaction as our row: neither exists without the other.
      await this.boss.send(name, envelope, { id: job.id, db: fromDrizzle(drizzleRunner(tx), sql) });
    });
  }

  work(name: string, handler: JobHandler): void {
    this.handlers.set(name, handler);
    if (this.working) void this.startWorker(name, handler).catch((err: unknown) => this.opts.log(`[jobs] could not start the ${name} worker`, err));
  }

  get(id: string): Promise<JobRecord | null> {
    return this.store.get(id);
  }

  list(name: string, limit: number): Promise<JobRecord[]> {
    return this.store.list(name, limit);
  }

  async setProgress(id: string, progress: Json, attempt?: number): Promise<void> {
    await this.store.setProgress(id, progress, attempt);
  }

  subscribe(id: string, listener: JobListener): () => void {
    return this.store.subscribe(id, listener);
  }

  prune(name: string, keep: number): Promise<string[]> {
    return this.store.prune(name, keep);
  }

  async cancel(id: string): Promise<boolean> {
    const ended = await this.store.end(id, "cancelled", "Cancelled.");
    if (!ended) return false;
    this.inFlight.get(id)?.abort(new Error("cancelled"));
    // A worker in another process sees the row cancelled when it next writes progress; a waiting job is dropped.
    await this.boss.cancel(ended.name, id).catch((err: unknown) => this.opts.log(`[jobs] could not cancel pg-boss job ${id}`, err));
    return true;
  }

  depth(name?: string): Promise<number> {
    return this.store.depth(name);
  }

  async start(): Promise<void> {
    this.stopping = false;
    await this.boot();
    this.working = true;
    for (const [name, handler] of this.handlers) await this.startWorker(name, handler);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.working = false;
    for (const controller of this.inFlight.values()) controller.abort(new Error("stopping"));
    if (this.booted) {
      await this.booted.catch(() => undefined);
      await this.boss.stop({ graceful: true, timeout: STOP_TIMEOUT_MS, close: true });
    }
    this.booted = null;
    this.queues.clear();
    this.workers.clear();
  }

  /** Starts pg-boss once: its schema is created or migrated on the first start against a database. */
  private boot(): Promise<void> {
    // After stop nothing reconnects: a send while shutting down fails rather than reopening a pool.
    if (this.stopping) return Promise.reject(new Error("the job queue is stopped"));
    this.booted ??= this.boss.start().then(() => undefined);
    return this.booted;
  }

  /** Creates the queue and its dead-letter queue, once per process; settings follow the configuration. */
  private queue(name: string): Promise<void> {
    let ready = this.queues.get(name);
    if (!ready) {
      const { heartbeatSeconds, retryLimit } = this.opts.jobs;
      const settings: Omit<Queue, "name"> = {
        retryLimit,
        retryDelay: 0,
        heartbeatSeconds,
        // Heartbeats notice a dead worker; the expiry only bounds a live one that never ends (pg-boss's maximum).
        expireInSeconds: 24 * 60 * 60,
        // Our rows are the record people read; pg-boss's are only the delivery.
        deleteAfterSeconds: 24 * 60 * 60,
        deadLetter: deadLetterOf(name),
        notify: true,
      };
      ready = (async () => {
        await this.boot();
        await this.boss.createQueue(deadLetterOf(name), { notify: true });
        await this.boss.createQueue(name, settings);
        // createQueue leaves an existing queue as it was: apply the configuration of this start.
        await this.boss.updateQueue(name, settings);
      })();
      ready.catch(() => this.queues.delete(name));
      this.queues.set(name, ready);
    }
    return ready;
  }

  private async startWorker(name: string, handler: JobHandler): Promise<void> {
    if (this.workers.has(name)) return;
    this.workers.add(name);
    await this.queue(name);
    // NOTIFY wakes a worker for a new job only; a job handed on after its worker died is found by polling, so the
    // poll stays at its interval even while NOTIFY works (pg-boss would otherwise slow it to 30 s).
    const every = this.opts.jobs.pollSeconds;
    const polling = { pollingIntervalSeconds: every, notifyPollingIntervalSeconds: every, localConcurrency: 1 };
    await this.boss.work<Envelope>(name, polling, async ([job]) => {
      if (job) await this.attempt(job, handler);
    });
    await this.boss.work<Envelope>(deadLetterOf(name), polling, async ([job]) => {
      if (!job) return;
      const retries = this.opts.jobs.retryLimit;
      await this.store.end(job.data.jobId, "failed", `The job's worker stopped ${retries + 1} times; it has been given up.`);
    });
  }

  private async attempt(job: Job<Envelope>, handler: JobHandler): Promise<void> {
    // Stopping: hand the job straight back (a failed attempt is retried by another process at once).
    if (this.stopping) throw new Error("this process is stopping");
    const controller = new AbortController();
    // pg-boss aborts its signal when our claim lapsed (a heartbeat it stopped seeing): someone else may have it.
    const lapse = () => controller.abort(new Error("the claim on the job lapsed"));
    job.signal.addEventListener("abort", lapse, { once: true });
    this.inFlight.set(job.data.jobId, controller);
    try {
      const end = await runAttempt(this.store, handler, job.data.jobId, controller.signal, this.opts.log);
      // Let go without an outcome: fail the delivery so the job is retried (it is skipped there if cancelled).
      if (end === "let-go") throw new Error("the worker let go of the job");
    } finally {
      job.signal.removeEventListener("abort", lapse);
      this.inFlight.delete(job.data.jobId);
    }
  }
}
