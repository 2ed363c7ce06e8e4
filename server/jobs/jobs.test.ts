import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { eq, inArray } from "drizzle-orm";
import { Hono } from "hono";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp, createServices } from "../app";
import type { AppDeps, AppEnv } from "../context";
import type { Config } from "../config";
import { openDatabase, type Database } from "../db/index";
import { drafts, tasks } from "../db/schema/index";
import { sessionMiddleware } from "../auth/middleware";
import { toHttpError } from "../http/errors";
import { ExportJobRunner, jobDir } from "../dataset/jobRunner";
import { replaceFacts, replaceLabels } from "../labels/repository";
import { getSpec } from "../captionSpec/index";
import { draftBatchesRoutes } from "../resources/draftBatches/route";
import { createTestDatabase } from "../testing/db";
import { seedExportFixture } from "../testing/datasetFixture";
import { COMPLETE_FACTS, completeLabels } from "../testing/pipelineFixtures";
import { createTestUser, person, seedProject, seedTask } from "../testing/seed";
import { testConfig } from "../testing/testConfig";
import { DraftBatch, StartDraftBatchResponse } from "../../shared/api/draftBatches";
import { ExportJob, StartExportResponse, type ExportJobOptions } from "../../shared/api/exports";
import type { Aspect } from "../../shared/domain";
import { createJobQueue, jobsFor, startJobs, type RunningJobs } from "./index";
import type { JobQueue, Json } from "./types";

/** Short enough for a test: a silent worker loses its job after 10 s (pg-boss's minimum), checked every second. */
const FAST_JOBS: Config["jobs"] = { heartbeatSeconds: 10, retryLimit: 2, pollSeconds: 0.5, superviseSeconds: 1 };

const OPTIONS: ExportJobOptions = { format: "chai", status: "approved", split: 0, seed: 0, clips: "link" };

/** The file the killed worker's endless export leaves in the job's folder (server/testing/jobWorkerProcess.ts). */
const HALF_WRITTEN = "half-written.jsonl";

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Durable jobs on PostgreSQL through pg-boss, with several processes on one database: in this test process, two
 * "processes" are two connections with a queue each; the crash test kills a real child process with SIGKILL.
 */
describe("durable jobs across processes [postgres, pg-boss]", () => {
  let shared: Awaited<ReturnType<typeof createTestDatabase>>;
  let url: string;
  let config: Config;
  const opened: Database[] = [];
  const queues: JobQueue[] = [];
  const running: RunningJobs[] = [];
  const children: ChildProcess[] = [];

  /** One more "process" on the database: its own connections (and so its own queue). */
  const processOn = async () => {
    const database = await openDatabase({ kind: "postgres", url, max: 3 });
    opened.push(database);
    return database;
  };

  // A database of each test's own: pg-boss's schema, its queues and our rows start empty.
  beforeEach(async () => {
    shared = await createTestDatabase("postgres");
    url = shared.url!;
    config = testConfig({ databaseUrl: url, jobs: FAST_JOBS });
  });

  afterEach(async () => {
    for (const c of children.splice(0)) c.kill("SIGKILL");
    for (const r of running.splice(0)) await r.stop();
    for (const q of queues.splice(0)) await q.stop();
    for (const d of opened.splice(0)) await d.close();
    await shared.dispose();
  });

  it("works a job sent by one process in another, whose progress and end the first reads; a second send joins it", async () => {
    const [a, b] = [createJobQueue(await processOn(), config), createJobQueue(await processOn(), config)];
    queues.push(a, b);
    expect(a.kind).toBe("pg-boss");
    let release = () => {};
    const released = new Promise<void>((r) => (release = r));
    let workedBy = "";
    const handler = (who: string) => async ({ setProgress }: { setProgress: (p: Json) => Promise<void> }) => {
      workedBy = who;
      await setProgress({ step: 1 });
      await released;
      return { ok: true as const, result: { by: who } };
    };
    a.work("test-job", handler("a"));
    b.work("test-job", handler("b"));
    await b.start();

    const sent = await a.send("test-job", { n: 1 }, { singletonKey: "one", progress: { step: 0 } });
    expect(sent.joined).toBe(false);
    // Process a never started its workers: b takes the job, and a reads b's progress from the database.
    const seen = await until("progress written by the other process", async () => {
      const job = await a.get(sent.job.id);
      return job?.state === "running" && JSON.stringify(job.progress) === '{"step":1}' ? job : null;
    });
    expect(seen.attempts).toBe(1);
    expect(workedBy).toBe("b");
    const again = await a.send("test-job", { n: 2 }, { singletonKey: "one" });
    expect(again).toMatchObject({ joined: true, job: { id: sent.job.id } });
    expect(await a.depth("test-job")).toBe(1);

    release();
    const done = await until("the job to finish", async () => {
      const job = await a.get(sent.job.id);
      return job?.state === "done" ? job : null;
    });
    expect(done.result).toEqual({ by: "b" });
    expect(await a.depth()).toBe(0);
    // Finished, the key is free again.
    expect((await a.send("test-job", { n: 3 }, { singletonKey: "one" })).joined).toBe(false);
  });

  it("hands a job on at once when its process stops cleanly, without waiting for the heartbeat", async () => {
    const [a, b] = [createJobQueue(await processOn(), config), createJobQueue(await processOn(), config)];
    queues.push(a, b);
    let started = () => {};
    const inB = new Promise<void>((r) => (started = r));
    // b's handler runs until told to let go; a's finishes.
    b.work("handoff", async ({ signal }) => {
      started();
      await new Promise((r) => signal.addEventListener("abort", r, { once: true }));
      throw new Error("let go");
    });
    a.work("handoff", async () => ({ ok: true, result: "a" }));
    await b.start();
    const { job } = await a.send("handoff", {});
    await inB;
    await a.start();
    const stopped = Date.now();
    await b.stop();
    const done = await until("the job to be finished by a", async () => {
      const j = await a.get(job.id);
      return j?.state === "done" ? j : null;
    });
    expect(done).toMatchObject({ result: "a", attempts: 2 });
    expect(Date.now() - stopped).toBeLessThan(FAST_JOBS.heartbeatSeconds * 1000);
  });

  it("finishes an export whose worker was killed with -9 mid-export in another process, writing its folder from scratch", async () => {
    const database = await processOn();
    const lead = await createTestUser(database.db, "lead");
    await seedExportFixture(database.db, config, 2, "Killed export");
    const queue = createJobQueue(database, config);
    queues.push(queue);
    const runner = new ExportJobRunner(queue, database.db, config);

    // The other process: a real worker whose export never ends.
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "../testing/jobWorkerProcess.ts")], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        DATA_DIR: config.dataDir,
        JOB_HEARTBEAT_SECONDS: String(FAST_JOBS.heartbeatSeconds),
        JOB_RETRY_LIMIT: String(FAST_JOBS.retryLimit),
        JOB_POLL_SECONDS: String(FAST_JOBS.pollSeconds),
        JOB_SUPERVISE_SECONDS: String(FAST_JOBS.superviseSeconds),
        HALF_WRITTEN_FILE: HALF_WRITTEN,
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    const lines = readline.createInterface({ input: child.stdout! });
    const next = () => new Promise<Record<string, unknown>>((resolve) => lines.once("line", (l) => resolve(JSON.parse(l) as Record<string, unknown>)));
    expect(await next()).toHaveProperty("ready");

    // Started here (this process has no worker yet); the child takes it and is mid-export.
    const running = next();
    const { job } = await runner.start(lead, OPTIONS);
    expect(await running).toEqual({ running: job.id });
    expect(fs.existsSync(path.join(jobDir(config, job.id), HALF_WRITTEN))).toBe(true);
    // Its progress, written by the child, is read here.
    const midway = await until("the child's progress", async () => {
      const j = await runner.get(job.id);
      return j?.state === "running" && j.progress.tasksRead === 1 ? j : null;
    });
    // Two clips, each with an approved camera and subject task.
    expect(midway.progress.totalTasks).toBe(4);

    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    // This process starts its worker; the dead worker's heartbeat stops, the job is handed over and finished.
    await queue.start();
    const started = Date.now();
    const done = await until("the export to be finished by this process", async () => {
      const j = await runner.get(job.id);
      return j && j.state !== "running" && j.state !== "queued" ? j : null;
    });
    expect(done).toMatchObject({ state: "done", error: null, skippedTasks: 0 });
    expect(done.manifest?.tasks).toBe(4);
    expect(Date.now() - started).toBeLessThan((FAST_JOBS.heartbeatSeconds + 10) * 1000);
    const record = await queue.get(job.id);
    expect(record?.attempts).toBe(2);
    const files = fs.readdirSync(jobDir(config, job.id));
    expect(files).toContain("manifest.json");
    expect(files).not.toContain(HALF_WRITTEN);
  }, 90_000);

  it("starts an export through one process's API that another process runs; the first one's progress stream ends with it", async () => {
    const lead = await createTestUser(shared.db, "lead");
    await seedExportFixture(shared.db, config, 2, "API export");
    const servicesA = createServices({ config, database: await processOn() });
    const servicesB = createServices({ config, database: await processOn() });
    const appA = createApp(servicesA);
    running.push(await startJobs(servicesB));
    queues.push(jobsFor(servicesA).queue);
    const call = (method: string, p: string, body?: unknown) =>
      appA.request(p, {
        method,
        headers: { cookie: lead.cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    const options = { format: "chai", project: "API export" };
    const first = await call("POST", "/api/exports", options);
    expect(first.status).toBe(202);
    const { id } = StartExportResponse.parse(await first.json());
    // The same export pressed again while it is unfinished is the same job.
    const second = StartExportResponse.parse(await (await call("POST", "/api/exports", options)).json());
    const stream = await (await call("GET", `/api/exports/${id}/progress`)).text();
    const events = stream
      .split("\n\n")
      .map((block) => block.split("\n").find((l) => l.startsWith("data:"))?.slice(5))
      .filter((d): d is string => d !== undefined)
      .map((d) => ExportJob.parse(JSON.parse(d)));
    expect(events.at(-1)).toMatchObject({ id, state: "done" });
    expect(second.id === id || events.at(-1)?.state === "done").toBe(true);
    const job = ExportJob.parse(await (await call("GET", `/api/exports/${id}`)).json());
    expect(job.manifest?.tasks).toBe(4);
    expect(job.createdBy).toEqual({ id: lead.id, name: lead.displayName });
    // Only process b has workers: a never ran it.
    expect(await jobsFor(servicesA).queue.depth()).toBe(0);
  });

  it("drafts a project's labelled tasks as a batch started through one process and run by another", async () => {
    const db = shared.db;
    const lead = await createTestUser(db, "lead");
    const spec = await getSpec();
    const ann = await person(db, "annotator");
    const ids = await seedProject(db);
    const labelled: string[] = [];
    for (const aspect of ["subject", "motion", "camera"] as Aspect[]) {
      const a = spec.aspects.find((x) => x.aspect === aspect);
      if (!a) continue;
      const taskId = await seedTask(db, { ...ids, aspect, annotatorId: ann.id, specVersion: spec.version });
      await replaceLabels(db, taskId, completeLabels(a), ann.id);
      await replaceFacts(db, taskId, COMPLETE_FACTS);
      labelled.push(taskId);
    }
    const [project] = await db.select({ projectId: tasks.projectId }).from(tasks).where(eq(tasks.id, labelled[0]!));
    const servicesA = createServices({ config, database: await processOn() });
    const servicesB = createServices({ config, database: await processOn() });
    queues.push(jobsFor(servicesA).queue);
    running.push(await startJobs(servicesB));
    const appA = withDraftBatches(servicesA);
    const call = (method: string, p: string, body?: unknown) =>
      appA.request(p, {
        method,
        headers: { cookie: lead.cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    const started = await call("POST", "/api/draft-batches", { project: project!.projectId, concurrency: 2 });
    expect(started.status).toBe(202);
    const { id, joined } = StartDraftBatchResponse.parse(await started.json());
    expect(joined).toBe(false);
    const batch = await until("the batch to finish", async () => {
      const b = DraftBatch.parse(await (await call("GET", `/api/draft-batches/${id}`)).json());
      return b.state === "done" ? b : null;
    });
    expect(batch.progress).toMatchObject({ total: labelled.length, done: labelled.length, drafted: labelled.length, failed: 0, inFlight: [] });
    expect(batch.createdBy?.id).toBe(lead.id);
    const rows = await db.select({ stage: tasks.stage }).from(tasks).where(inArray(tasks.id, labelled));
    expect(rows.every((r) => r.stage === "critiquing")).toBe(true);
    expect(await db.select({ id: drafts.id }).from(drafts).where(inArray(drafts.taskId, labelled))).toHaveLength(labelled.length);
    expect((await call("POST", "/api/draft-batches", { project: "No such project" })).status).toBe(400);
  }, 60_000);
});

/** The draft-batch routes over a session, as app.ts mounts them. */
function withDraftBatches(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.onError((err, c) => {
    const known = toHttpError(err);
    if (!known) throw err;
    return c.json({ error: { code: known.code, message: known.message } }, known.status);
  });
  app.use("/api/*", sessionMiddleware(deps.database.db));
  app.route("/api/draft-batches", draftBatchesRoutes(deps));
  return app;
}
