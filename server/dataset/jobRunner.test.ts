import fs from "node:fs";
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
import { ExportJobRunner, jobDir } from "./jobRunner";

const OPTIONS: ExportJobOptions = { format: "chai", status: "approved", split: 0, seed: 0 };

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
    const serial = new ExportJobRunner(db().db, config, { run });
    const a = await serial.start(lead, OPTIONS);
    const b = await serial.start(lead, { ...OPTIONS, format: "reward-pairs" });
    const states: string[] = [];
    serial.subscribe(b.id, (j) => states.push(j.state));
    await serial.idle();
    expect(maxConcurrent).toBe(1);
    expect(serial.get(a.id)?.state).toBe("done");
    expect(serial.get(b.id)?.state).toBe("done");
    expect(states[0]).toBe("running");
    expect(states.at(-1)).toBe("done");
    expect(serial.list().map((j) => j.id)).toEqual([b.id, a.id]);
  });

  it("fails a job with the reader's message, or a generic one, and removes its partial folder", async () => {
    const readError = new ExportReadError('No project named "Gone".');
    const failing = new ExportJobRunner(db().db, config, {
      run: async (_db, _config, opts) => {
        fs.mkdirSync(opts.outDir, { recursive: true });
        throw readError;
      },
    });
    const job = await failing.start(lead, OPTIONS);
    await failing.idle();
    expect(failing.get(job.id)).toMatchObject({ state: "failed", error: readError.message, manifest: null });
    expect(fs.existsSync(jobDir(config, job.id))).toBe(false);

    const crashing = new ExportJobRunner(db().db, config, {
      run: () => Promise.reject(new Error("connection reset: secret internals")),
    });
    // The real error goes to the server log only; keep the test output quiet.
    const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
    let crashed;
    try {
      crashed = await crashing.start(lead, OPTIONS);
      await crashing.idle();
    } finally {
      quiet.mockRestore();
    }
    expect(crashing.get(crashed.id)?.state).toBe("failed");
    expect(crashing.get(crashed.id)?.error).not.toContain("secret");

    const done = await db()
      .db.select({ data: auditLog.data })
      .from(auditLog)
      .where(and(eq(auditLog.action, "export.done"), eq(auditLog.entityId, job.id)));
    expect(done).toHaveLength(1);
    expect(done[0]?.data).toMatchObject({ ok: false });
  });

  it("keeps a bounded history and drops the oldest finished job with its files", async () => {
    const runner = new ExportJobRunner(db().db, config, { maxJobs: 2 });
    const first = await runner.start(lead, OPTIONS);
    await runner.idle();
    expect(fs.existsSync(jobDir(config, first.id))).toBe(true);
    const second = await runner.start(lead, OPTIONS);
    await runner.idle();
    const third = await runner.start(lead, OPTIONS);
    await runner.idle();
    expect(runner.list().map((j) => j.id)).toEqual([third.id, second.id]);
    expect(runner.get(first.id)).toBeUndefined();
    expect(fs.existsSync(jobDir(config, first.id))).toBe(false);
    expect(fs.existsSync(jobDir(config, third.id))).toBe(true);
  });
});
