import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import { Readable } from "node:stream";
import { Hono, type Context } from "hono";
import { and, eq, isNull, type SQL } from "drizzle-orm";
import { audit } from "../../audit";
import { currentUser, requireUser } from "../../auth/middleware";
import type { AppDeps, AppEnv, SessionUser } from "../../context";
import type { Db } from "../../db/index";
import { tasks, videos } from "../../db/schema/index";
import { notFound } from "../../http/errors";
import { readJson } from "../../http/readJson";
import { canSeeAllVideos, visibleTasksWhere } from "../tasks/policy";
import { toVideoMeta, type VideoRow } from "./presenter";
import { decideRange } from "../../videos/range";
import { resolveExistingVideoPath } from "../../videos/storage";
import { Id } from "../../../shared/api/common";
import { VideoMetadataPatch, type VideoMeta } from "../../../shared/api/videos";

/**
 * A video the user may see, or a 404. Someone who may not see it gets the same 404 as for an unknown id, so ids
 * cannot be probed.
 */
async function visibleVideo(db: Db, user: SessionUser, rawId: string): Promise<VideoRow> {
  const id = Id.safeParse(rawId);
  if (!id.success) throw notFound("No such video.");
  const [video] = await db.select().from(videos).where(eq(videos.id, id.data)).limit(1);
  if (!video) throw notFound("No such video.");
  if (canSeeAllVideos(user)) return video;
  const conditions: SQL[] = [eq(tasks.videoId, video.id)];
  const visible = visibleTasksWhere(db, user);
  if (visible) conditions.push(visible);
  const [task] = await db.select({ id: tasks.id }).from(tasks).where(and(...conditions)).limit(1);
  if (!task) throw notFound("No such video.");
  return video;
}

function etagOf(video: VideoRow): string {
  // Content-addressed: the sha256 names the bytes exactly.
  return `"${video.sha256}"`;
}

async function sendFile(c: Context<AppEnv>, video: VideoRow, file: string) {
  const stat = await fs.stat(file);
  const size = stat.size;
  const headers: Record<string, string> = {
    "Accept-Ranges": "bytes",
    "Content-Type": video.mimeType,
    ETag: etagOf(video),
    "Last-Modified": stat.mtime.toUTCString(),
    "Cache-Control": "private, max-age=3600",
    "X-Content-Type-Options": "nosniff",
  };
  if (c.req.header("if-none-match") === headers.ETag) return c.body(null, 304, headers);

  // If-Range: a range against a different version of the file gets the whole new file instead.
  const ifRange = c.req.header("if-range");
  const rangeHeader = ifRange && ifRange !== headers.ETag ? undefined : c.req.header("range");
  const range = decideRange(rangeHeader, size);
  if (range.kind === "unsatisfiable") {
    return c.body(null, 416, { ...headers, "Content-Range": `bytes */${size}` });
  }
  const [start, end] = range.kind === "partial" ? [range.start, range.end] : [0, size - 1];
  const length = size === 0 ? 0 : end - start + 1;
  headers["Content-Length"] = String(length);
  if (range.kind === "partial") headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
  const status = range.kind === "partial" ? 206 : 200;
  if (c.req.method === "HEAD" || length === 0) return c.body(null, status, headers);
  // Streamed from disk; cancelling the response (the player seeks away) destroys the file stream.
  const stream = Readable.toWeb(createReadStream(file, { start, end })) as unknown as ReadableStream<Uint8Array>;
  return c.body(stream, status, headers);
}

export function videosRoutes(deps: AppDeps) {
  const { db } = deps.database;
  const { config } = deps;
  return new Hono<AppEnv>()
    .use(requireUser)
    .get("/:id", async (c) => {
      const video = await visibleVideo(db, currentUser(c), c.req.param("id"));
      const body: VideoMeta = toVideoMeta(video);
      return c.json(body);
    })
    .on(["GET", "HEAD"], "/:id/file", async (c) => {
      const video = await visibleVideo(db, currentUser(c), c.req.param("id"));
      const file = await resolveExistingVideoPath(config, video);
      if (!file) throw notFound("The video file is missing on the server.");
      return sendFile(c, video, file);
    })
    .patch("/:id/metadata", async (c) => {
      const user = currentUser(c);
      const video = await visibleVideo(db, user, c.req.param("id"));
      const patch = await readJson(c, VideoMetadataPatch, 1024);
      // Each field is written only while still null, in one statement per field, so two viewers racing cannot
      // overwrite each other or a probed value.
      const written: Partial<Record<keyof VideoMetadataPatch, number>> = {};
      for (const key of ["durationSec", "fps", "width", "height"] as const) {
        const value = patch[key];
        if (value === undefined) continue;
        const updated = await db
          .update(videos)
          .set({ [key]: value })
          .where(and(eq(videos.id, video.id), isNull(videos[key])))
          .returning({ id: videos.id });
        if (updated.length > 0) written[key] = value;
      }
      if (Object.keys(written).length > 0) {
        await audit(db, { actorId: user.id, action: "video.metadata", entityType: "video", entityId: video.id, data: written });
      }
      const [fresh] = await db.select().from(videos).where(eq(videos.id, video.id)).limit(1);
      if (!fresh) throw notFound("No such video.");
      const body: VideoMeta = toVideoMeta(fresh);
      return c.json(body);
    });
}
