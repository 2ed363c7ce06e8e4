import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { currentUser, requireRole } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import { projects } from "../../db/schema/index";
import { MANIFEST_FILE } from "../../dataset/exportDataset";
import { ExportJobRunner, jobDir } from "../../dataset/jobRunner";
import { badRequest, conflict, notFound } from "../../http/errors";
import { readJson } from "../../http/readJson";
import { Id } from "../../../shared/api/common";
import { EXPORT_PROGRESS_EVENT, StartExportRequest, isFinished, type ExportJob, type StartExportResponse } from "../../../shared/api/exports";

/** Exports waiting or running at once; more is a mistake (a double click, a script), not a need. */
export const MAX_PENDING_EXPORTS = 5;

/** What a download name may look like before it is even looked up: a plain file name, no folders, no dots first. */
const FILE_NAME = /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9]+){1,2}$/;

/** SSE keep-alive, so proxies do not close a quiet stream while a big batch is read. */
const KEEPALIVE_MS = 15_000;

/**
 * Dataset exports from the lead's UI (mounted at /api/exports), lead/admin only:
 *   POST /                  start an export {format, status, split, seed, project} → 202 {id}
 *   GET  /                  the jobs, newest first
 *   GET  /:id               one job (pollable)
 *   GET  /:id/progress      the job as server-sent events ("job"), until it is done or failed
 *   GET  /:id/files/:name   a file of a finished export: one named by its manifest, dataset_info.json, manifest.json
 */
export function exportsRoutes(deps: AppDeps) {
  const { db } = deps.database;
  const runner = new ExportJobRunner(db, deps.config);

  const jobOf = (rawId: string): ExportJob => {
    const id = Id.safeParse(rawId);
    if (!id.success) throw badRequest("The export id must be a UUID.");
    const job = runner.get(id.data);
    if (!job) throw notFound("No such export (the server keeps the most recent ones only).");
    return job;
  };

  return new Hono<AppEnv>()
    .use("*", requireRole("lead", "admin"))
    .post("/", async (c) => {
      const user = currentUser(c);
      const options = await readJson(c, StartExportRequest);
      if (options.project !== undefined) {
        const [p] = await db.select({ id: projects.id }).from(projects).where(eq(projects.name, options.project)).limit(1);
        if (!p) throw badRequest(`No project named "${options.project}".`);
      }
      if (runner.pending() >= MAX_PENDING_EXPORTS) {
        throw conflict(`${MAX_PENDING_EXPORTS} exports are already waiting or running; start another when one finishes.`);
      }
      const job = await runner.start(user, options);
      return c.json({ id: job.id } satisfies StartExportResponse, 202);
    })
    .get("/", (c) => c.json({ jobs: runner.list() }))
    .get("/:id", (c) => c.json(jobOf(c.req.param("id"))))
    .get("/:id/progress", (c) => {
      const first = jobOf(c.req.param("id"));
      return streamSSE(c, async (stream) => {
        let latest = first;
        let wake: (() => void) | null = null;
        const unsubscribe = runner.subscribe(first.id, (job) => {
          latest = job;
          wake?.();
        });
        stream.onAbort(() => wake?.());
        try {
          let sent: ExportJob | null = null;
          for (;;) {
            // Re-read after subscribing: the job may have moved on in between.
            latest = runner.get(first.id) ?? latest;
            if (latest !== sent) {
              sent = latest;
              await stream.writeSSE({ event: EXPORT_PROGRESS_EVENT, data: JSON.stringify(sent), id: String(Date.now()) });
            }
            if (isFinished(sent.state) || stream.aborted) break;
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, KEEPALIVE_MS);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            wake = null;
            if (latest === sent && !stream.aborted) await stream.write(": keep-alive\n\n");
          }
        } finally {
          unsubscribe();
        }
      });
    })
    .get("/:id/files/:name", async (c) => {
      const job = jobOf(c.req.param("id"));
      const name = c.req.param("name");
      if (!FILE_NAME.test(name)) throw badRequest("Not a file name of an export.");
      if (job.state !== "done" || !job.manifest) throw notFound("This export has not finished.");
      const listed = name === MANIFEST_FILE || name === job.manifest.dataset_info.name || job.manifest.files.some((f) => f.name === name);
      if (!listed) throw notFound(`The export has no file "${name}".`);
      const dir = jobDir(deps.config, job.id);
      const file = path.join(dir, name);
      // Belt and braces: the name was matched against the manifest, and the path must still be inside the folder.
      if (path.dirname(file) !== dir) throw badRequest("Not a file name of an export.");
      let size: number;
      try {
        size = (await fs.stat(file)).size;
      } catch {
        throw notFound(`The file "${name}" is gone from the server.`);
      }
      const type = name.endsWith(".jsonl") ? "application/jsonl; charset=utf-8" : "application/json; charset=utf-8";
      const body = Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array>;
      return c.body(body, 200, {
        "Content-Type": type,
        "Content-Length": String(size),
        "Content-Disposition": `attachment; filename="${name}"`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      });
    });
}
