import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { FileStore } from "@tus/file-store";
import type { Server, Upload } from "@tus/server";
import { eq } from "drizzle-orm";
import { audit } from "../../audit";
import type { Config } from "../../config";
import type { SessionUser } from "../../context";
import type { Db } from "../../db/index";
import { projects } from "../../db/schema/index";
import { describeError } from "../../collab/logSafe";
import { loggerFor, type Logger } from "../../observability/logger";
import { generateTasksForVideo, type ProjectDeps } from "../../projects/repository";
import { ImportError, importVideo, titleFromFile } from "../../videos/importer";
import { inspectMedia } from "../../videos/mediaProbe";
import { toVideoMeta } from "../videos/presenter";
import type { GenerateTasksResponse } from "../../../shared/api/projects";
import { MAX_UPLOAD_BYTES, UPLOAD_PATHS, UPLOAD_TYPES, UploadMetadata, type UploadOutcome } from "../../../shared/api/uploads";

/** Partial uploads live here until they are complete and registered (then the importer's copy is kept). */
export function uploadsDir(config: Config): string {
  return path.join(config.dataDir, "uploads");
}

/** A refusal @tus/server sends as is: our usual JSON error body, so the client shows the message. */
function refusal(status: number, code: string, message: string) {
  return { status_code: status, body: JSON.stringify({ error: { code, message } }) };
}

const UPLOAD_EXPIRY_MS = 7 * 24 * 3600 * 1000;

const ACCEPTED = "upload WebM (.webm) or MP4 (.mp4) clips";

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

/** Which accepted type a file name and declared type stand for, or a message saying why neither fits. */
function acceptedType(meta: UploadMetadata): { mimeType: string } | { problem: string } {
  const ext = path.extname(meta.filename).toLowerCase();
  const byExt = Object.entries(UPLOAD_TYPES).find(([, exts]) => exts.includes(ext))?.[0];
  if (!byExt) return { problem: `${meta.filename} is not a clip: ${ACCEPTED}.` };
  // Browsers send "" for types they do not know; a declared type must agree with the name.
  if (meta.filetype && meta.filetype !== byExt) return { problem: `${meta.filename} is declared as ${meta.filetype}: ${ACCEPTED}.` };
  return { mimeType: byExt };
}

export type ClipUploads = {
  tus: Server;
  store: FileStore;
  /** The signed-in person of a request being handled, set by the route before tus sees the request. */
  users: WeakMap<Request, SessionUser>;
};

/**
 * The tus 1.0 server for clips (@tus/server with a file store under DATA_DIR/uploads). Who may upload is decided
 * by the route before a request reaches it; the hooks here check what is uploaded: the metadata when the upload is
 * created, the bytes (mediabunny) when it is complete, then register the clip through the importer (sha256 dedup)
 * and make its tasks in the project (one per aspect of the project's settings).
 */
export async function createClipUploads(db: Db, config: Config, currentSpecVersion: ProjectDeps["currentSpecVersion"]): Promise<ClipUploads> {
  // Loaded with the first upload request, not at start: the tus packages cost the idle server a few MB.
  const [{ FileStore }, { Server }] = await Promise.all([import("@tus/file-store"), import("@tus/server")]);
  const users = new WeakMap<Request, SessionUser>();
  // An upload nobody resumed within a week is abandoned: tus answers 410 for it and its bytes are deleted.
  const store = new FileStore({ directory: uploadsDir(config), expirationPeriodInMilliseconds: UPLOAD_EXPIRY_MS });
  const log = loggerFor(config).child({ component: "uploads" });
  void store.deleteExpired().catch((err: unknown) => log.warn({ err: describeError(err) }, "could not delete expired uploads"));
  const userOf = (req: Request, upload: Upload): string | null => users.get(req)?.id ?? upload.metadata?.userId ?? null;

  const tus = new Server({
    path: UPLOAD_PATHS.tus,
    datastore: store,
    maxSize: MAX_UPLOAD_BYTES,
    relativeLocation: true,
    // Random names; the extension is added when the finished file is handed to the importer.
    namingFunction: () => randomBytes(16).toString("hex"),

    async onUploadCreate(req, upload) {
      const user = users.get(req);
      if (!user) throw refusal(401, "unauthorized", "Sign in first.");
      const parsed = UploadMetadata.safeParse(upload.metadata ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw refusal(400, "bad_request", `The upload's ${issue?.path.join(".") || "metadata"} is missing or wrong: ${issue?.message ?? "check it"}.`);
      }
      const meta = parsed.data;
      const type = acceptedType(meta);
      if ("problem" in type) throw refusal(415, "unsupported_type", type.problem);
      if (upload.sizeIsDeferred) throw refusal(400, "bad_request", `Give the size of ${meta.filename} when the upload starts.`);
      if ((upload.size ?? 0) > MAX_UPLOAD_BYTES) {
        throw refusal(413, "too_large", `${meta.filename} is ${gib(upload.size ?? 0)}; a clip can be at most ${gib(MAX_UPLOAD_BYTES)}.`);
      }
      const [project] = await db.select({ id: projects.id }).from(projects).where(eq(projects.id, meta.projectId)).limit(1);
      if (!project) throw refusal(404, "not_found", "That project does not exist (any more).");
      // The uploader is recorded from the session, never from what the client sent, so only they can resume it.
      return { metadata: { ...upload.metadata, userId: user.id } };
    },

    async onUploadFinish(req, upload) {
      const outcome = await registerUpload({ db, currentSpecVersion, log }, config, store, upload, userOf(req, upload));
      return { status_code: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify(outcome) };
    },
  });
  return { tus, store, users };
}

type TaskDeps = Pick<ProjectDeps, "db" | "currentSpecVersion"> & { log: Logger };

/**
 * Inspects a complete upload, registers it as a clip (or finds its twin by content hash), makes the clip's missing
 * tasks when it belongs to the upload's project, and removes the upload.
 */
async function registerUpload(deps: TaskDeps, config: Config, store: FileStore, upload: Upload, actorId: string | null): Promise<UploadOutcome> {
  const { db } = deps;
  const meta = UploadMetadata.parse(upload.metadata ?? {});
  const file = path.join(uploadsDir(config), upload.id);
  // The importer names the stored copy and its type by the extension: hand it a link with the container's one.
  let linked: string | null = null;
  try {
    const inspected = await inspectMedia(file, meta.filename);
    if (!inspected.ok) return { kind: "refused", message: inspected.problem };
    linked = path.join(uploadsDir(config), `.${upload.id}${inspected.mimeType === "video/webm" ? ".webm" : ".mp4"}`);
    await fs.link(file, linked);
    const { video, created } = await importVideo(db, config, {
      file: linked,
      projectId: meta.projectId,
      title: titleFromFile(meta.filename),
      sourceName: path.basename(meta.filename),
      known: inspected.meta,
    });
    await audit(db, {
      actorId,
      action: created ? "video.upload" : "video.upload_duplicate",
      entityType: "video",
      entityId: video.id,
      data: { filename: meta.filename, projectId: meta.projectId, sizeBytes: upload.size ?? null },
    });
    const here = video.projectId === meta.projectId;
    // A twin in this project gets only what it lacks (none again); a clip of another project gets no tasks here.
    const made = here ? await clipTasks(deps, actorId, meta.projectId, video.id) : { tasks: { created: 0, total: 0 }, problem: "" };
    if (created) return { kind: "created", message: `${meta.filename} was added.${made.problem}`, video: toVideoMeta(video), tasks: made.tasks };
    const where = here ? "in this project" : `in project “${await projectName(db, video.projectId)}”`;
    return {
      kind: "duplicate",
      message: `${meta.filename} has the same content as “${video.title}”, already ${where}; it was not added again.${made.problem}`,
      video: toVideoMeta(video),
      tasks: made.tasks,
    };
  } catch (err) {
    // The importer's message names the server's temporary path; the person needs the file's own name.
    if (err instanceof ImportError) return { kind: "refused", message: `${meta.filename} could not be added: ${err.message.replace(`${linked ?? ""}: `, "")}` };
    throw err;
  } finally {
    if (linked) await fs.rm(linked, { force: true });
    // The importer keeps its own copy; the upload (bytes and tus metadata) is done with either way.
    await store.remove(upload.id).catch(() => undefined);
  }
}

/** The clip's tasks; if making them fails the clip stays added, and the message says how to make them later. */
async function clipTasks(deps: TaskDeps, actorId: string | null, projectId: string, videoId: string): Promise<{ tasks: GenerateTasksResponse; problem: string }> {
  try {
    return { tasks: await generateTasksForVideo(deps, actorId, projectId, videoId), problem: "" };
  } catch (err) {
    deps.log.error({ videoId, projectId, err: describeError(err) }, "could not make the tasks of a clip");
    return { tasks: { created: 0, total: 0 }, problem: " Its tasks could not be made: use “Make missing tasks” on the Tasks tab." };
  }
}

async function projectName(db: Db, id: string): Promise<string> {
  const [row] = await db.select({ name: projects.name }).from(projects).where(eq(projects.id, id)).limit(1);
  return row?.name ?? "another project";
}
