import type { Config } from "../config";
import type { AppDeps } from "../context";
import type { Database } from "../db/index";
import { describeError } from "../collab/logSafe";
import { loggerFor } from "../observability/logger";
import { ExportJobRunner } from "../dataset/jobRunner";
import { DraftBatches } from "../loop/draftBatches";
import { InProcessQueue } from "./inProcessQueue";
import { PgBossQueue } from "./pgBossQueue";
import { JobStore } from "./store";
import type { JobQueue } from "./types";

export type { JobQueue, JobRecord, JobContext, JobOutcome, JobHandler, Json } from "./types";

/** The background jobs of one process: the queue and the job kinds on it. */
export type Jobs = {
  queue: JobQueue;
  exports: ExportJobRunner;
  draftBatches: DraftBatches;
};

/** What startJobs hands the server: shutdown, and the depth for the metrics. */
export type RunningJobs = {
  /** Stops this process's workers; their running jobs are handed to another process (or the next start). */
  stop(): Promise<void>;
  /** Jobs waiting or running, in every process. */
  queueDepth(): Promise<number>;
};

/** The queues' log: an error in words only (describeError), since a driver's error repeats the query's parameters. */
const logOf = (config: Config) => {
  const log = loggerFor(config).child({ component: "jobs" });
  return (line: string, err?: unknown) => (err === undefined ? log.error(line) : log.error({ err: describeError(err) }, line));
};

/**
 * The queue for a database: pg-boss on PostgreSQL (DATABASE_URL: other processes may share it), in-process on the
 * embedded database (PGlite: one process only, and pg-boss needs a real connection pool and LISTEN). A PostgreSQL
 * database opened without DATABASE_URL (API tests) works its jobs in-process too.
 */
export function createJobQueue(database: Database, config: Config): JobQueue {
  const store = new JobStore(database.db);
  const log = logOf(config);
  return database.kind === "postgres" && config.databaseUrl
    ? new PgBossQueue(store, { url: config.databaseUrl, jobs: config.jobs, log })
    : new InProcessQueue(store, { retryLimit: config.jobs.retryLimit, log });
}

const perDatabase = new WeakMap<Database, Jobs>();

/**
 * This process's jobs on its database, made on first use (by a route sending a job, or by startJobs) with every
 * job kind registered. Keyed by the open database, so two apps on two connections (two "processes" in a test) have
 * two queues.
 */
export function jobsFor(deps: Pick<AppDeps, "database" | "config" | "loop">): Jobs {
  let jobs = perDatabase.get(deps.database);
  if (!jobs) {
    const queue = createJobQueue(deps.database, deps.config);
    jobs = {
      queue,
      exports: new ExportJobRunner(queue, deps.database.db, deps.config),
      draftBatches: new DraftBatches(queue, deps.loop.deps),
    };
    perDatabase.set(deps.database, jobs);
  }
  return jobs;
}

/**
 * Starts this process's workers: on PostgreSQL pg-boss connects (creating its `pgboss` schema on the first start),
 * and this process takes jobs sent by any process; on PGlite the jobs a previous run left unfinished are queued
 * again. Call once the services exist, before listening; stop() at shutdown, after the HTTP server stopped taking
 * requests and before the database is closed.
 */
export async function startJobs(deps: Pick<AppDeps, "database" | "config" | "loop">): Promise<RunningJobs> {
  const { queue } = jobsFor(deps);
  await queue.start();
  return { stop: () => queue.stop(), queueDepth: () => queue.depth() };
}
