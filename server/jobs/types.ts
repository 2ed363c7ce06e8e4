import type { Db } from "../db/index";
import type { JobState } from "../db/schema/jobs";

export type { JobState };

/** What a job row holds in its JSON columns: plain JSON, so every process reads what another wrote. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** One job as stored (the `jobs` table): the same answer from every process. */
export type JobRecord = {
  id: string;
  name: string;
  state: JobState;
  singletonKey: string | null;
  input: Json;
  progress: Json;
  result: Json | null;
  error: string | null;
  /** Workers that have started it so far (the current attempt's number while it runs). */
  attempts: number;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
};

export const isUnfinished = (state: JobState) => state === "queued" || state === "running";

/** What a handler is given for one attempt at a job. */
export type JobContext = {
  job: JobRecord;
  /** This attempt's number (1 for the first worker; more after a worker died and another took the job over). */
  attempt: number;
  /**
   * Aborted when this worker must let go: the process is stopping, the job was cancelled, or (pg-boss) its claim
   * lapsed and another process may already have it. A handler stops at its next step and returns.
   */
  signal: AbortSignal;
  /** Stores the job's progress for every process to read; ignored once this attempt no longer owns the job. */
  setProgress(progress: Json): Promise<void>;
};

/** How an attempt ended, as the person who started the job will read it. */
export type JobOutcome = { ok: true; result: Json } | { ok: false; error: string };

/** Runs one attempt. A throw is a failure the handler did not expect: logged, and told as a generic message. */
export type JobHandler = (ctx: JobContext) => Promise<JobOutcome>;

export type SendOptions = {
  /** An unfinished job of the same name and key is joined instead of a second one started. */
  singletonKey?: string;
  createdBy?: string | null;
  /** The progress a reader sees before a worker starts. */
  progress?: Json;
  /** Runs in the transaction that creates the job (not for a joined one): what fails here, fails the send. */
  onCreate?: (tx: Db, job: JobRecord) => Promise<void>;
};

export type SendResult = { job: JobRecord; joined: boolean };

/** Called with the job's new row whenever this process changes it (other processes' changes are polled for). */
export type JobListener = (job: JobRecord) => void;

/**
 * Durable background jobs. Jobs and their progress live in PostgreSQL (the `jobs` table) for every process to read;
 * an implementation decides which process works them:
 *  - pg-boss (a server on PostgreSQL): any process with workers started takes the next job; a worker that dies
 *    (kill -9, a lost machine) stops sending heartbeats and its job is handed to another process;
 *  - in-process (the embedded database, which only one process can open): this process works them, and on start
 *    takes back the jobs a previous run left unfinished.
 */
export interface JobQueue {
  readonly kind: "pg-boss" | "in-process";
  /** Creates a job (or joins the unfinished one with the same singleton key) and queues it for a worker. */
  send(name: string, input: Json, opts?: SendOptions): Promise<SendResult>;
  /** Registers the handler of a job name; jobs are worked once the queue is started (in-process: at once). */
  work(name: string, handler: JobHandler): void;
  get(id: string): Promise<JobRecord | null>;
  /** The newest jobs of a name first. */
  list(name: string, limit: number): Promise<JobRecord[]>;
  /** Writes a job's progress (normally through JobContext.setProgress, which knows its attempt). */
  setProgress(id: string, progress: Json, attempt?: number): Promise<void>;
  /** Calls `listener` on every change this process makes to the job, until unsubscribed. */
  subscribe(id: string, listener: JobListener): () => void;
  /** Deletes the finished jobs of a name beyond the newest `keep`; returns their ids (to remove their files). */
  prune(name: string, keep: number): Promise<string[]>;
  /** Stops a job: a queued one never runs, a running one's handler is told through its signal. */
  cancel(id: string): Promise<boolean>;
  /** Jobs waiting or running, of one name or all. */
  depth(name?: string): Promise<number>;
  /** Starts working jobs in this process (pg-boss: connects, creates its schema and queues, starts workers). */
  start(): Promise<void>;
  /** Stops working: running handlers are told to let go, and their jobs are left for another worker. */
  stop(): Promise<void>;
}

/** A value as JSON stores it (undefined properties dropped, dates as strings): what another process will read. */
export const asJson = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;
