import { runAttempt } from "./attempt";
import type { JobStore } from "./store";
import type { JobHandler, JobListener, JobQueue, JobRecord, Json, SendOptions, SendResult } from "./types";

export type InProcessQueueOptions = {
  /** Takeovers of a job a dead run left running, before it is failed (the same knob as pg-boss's retry limit). */
  retryLimit: number;
  log: (line: string, err?: unknown) => void;
};

/**
 * The queue of the embedded database (PGlite), which only one process can open (server/db/dataDirLock.ts): this
 * process works every job, one at a time per job name, in the order they were sent. Jobs are rows like on
 * PostgreSQL, so a restart finds the ones a crash or a stop left unfinished, and start() queues them again.
 * Sends are worked as soon as their handler is registered, start() or not: an app built without the server's
 * start-up (API tests) still runs its exports.
 */
export class InProcessQueue implements JobQueue {
  readonly kind = "in-process";
  private readonly handlers = new Map<string, JobHandler>();
  private readonly waiting = new Map<string, string[]>();
  private readonly running = new Map<string, { id: string; controller: AbortController; done: Promise<void> }>();
  private stopped = false;

  constructor(
    private readonly store: JobStore,
    private readonly opts: InProcessQueueOptions,
  ) {}

  async send(name: string, input: Json, opts: SendOptions = {}): Promise<SendResult> {
    const sent = await this.store.create(name, input, opts);
    if (!sent.joined) this.enqueue(name, sent.job.id);
    return sent;
  }

  work(name: string, handler: JobHandler): void {
    this.handlers.set(name, handler);
    this.pump(name);
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
    for (const [name, ids] of this.waiting) this.waiting.set(name, ids.filter((w) => w !== id));
    for (const run of this.running.values()) if (run.id === id) run.controller.abort(new Error("cancelled"));
    return ended !== null;
  }

  depth(name?: string): Promise<number> {
    return this.store.depth(name);
  }

  /** Queues the jobs a previous run of this process left unfinished; those it took over too often are failed. */
  async start(): Promise<void> {
    this.stopped = false;
    for (const job of await this.store.unfinished()) {
      if (this.running.get(job.name)?.id === job.id || this.waiting.get(job.name)?.includes(job.id)) continue;
      if (job.state === "running" && job.attempts > this.opts.retryLimit) {
        await this.store.end(job.id, "failed", `The job was interrupted ${job.attempts} times and has been given up.`);
        continue;
      }
      this.enqueue(job.name, job.id);
    }
    // Sent while stopped: waiting already.
    for (const name of this.handlers.keys()) this.pump(name);
  }

  /** Tells running handlers to let go and waits for them; their jobs stay unfinished for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    const runs = [...this.running.values()];
    for (const run of runs) run.controller.abort(new Error("stopping"));
    await Promise.all(runs.map((r) => r.done));
  }

  /** Resolves once nothing is waiting or running in this process (tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((r) => r.done));
  }

  private enqueue(name: string, id: string) {
    this.waiting.set(name, [...(this.waiting.get(name) ?? []), id]);
    this.pump(name);
  }

  private pump(name: string) {
    const handler = this.handlers.get(name);
    if (this.stopped || !handler || this.running.has(name)) return;
    const ids = this.waiting.get(name) ?? [];
    const id = ids.shift();
    if (id === undefined) return;
    const controller = new AbortController();
    const done = runAttempt(this.store, handler, id, controller.signal, this.opts.log)
      .then(() => undefined)
      .catch((err: unknown) => this.opts.log(`[jobs] ${name} ${id}: could not record the outcome`, err))
      .finally(() => {
        this.running.delete(name);
        this.pump(name);
      });
    this.running.set(name, { id, controller, done });
  }
}
