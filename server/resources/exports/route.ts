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
import { jobDir } from "../../dataset/jobRunner";
import { jobsFor } from "../../jobs/index";
import { badRequest, conflict, notFound } from "../../http/errors";
import { readJson } from "../../http/readJson";
import { Id } from "../../../shared/api/common";
import { EXPORT_PROGRESS_EVENT, StartExportRequest, exportArchiveName, isFinished, type ExportJob, type StartExportResponse } from "../../../shared/api/exports";
import { CLIPS_FOLDER } from "../../../shared/dataset/formats";
import { isInside } from "../../videos/storage";
import { tarSize, tarStream, type TarEntry } from "./tar";

/** Exports waiting or running at once; more is a mistake (a double click, a script), not a need. */
export const MAX_PENDING_EXPORTS = 5;

/**
 * What a download name may look like before it is even looked up: a file name, or one inside at most three folders
 * (the layouts of other tools), no segment starting with a dot.
 */
// CameraBench's label files are dotted ids ("cam_motion.camera_centric_movement….json"); ".." never passes, and the
// name must also be one the manifest lists.
const FILE_NAME = /^(?:[A-Za-z0-9][A-Za-z0-9_.-]*\/){0,3}[A-Za-z0-9][A-Za-z0-9_.-]*\.[A-Za-z0-9]+$/;

/** A placed clip's name (server/dataset/media.ts clipRecordPath). */
const CLIP_NAME = /^[0-9a-f]{64}(\.[a-z0-9]{1,5})?$/;

/** SSE keep-alive, so proxies do not close a quiet stream while a big batch is read. */
const KEEPALIVE_MS = 15_000;

/** How often a progress stream reads the job again: another process may be the one running it. */
const PROGRESS_POLL_MS = 500;

/**
 * Dataset exports from the lead's UI (mounted at /api/exports), lead/admin only:
 *   POST /                  start an export {format, status, split, seed, project} → 202 {id}
 *   GET  /                  the jobs, newest first
 *   GET  /:id               one job (pollable)
 *   GET  /:id/progress      the job as server-sent events ("job"), until it is done or failed
 *   GET  /:id/files/:name   a file of a finished export: one named by its manifest, dataset_info.json, manifest.json
 *   GET  /:id/archive       the whole finished folder as one tar (records, registry, manifest, clips in videos/)
 */
export function exportsRoutes(deps: AppDeps) {
  const { db } = deps.database;
  // Exports are durable jobs (server/jobs): any process may run one, and every process answers for it.
  const runner = jobsFor(deps).exports;

  const jobOf = async (rawId: string): Promise<ExportJob> => {
    const id = Id.safeParse(rawId);
    if (!id.success) throw badRequest("The export id must be a UUID.");
    const job = await runner.get(id.data);
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
      // The same export while one is unfinished joins it (a double click, two leads): not counted as another.
      const same = await runner.unfinishedLike(options);
      if (!same && (await runner.pending()) >= MAX_PENDING_EXPORTS) {
        throw conflict(`${MAX_PENDING_EXPORTS} exports are already waiting or running; start another when one finishes.`);
      }
      const { job } = same ? { job: same } : await runner.start(user, options);
      return c.json({ id: job.id } satisfies StartExportResponse, 202);
    })
    .get("/", async (c) => c.json({ jobs: await runner.list() }))
    .get("/:id", async (c) => c.json(await jobOf(c.req.param("id"))))
    .get("/:id/progress", async (c) => {
      const first = await jobOf(c.req.param("id"));
      return streamSSE(c, async (stream) => {
        let wake: (() => void) | null = null;
        // This process's own changes wake the stream at once; another process's are found by reading again.
        const unsubscribe = runner.subscribe(first.id, () => wake?.());
        stream.onAbort(() => wake?.());
        try {
          let latest: ExportJob = first;
          let sent = "";
          let lastWrite = Date.now();
          for (;;) {
            latest = (await runner.get(first.id)) ?? latest;
            const data = JSON.stringify(latest);
            if (data !== sent) {
              sent = data;
              lastWrite = Date.now();
              await stream.writeSSE({ event: EXPORT_PROGRESS_EVENT, data, id: String(lastWrite) });
            } else if (Date.now() - lastWrite >= KEEPALIVE_MS) {
              lastWrite = Date.now();
              await stream.write(": keep-alive\n\n");
            }
            if (isFinished(latest.state) || stream.aborted) break;
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, PROGRESS_POLL_MS);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            wake = null;
          }
        } finally {
          unsubscribe();
        }
      });
    })
    .get("/:id/archive", async (c) => {
      const job = await jobOf(c.req.param("id"));
      if (job.state !== "done" || !job.manifest) throw notFound("This export has not finished.");
      const dir = jobDir(deps.config, job.id);
      const names = [...job.manifest.files.map((f) => f.name), job.manifest.dataset_info.name, MANIFEST_FILE];
      const clips = await fs.readdir(path.join(dir, CLIPS_FOLDER)).catch(() => [] as string[]);
      names.push(...clips.filter((n) => CLIP_NAME.test(n)).sort().map((n) => `${CLIPS_FOLDER}/${n}`));
      const root = exportArchiveName(job.id).replace(/\.tar$/, "");
      const entries: TarEntry[] = [];
      for (const name of names) {
        const file = path.join(dir, name);
        // Clips may be symlinks to storage (--clips symlink): stat follows them, as the archive's reader will.
        const stat = await fs.stat(file).catch(() => null);
        if (!stat?.isFile()) throw notFound(`The file "${name}" is gone from the server.`);
        entries.push({ name: `${root}/${name}`, file, size: stat.size });
      }
      const mtime = Date.parse(job.finishedAt ?? job.createdAt) / 1000;
      const body = Readable.toWeb(Readable.from(tarStream(entries, mtime))) as unknown as ReadableStream<Uint8Array>;
      return c.body(body, 200, {
        "Content-Type": "application/x-tar",
        "Content-Length": String(tarSize(entries)),
        "Content-Disposition": `attachment; filename="${exportArchiveName(job.id)}"`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      });
    })
    .get("/:id/files/:name{.+}", async (c) => {
      const job = await jobOf(c.req.param("id"));
      const name = c.req.param("name");
      if (!FILE_NAME.test(name)) throw badRequest("Not a file name of an export.");
      if (job.state !== "done" || !job.manifest) throw notFound("This export has not finished.");
      const listed = name === MANIFEST_FILE || name === job.manifest.dataset_info.name || job.manifest.files.some((f) => f.name === name);
      if (!listed) throw notFound(`The export has no file "${name}".`);
      const dir = jobDir(deps.config, job.id);
      const file = path.join(dir, name);
      // Belt and braces: the name was matched against the manifest, and the path must still be inside the folder.
      if (!isInside(dir, file)) throw badRequest("Not a file name of an export.");
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
        "Content-Disposition": `attachment; filename="${path.basename(name)}"`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      });
    });
}
