import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it, vi } from "vitest";
import { createTestUser, type TestUser } from "../testing/seed";
import { auditLog } from "../db/schema/index";
import { exportDataset } from "./exportDataset";
import { ExportReadError } from "./read";
import { seedExportFixture } from "../testing/datasetFixture";
import { describeEachDb } from "../testing/db";
import { testConfig } from "../testing/testConfig";
import type { ExportJobOptions } from "../../shared/api/exports";
import { InProcessQueue } from "../jobs/inProcessQueue";
import { JobStore } from "../jobs/store";
import type { Db } from "../db/index";
import { ExportJobRunner, jobDir, type ExportJobRunnerOptions } from "./jobRunner";

const OPTIONS: ExportJobOptions = { format: "chai", status: "approved", split: 0, seed: 0, clips: "link" };

/** A runner on a queue of its own: the in-process queue, as on the embedded database. */
function runnerOn(db: Db, config: ReturnType<typeof testConfig>, opts: ExportJobRunnerOptions = {}) {
  const queue = new InProcessQueue(new JobStore(db), { retryLimit: 1, log: () => {} });
  return { queue, runner: new ExportJobRunner(queue, db, config, opts) };
}

describeEachDb("export job runner", (db) => {
  const config = testConfig();
  let lead: TestUser;

  beforeAll(async () => {
    await seedExportFixture(db().db, config, 2);
    lead = await createTestUser(db().db, "lead");
  });

  it("runs jobs one at a time in order and reports every change to subscribers", async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    const run: typeof exportDataset = async (...args) => {
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      try {
        return await exportDataset(...args);
      } finally {
        concurrent--;
      }
    };
    const { queue, runner: serial } = runnerOn(db().db, config, { run });
    const { job: a } = await serial.start(lead, OPTIONS);
    const { job: b } = await serial.start(lead, { ...OPTIONS, format: "caption-dpo" });
    const states: string[] = [];
    queue.subscribe(b.id, (j) => states.push(j.state));
    await serial.idle();
    expect(maxConcurrent).toBe(1);
    expect((await serial.get(a.id))?.state).toBe("done");
    expect((await serial.get(b.id))?.state).toBe("done");
    expect(states[0]).toBe("running");
    expect(states.at(-1)).toBe("done");
    expect((await serial.list()).map((j) => j.id)).toEqual([b.id, a.id]);
    // The job's folder holds its clips, hard-linked from DATA_DIR/videos (one file system): no bytes copied.
    const clips = (await serial.get(a.id))?.manifest?.clips;
    expect(clips).toMatchObject({ count: 2, hardlinked: 2, copied: 0, missing: 0 });
    expect(fs.readdirSync(path.join(jobDir(config, a.id), "videos"))).toHaveLength(2);
  });

  it("fails a job with the reader's message, or a generic one, and removes its partial folder", async () => {
    const readError = new ExportReadError('No project named "Gone".');
    const { runner: failing } = runnerOn(db().db, config, {
      run: async (_db, _config, opts) => {
        fs.mkdirSync(opts.outDir, { recursive: true });
        throw readError;
      },
    });
    const { job } = await failing.start(lead, OPTIONS);
    await failing.idle();
    expect(await failing.get(job.id)).toMatchObject({ state: "failed", error: readError.message, manifest: null });
    expect(fs.existsSync(jobDir(config, job.id))).toBe(false);

    const { runner: crashing } = runnerOn(db().db, config, {
      run: () => Promise.reject(new Error("connection reset: secret internals")),
    });
    // The real error goes to the server log only; keep the test output quiet.
    const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
    let crashed;
    try {
      crashed = (await crashing.start(lead, OPTIONS)).job;
      await crashing.idle();
    } finally {
      quiet.mockRestore();
    }
    expect((await crashing.get(crashed.id))?.state).toBe("failed");
    expect((await crashing.get(crashed.id))?.error).not.toContain("secret");

    const done = await db()
      .db.select({ data: auditLog.data })
      .from(auditLog)
      .where(and(eq(auditLog.action, "export.done"), eq(auditLog.entityId, job.id)));
    expect(done).toHaveLength(1);
    expect(done[0]?.data).toMatchObject({ ok: false });
  });

  it("keeps a bounded history and drops the oldest finished job with its files", async () => {
    const { runner } = runnerOn(db().db, config, { maxJobs: 2 });
    const { job: first } = await runner.start(lead, OPTIONS);
    await runner.idle();
    expect(fs.existsSync(jobDir(config, first.id))).toBe(true);
    const { job: second } = await runner.start(lead, OPTIONS);
    await runner.idle();
    const { job: third } = await runner.start(lead, OPTIONS);
    await runner.idle();
    expect((await runner.list()).map((j) => j.id)).toEqual([third.id, second.id]);
    expect(await runner.get(first.id)).toBeNull();
    expect(fs.existsSync(jobDir(config, first.id))).toBe(false);
    expect(fs.existsSync(jobDir(config, third.id))).toBe(true);
  });

  it("joins a second start of the same export while the first is unfinished", async () => {
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    const { runner } = runnerOn(db().db, config, {
      run: async (...args) => {
        await held;
        return exportDataset(...args);
      },
    });
    const first = await runner.start(lead, OPTIONS);
    const second = await runner.start(lead, { ...OPTIONS });
    expect(second).toMatchObject({ joined: true, job: { id: first.job.id } });
    expect((await runner.unfinishedLike(OPTIONS))?.id).toBe(first.job.id);
    const other = await runner.start(lead, { ...OPTIONS, seed: 7 });
    expect(other.joined).toBe(false);
    release();
    await runner.idle();
    expect((await runner.get(first.job.id))?.state).toBe("done");
    // Finished, the same options make a new export.
    expect((await runner.start(lead, OPTIONS)).joined).toBe(false);
    await runner.idle();
  });

  it("takes up an export a stopped (or crashed) run left unfinished at the next start, writing its folder again", async () => {
    // The first run stops mid-export: its worker lets go between batches and leaves a half-written folder.
    const stalled = runnerOn(db().db, config, {
      run: async (_db, _config, opts) => {
        fs.mkdirSync(opts.outDir, { recursive: true });
        fs.writeFileSync(path.join(opts.outDir, "half-written.jsonl"), "{");
        opts.onBatch?.({ videos: 1, tasks: 1 });
        await new Promise((r) => setTimeout(r, 50));
        // The next batch finds the worker told to let go.
        opts.onBatch?.({ videos: 1, tasks: 1 });
        throw new Error("unreachable");
      },
    });
    const { job } = await stalled.runner.start(lead, OPTIONS);
    const half = path.join(jobDir(config, job.id), "half-written.jsonl");
    while (!fs.existsSync(half)) await new Promise((r) => setTimeout(r, 5));
    await stalled.queue.stop();
    const left = await stalled.runner.get(job.id);
    expect(left?.state).toBe("running");
    expect(fs.existsSync(half)).toBe(true);

    // The next run of the process (a new queue on the same database) finishes it.
    const next = runnerOn(db().db, config);
    await next.queue.start();
    await next.runner.idle();
    const done = await next.runner.get(job.id);
    expect(done).toMatchObject({ state: "done", error: null });
    expect((await next.queue.get(job.id))?.attempts).toBe(2);
    const files = fs.readdirSync(jobDir(config, job.id));
    expect(files).toContain("manifest.json");
    expect(files).not.toContain("half-written.jsonl");
  });
});
