import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { audit } from "../audit";
import { KeyedListeners } from "../events/keyedListeners";
import type { Config } from "../config";
import type { SessionUser } from "../auth/sessionUser";
import type { Db } from "../db/index";
import { exportDataset, type ExportResult } from "./exportDataset";
import { loadPseudonymSecret } from "./pseudonym";
import { ExportReadError } from "./read";
import { countExportTasks } from "./countTasks";
import { isFinished, type ExportJob, type ExportJobOptions } from "../../shared/api/exports";

/** The folder every UI export is written under; one sub-folder per job, named by its id (never by the client). */
export const exportsDir = (config: Config) => path.join(config.dataDir, "exports");
export const jobDir = (config: Config, jobId: string) => path.join(exportsDir(config), jobId);

/** Jobs kept in memory (and their folders on disk); the oldest finished job is dropped beyond this. */
export const DEFAULT_MAX_JOBS = 20;

type Listener = (job: ExportJob) => void;

export type ExportJobRunnerOptions = {
  maxJobs?: number;
  /** The export itself; tests may slow it down, the app uses exportDataset. */
  run?: typeof exportDataset;
};

/**
 * Runs dataset exports one at a time per process (an export streams the whole database; two at once would only
 * compete for it), in the order they were asked for. Jobs live in memory with a bounded history: a restart forgets
 * them, which is acceptable for a tool a lead watches while it runs.
 */
export class ExportJobRunner {
  private readonly jobs = new Map<string, ExportJob>();
  private readonly listeners = new KeyedListeners<Listener>();
  private readonly queue: string[] = [];
  private running: Promise<void> | null = null;
  private readonly maxJobs: number;
  private readonly run: typeof exportDataset;

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    opts: ExportJobRunnerOptions = {},
  ) {
    this.maxJobs = opts.maxJobs ?? DEFAULT_MAX_JOBS;
    this.run = opts.run ?? exportDataset;
  }

  /** Queues an export and returns its job at once; it runs in the background. */
  async start(user: SessionUser, options: ExportJobOptions): Promise<ExportJob> {
    const job: ExportJob = {
      id: randomUUID(),
      createdBy: { id: user.id, name: user.displayName },
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      options,
      state: "queued",
      progress: { tasksRead: 0, tasks: 0, records: 0, totalTasks: null },
      manifest: null,
      skippedTasks: null,
      error: null,
    };
    // Audited before it exists: a job that cannot be audited is never started.
    await audit(this.db, { actorId: user.id, action: "export.start", entityType: "export", entityId: job.id, data: { ...options } });
    this.jobs.set(job.id, job);
    this.queue.push(job.id);
    await this.evictOld();
    this.pump();
    return job;
  }

  /** Jobs waiting or running (the route refuses new ones beyond a bound, so the queue stays small). */
  pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  /** Newest first. */
  list(): ExportJob[] {
    return [...this.jobs.values()].reverse();
  }

  get(id: string): ExportJob | undefined {
    return this.jobs.get(id);
  }

  /** Calls `listener` on every change of the job until unsubscribed. */
  subscribe(id: string, listener: Listener): () => void {
    return this.listeners.subscribe(id, listener);
  }

  /** Resolves once no job is queued or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private update(id: string, patch: Partial<ExportJob>) {
    const job = this.jobs.get(id);
    if (!job) return;
    // A new object per change: listeners may hold the previous one.
    const next = { ...job, ...patch };
    this.jobs.set(id, next);
    for (const l of this.listeners.of(id) ?? []) l(next);
  }

  private pump() {
    if (this.running) return;
    const id = this.queue.shift();
    if (!id) return;
    this.running = this.execute(id).finally(() => {
      this.running = null;
      this.pump();
    });
  }

  private async execute(id: string): Promise<void> {
    const job = this.jobs.get(id);
    if (!job) return;
    this.update(id, { state: "running", startedAt: new Date().toISOString() });
    const { options } = job;
    // One count query up front turns the counts into a share done; without it the bar is just indeterminate.
    const totalTasks = await countExportTasks(this.db, { status: options.status, projectName: options.project }).catch(() => null);
    this.update(id, { progress: { ...job.progress, totalTasks } });
    let tasksRead = 0;
    let result: ExportResult;
    try {
      result = await this.run(this.db, this.config, {
        format: options.format,
        outDir: jobDir(this.config, id),
        status: options.status,
        testShare: options.split,
        seed: options.seed,
        projectName: options.project,
        pseudonymSecret: loadPseudonymSecret(this.config.dataDir),
        onBatch: (b) => {
          tasksRead += b.tasks;
          const current = this.jobs.get(id);
          if (current) this.update(id, { progress: { ...current.progress, tasksRead } });
        },
        onProgress: (p) => {
          const current = this.jobs.get(id);
          if (current) this.update(id, { progress: { ...current.progress, tasks: p.tasks, records: p.records } });
        },
      });
    } catch (err) {
      // Our own read errors are for the user ("No project named …"); anything else stays in the server log.
      const message = err instanceof ExportReadError ? err.message : "The export failed on the server; see its log.";
      if (!(err instanceof ExportReadError)) console.error("[exports] job failed", id, err);
      await fs.rm(jobDir(this.config, id), { recursive: true, force: true }).catch(() => undefined);
      this.update(id, { state: "failed", finishedAt: new Date().toISOString(), error: message });
      await this.auditDone(id, job.createdBy.id, { ok: false, error: message });
      return;
    }
    const current = this.jobs.get(id);
    this.update(id, {
      state: "done",
      finishedAt: new Date().toISOString(),
      manifest: result.manifest,
      skippedTasks: result.skippedTasks,
      progress: { ...(current?.progress ?? job.progress), tasks: result.manifest.tasks },
    });
    await this.auditDone(id, job.createdBy.id, {
      ok: true,
      tasks: result.manifest.tasks,
      files: result.manifest.files.map((f) => ({ name: f.name, records: f.records, sha256: f.sha256 })),
    });
  }

  private async auditDone(id: string, actorId: string, data: Record<string, unknown>) {
    try {
      await audit(this.db, { actorId, action: "export.done", entityType: "export", entityId: id, data });
    } catch (err) {
      console.error("[exports] could not audit export.done", id, err);
    }
  }

  /** Drops the oldest finished jobs (and their folders) beyond the history bound. */
  private async evictOld() {
    const finished = [...this.jobs.values()].filter((j) => isFinished(j.state));
    let excess = this.jobs.size - this.maxJobs;
    for (const j of finished) {
      if (excess <= 0) break;
      this.jobs.delete(j.id);
      this.listeners.drop(j.id);
      await fs.rm(jobDir(this.config, j.id), { recursive: true, force: true });
      excess--;
    }
  }
}
