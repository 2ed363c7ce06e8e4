/**
 * A job worker in its own process, for the test of a worker killed with -9 mid-job (server/jobs/jobs.test.ts):
 * `node --import tsx jobWorkerProcess.ts`. It works dataset exports from the pg-boss queue on DATABASE_URL, and its
 * export never ends: it writes half a file (HALF_WRITTEN_FILE) into the job's folder, reports one batch read, prints
 * {"running": <job id>} and waits to be killed. Prints {"ready": <pid>} once its worker is started.
 * Env: DATABASE_URL and DATA_DIR (required), HALF_WRITTEN_FILE, JOB_* (server/config.ts).
 */
import fs from "node:fs/promises";
import path from "node:path";
import { loadConfig } from "../config";
import { openDatabase } from "../db/index";
import { ExportJobRunner } from "../dataset/jobRunner";
import { createJobQueue } from "../jobs/index";

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url || !process.env.DATA_DIR) throw new Error("DATABASE_URL and DATA_DIR are required");
  const config = loadConfig({ ...process.env, DEMO: "0", LOG_LEVEL: process.env.LOG_LEVEL ?? "error" });
  const database = await openDatabase({ kind: "postgres", url, max: 2 });
  const queue = createJobQueue(database, config);
  new ExportJobRunner(queue, database.db, config, {
    run: async (_db, _config, opts) => {
      await fs.mkdir(opts.outDir, { recursive: true });
      await fs.writeFile(path.join(opts.outDir, process.env.HALF_WRITTEN_FILE ?? "half-written.jsonl"), '{"video": ');
      opts.onBatch?.({ videos: 1, tasks: 1 });
      process.stdout.write(`${JSON.stringify({ running: path.basename(opts.outDir) })}\n`);
      return new Promise<never>(() => {});
    },
  });
  await queue.start();
  process.stdout.write(`${JSON.stringify({ ready: process.pid })}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
