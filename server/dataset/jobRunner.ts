import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { inArray } from "drizzle-orm";
import { z } from "zod";
import { audit } from "../audit";
import type { Config } from "../config";
import type { SessionUser } from "../auth/sessionUser";
import type { Db } from "../db/index";
import { users } from "../db/schema/index";
import { asJson, isUnfinished, type JobContext, type JobOutcome, type JobQueue, type JobRecord } from "../jobs/types";
import { throttledProgress } from "../jobs/progress";
import { exportDataset, type ExportResult } from "./exportDataset";
import { loadPseudonymSecret } from "./pseudonym";
import { ExportReadError } from "./read";
import { describeError } from "../collab/logSafe";
import { loggerFor, type Logger } from "../observability/logger";
import { countExportTasks } from "./countTasks";
import { ExportProgress, StartExportRequest, type ExportJob, type ExportJobOptions } from "../../shared/api/exports";
import { Manifest } from "../../shared/dataset/formats";

/** The folder every UI export is written under; one sub-folder per job, named by its id (never by the client). */
export const exportsDir = (config: Config) => path.join(config.dataDir, "exports");
export const jobDir = (config: Config, jobId: string) => path.join(exportsDir(config), jobId);

/** The job name of dataset exports in the job queue. */
export const EXPORT_JOB = "export";

/** Exports kept (rows and folders); the oldest finished one is dropped beyond this. */
export const DEFAULT_MAX_JOBS = 20;

/** How often a running export's counts are written for other processes to read. */
const PROGRESS_WRITE_MS = 250;

const StoredResult = z.object({ manifest: Manifest, skippedTasks: z.number().int().min(0) });

const NO_PROGRESS: ExportProgress = { tasksRead: 0, tasks: 0, records: 0, totalTasks: null };

export type ExportJobRunnerOptions = {
  maxJobs?: number;
  /** The export itself; tests may slow it down, the app uses exportDataset. */
  run?: typeof exportDataset;
};

/** The same export asked for twice while the first is unfinished is one job: its key is its options. */
export function exportSingletonKey(options: ExportJobOptions): string {
  const canonical = Object.entries(options)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex").slice(0, 32);
}

/**
 * Dataset exports as durable jobs (server/jobs). A job row holds the options, the progress and the manifest, so
 * any process answers for an export another one runs; whichever process's worker takes it writes the folder
 * DATA_DIR/exports/<id> (DATA_DIR is shared by the processes, as it is for the clips). A process that dies
 * mid-export loses it to another, which writes the folder again from scratch. One export at a time per process:
 * an export streams the whole database, and two in one process would only compete for it.
 */
export class ExportJobRunner {
  private readonly maxJobs: number;
  private readonly run: typeof exportDataset;
  private readonly log: Logger;

  constructor(
    private readonly queue: JobQueue,
    private readonly db: Db,
    private readonly config: Config,
    opts: ExportJobRunnerOptions = {},
  ) {
    this.maxJobs = opts.maxJobs ?? DEFAULT_MAX_JOBS;
    this.run = opts.run ?? exportDataset;
    this.log = loggerFor(config).child({ component: "exports" });
    queue.work(EXPORT_JOB, (ctx) => this.execute(ctx));
  }

  /**
   * Queues an export and returns its job at once; some process's worker runs it. The same export (the same
   * options) while one is unfinished is joined, not started twice.
   */
  async start(user: SessionUser, options: ExportJobOptions): Promise<{ job: ExportJob; joined: boolean }> {
    const { job, joined } = await this.queue.send(EXPORT_JOB, asJson(options), {
      singletonKey: exportSingletonKey(options),
      createdBy: user.id,
      progress: asJson(NO_PROGRESS),
      // Audited in the transaction that creates it: a job that cannot be audited is never started.
      onCreate: (tx, created) => audit(tx, { actorId: user.id, action: "export.start", entityType: "export", entityId: created.id, data: { ...options } }),
    });
    if (!joined) await this.prune();
    return { job: (await this.present([job]))[0]!, joined };
  }

  /** An unfinished export with these options, which a start would join. */
  async unfinishedLike(options: ExportJobOptions): Promise<ExportJob | null> {
    const key = exportSingletonKey(options);
    const same = (await this.queue.list(EXPORT_JOB, this.maxJobs)).find((j) => j.singletonKey === key && isUnfinished(j.state));
    return same ? ((await this.present([same]))[0] ?? null) : null;
  }

  /** Exports waiting or running, in every process (the route refuses new ones beyond a bound). */
  pending(): Promise<number> {
    return this.queue.depth(EXPORT_JOB);
  }

  /** Newest first. */
  async list(): Promise<ExportJob[]> {
    return this.present(await this.queue.list(EXPORT_JOB, this.maxJobs));
  }

  async get(id: string): Promise<ExportJob | null> {
    const record = await this.queue.get(id);
    return record && record.name === EXPORT_JOB ? ((await this.present([record]))[0] ?? null) : null;
  }

  /** Calls `listener` whenever this process changes the job (other processes' changes are seen by reading again). */
  subscribe(id: string, listener: () => void): () => void {
    return this.queue.subscribe(id, () => listener());
  }

  /** Resolves once no export is waiting or running in any process (tests). */
  async idle(pollMs = 20): Promise<void> {
    while ((await this.pending()) > 0) await new Promise((r) => setTimeout(r, pollMs));
  }

  private async execute({ job, signal, setProgress }: JobContext): Promise<JobOutcome> {
    const options = StartExportRequest.parse(job.input);
    const dir = jobDir(this.config, job.id);
    // An attempt after a worker died finds that worker's half-written folder: start it over.
    await fs.rm(dir, { recursive: true, force: true });
    const progress: ExportProgress = { ...NO_PROGRESS };
    await setProgress(asJson(progress));
    // One count query up front turns the counts into a share done; without it the bar is just indeterminate.
    progress.totalTasks = await countExportTasks(this.db, { status: options.status, projectName: options.project }).catch(() => null);
    await setProgress(asJson(progress));
    const writer = throttledProgress(setProgress, PROGRESS_WRITE_MS);
    // Between batches: a worker told to let go (stopping, or its job handed on) stops here.
    const step = () => {
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error("the export was stopped");
    };
    let result: ExportResult;
    try {
      result = await this.run(this.db, this.config, {
        format: options.format,
        outDir: dir,
        status: options.status,
        testShare: options.split,
        seed: options.seed,
        clips: options.clips,
        projectName: options.project,
        pseudonymSecret: loadPseudonymSecret(this.config.dataDir),
        onBatch: (b) => {
          step();
          progress.tasksRead += b.tasks;
          writer.push(asJson(progress));
        },
        onProgress: (p) => {
          step();
          progress.tasks = p.tasks;
          progress.records = p.records;
          writer.push(asJson(progress));
        },
      });
    } catch (err) {
      writer.cancel();
      // Let go: the next worker writes the folder again.
      if (signal.aborted) throw err;
      // Our own read errors are for the user ("No project named …"); anything else stays in the server log.
      const message = err instanceof ExportReadError ? err.message : "The export failed on the server; see its log.";
      if (!(err instanceof ExportReadError)) this.log.error({ jobId: job.id, err: describeError(err) }, "export failed");
      await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
      await this.auditDone(job, { ok: false, error: message });
      return { ok: false, error: message };
    }
    await writer.flush();
    await setProgress(asJson({ ...progress, tasks: result.manifest.tasks }));
    await this.auditDone(job, {
      ok: true,
      tasks: result.manifest.tasks,
      files: result.manifest.files.map((f) => ({ name: f.name, records: f.records, sha256: f.sha256 })),
    });
    return { ok: true, result: asJson({ manifest: result.manifest, skippedTasks: result.skippedTasks }) };
  }

  private async auditDone(job: JobRecord, data: Record<string, unknown>) {
    try {
      await audit(this.db, { actorId: job.createdBy, action: "export.done", entityType: "export", entityId: job.id, data });
    } catch (err) {
      this.log.error({ jobId: job.id, err: describeError(err) }, "could not audit export.done");
    }
  }

  /** Drops the oldest finished exports (rows and folders) beyond the history bound. */
  private async prune() {
    for (const id of await this.queue.prune(EXPORT_JOB, this.maxJobs)) {
      await fs.rm(jobDir(this.config, id), { recursive: true, force: true });
    }
  }

  /** Job rows as the API shows them (a cancelled export reads as failed: the API knows four states). */
  private async present(records: JobRecord[]): Promise<ExportJob[]> {
    const ids = [...new Set(records.map((r) => r.createdBy).filter((id): id is string => id !== null))];
    const names = new Map(
      ids.length ? (await this.db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids))).map((u) => [u.id, u.name]) : [],
    );
    return records.map((r) => {
      const stored = StoredResult.safeParse(r.result);
      const progress = ExportProgress.safeParse(r.progress);
      return {
        id: r.id,
        createdBy: { id: r.createdBy ?? "", name: (r.createdBy && names.get(r.createdBy)) || "" },
        createdAt: r.createdAt.toISOString(),
        startedAt: r.startedAt?.toISOString() ?? null,
        finishedAt: r.finishedAt?.toISOString() ?? null,
        options: StartExportRequest.parse(r.input),
        state: r.state === "cancelled" ? "failed" : r.state,
        progress: progress.success ? progress.data : NO_PROGRESS,
        manifest: stored.success ? stored.data.manifest : null,
        skippedTasks: stored.success ? stored.data.skippedTasks : null,
        error: r.error,
      };
    });
  }
}
