import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { Upload, type HttpResponse } from "tus-js-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, projects, tasks, videos } from "../../db/schema/index";
import { generateTasks, generateTasksForVideo, listProjectTasks } from "../../projects/repository";
import { startServer, type RunningServer } from "../../server";
import { DB_KINDS, createTestDatabase } from "../../testing/db";
import { createTestUser, type TestUser } from "../../testing/seed";
import { testConfig } from "../../testing/testConfig";
import type { Aspect } from "../../../shared/domain";
import { ProjectClipsResponse, UPLOAD_PATHS, UploadOutcome } from "../../../shared/api/uploads";

const CLIP = path.resolve(import.meta.dirname, "../../../demo/clips/pan_left.webm");
const BYTES = fs.readFileSync(CLIP);
const CHUNK = Math.ceil(BYTES.length / 2);

type Options = { cookie?: string; filename?: string; filetype?: string; uploadUrl?: string; stopAfterFirstChunk?: boolean; bytes?: Buffer };
type Result = { url: string | null; response: HttpResponse | null; error: { status: number; body: string } | null; chunks: number[] };

/** One tus upload with the real client; resolves when it finishes, fails, or (when asked) after its first chunk. */
function tusUpload(server: RunningServer, projectId: string, opts: Options): Promise<Result> {
  const chunks: number[] = [];
  return new Promise((resolve) => {
    const upload: Upload = new Upload(opts.bytes ?? BYTES, {
      endpoint: `${server.url}${UPLOAD_PATHS.tus}`,
      uploadUrl: opts.uploadUrl,
      chunkSize: CHUNK,
      retryDelays: [],
      headers: opts.cookie ? { cookie: opts.cookie } : {},
      metadata: { projectId, filename: opts.filename ?? "pan_left.webm", filetype: opts.filetype ?? "video/webm" },
      onChunkComplete(_size, accepted) {
        chunks.push(accepted);
        if (opts.stopAfterFirstChunk && chunks.length === 1) {
          // A dropped connection: the client stops, the server keeps what it got.
          void upload.abort().then(() => resolve({ url: upload.url, response: null, error: null, chunks }));
        }
      },
      onSuccess: ({ lastResponse }) => resolve({ url: upload.url, response: lastResponse, error: null, chunks }),
      onError(err) {
        const res = "originalResponse" in err ? err.originalResponse : null;
        resolve({ url: upload.url, response: null, error: { status: res?.getStatus() ?? 0, body: res?.getBody() ?? String(err) }, chunks });
      },
    });
    upload.start();
  });
}

const ASPECT_ORDER: Aspect[] = ["camera", "subject", "motion"];

const outcomeOf = (r: Result) => UploadOutcome.parse(JSON.parse(r.response?.getBody() ?? "null"));

// Every suite on both databases: task generation runs under an advisory lock, which each must take.
for (const kind of DB_KINDS) describe(`clip uploads over tus [${kind}]`, () => {
  const config = testConfig({ port: 0, host: "127.0.0.1" });
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let admin: TestUser;
  let lead: TestUser;
  let annotator: TestUser;
  let projectId = "";

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    server = await startServer(config, { database });
    admin = await createTestUser(database.db, "admin");
    lead = await createTestUser(database.db, "lead");
    annotator = await createTestUser(database.db, "annotator");
    // Three aspects, not in the default order: the tasks an upload makes follow the project's settings.
    const [project] = await database.db.insert(projects).values({ name: "Uploads", settings: { aspects: ASPECT_ORDER } }).returning();
    projectId = project?.id ?? "";
  });

  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });

  it("resumes an interrupted upload and registers the clip with mediabunny's metadata", async () => {
    const first = await tusUpload(server, projectId, { cookie: admin.cookie, stopAfterFirstChunk: true });
    expect(first.chunks).toEqual([CHUNK]);
    expect(first.url).toMatch(/\/api\/uploads\/[0-9a-f]{32}$/);

    // A new client (a reloaded page) continues from the server's offset: only the rest is sent.
    const resumed = await tusUpload(server, projectId, { cookie: admin.cookie, uploadUrl: first.url ?? "" });
    expect(resumed.error).toBeNull();
    expect(resumed.chunks).toEqual([BYTES.length]);
    const outcome = outcomeOf(resumed);
    expect(outcome.kind).toBe("created");
    if (outcome.kind === "refused") return;
    expect(outcome.video).toMatchObject({ projectId, title: "pan left", mimeType: "video/webm", sizeBytes: BYTES.length, fps: 24, width: 640, height: 360 });
    expect(outcome.video.durationSec).toBeCloseTo(4, 1);

    const [row] = await database.db.select().from(videos).where(eq(videos.id, outcome.video.id));
    expect(row?.sha256).toHaveLength(64);
    expect(fs.existsSync(path.join(config.dataDir, "videos", row?.path ?? "missing"))).toBe(true);
    const audits = await database.db.select().from(auditLog).where(and(eq(auditLog.entityId, outcome.video.id), eq(auditLog.action, "video.upload")));
    expect(audits).toHaveLength(1);

    // Its tasks exist at once: one per aspect of the project, in the project's order.
    expect(outcome.tasks).toEqual({ created: 3, total: 3 });
    const made = await listProjectTasks(database.db, projectId);
    expect(made.map((t) => [t.videoId, t.aspect, t.stage, t.annotator])).toEqual(ASPECT_ORDER.map((a) => [outcome.video.id, a, "labelling", null]));
    const generated = await database.db.select().from(auditLog).where(and(eq(auditLog.entityId, projectId), eq(auditLog.action, "project.tasks_generate")));
    expect(generated.map((a) => [a.actorId, a.data])).toEqual([[admin.id, { created: 3, videoId: outcome.video.id }]]);

    // The partial upload is gone once registered.
    expect(fs.readdirSync(path.join(config.dataDir, "uploads"))).toEqual([]);
  });

  it("reports a second upload of the same bytes as a duplicate", async () => {
    const again = await tusUpload(server, projectId, { cookie: lead.cookie, filename: "copy of pan.webm" });
    const outcome = outcomeOf(again);
    expect(outcome.kind).toBe("duplicate");
    expect(outcome.message).toMatch(/same content as “pan left”, already in this project/);
    expect(await database.db.select().from(videos)).toHaveLength(1);
    // No second set of tasks: the clip already has one per aspect.
    if (outcome.kind === "refused") return;
    expect(outcome.tasks).toEqual({ created: 0, total: 3 });
    expect(await database.db.select().from(tasks).where(eq(tasks.projectId, projectId))).toHaveLength(3);
    // "Make missing tasks" (the project-wide generation) finds nothing missing either: one implementation.
    expect(await generateTasks({ db: database.db, currentSpecVersion: async () => "x", revalidate: () => undefined }, admin, projectId)).toEqual({ created: 0, total: 3 });
  });

  it("makes a clip's missing tasks on a duplicate upload, and none in another project", async () => {
    // A clip whose tasks were lost (or made before uploads made them): the project later gained an aspect.
    await database.db.update(projects).set({ settings: { aspects: [...ASPECT_ORDER, "scene"] } }).where(eq(projects.id, projectId));
    const again = outcomeOf(await tusUpload(server, projectId, { cookie: admin.cookie, filename: "pan again.webm" }));
    expect(again.kind).toBe("duplicate");
    if (again.kind === "refused") return;
    expect(again.tasks).toEqual({ created: 1, total: 4 });

    const [other] = await database.db.insert(projects).values({ name: "Elsewhere" }).returning();
    const elsewhere = outcomeOf(await tusUpload(server, other?.id ?? "", { cookie: admin.cookie }));
    expect(elsewhere.kind).toBe("duplicate");
    if (elsewhere.kind === "refused") return;
    expect(elsewhere.message).toMatch(/already in project “Uploads”/);
    expect(elsewhere.tasks).toEqual({ created: 0, total: 0 });
    expect(await database.db.select().from(tasks).where(eq(tasks.projectId, other?.id ?? ""))).toEqual([]);
    await database.db.update(projects).set({ settings: { aspects: ASPECT_ORDER } }).where(eq(projects.id, projectId));
  });

  it("makes a clip's tasks once when two generations race", async () => {
    const [clip] = await database.db.select().from(videos).where(eq(videos.projectId, projectId));
    await database.db.delete(tasks).where(eq(tasks.projectId, projectId));
    const deps = { db: database.db, currentSpecVersion: async () => "x" };
    const runs = await Promise.all([0, 1, 2].map(() => generateTasksForVideo(deps, admin.id, projectId, clip?.id ?? "")));
    expect(runs.map((r) => r.created).sort()).toEqual([0, 0, 3]);
    expect(await database.db.select().from(tasks).where(eq(tasks.projectId, projectId))).toHaveLength(3);
  });

  it("refuses uploads without a session (401) and from people who may not upload (403)", async () => {
    const anonymous = await tusUpload(server, projectId, {});
    expect(anonymous.error?.status).toBe(401);
    const denied = await tusUpload(server, projectId, { cookie: annotator.cookie });
    expect(denied.error?.status).toBe(403);
    expect(denied.error?.body).toMatch(/Only admins and leads may upload clips/);
  });

  it("refuses a cross-site upload", async () => {
    const res = await fetch(`${server.url}${UPLOAD_PATHS.tus}`, {
      method: "POST",
      headers: { cookie: admin.cookie, origin: "https://evil.example", "tus-resumable": "1.0.0", "upload-length": "10" },
    });
    expect(res.status).toBe(403);
  });

  it("refuses a file that is not a clip, by name and by content, with a message", async () => {
    const text = await tusUpload(server, projectId, { cookie: admin.cookie, filename: "notes.txt", filetype: "text/plain", bytes: Buffer.from("hello") });
    expect(text.error?.status).toBe(415);
    expect(text.error?.body).toMatch(/notes.txt is not a clip: upload WebM \(.webm\) or MP4 \(.mp4\) clips/);

    const disguised = await tusUpload(server, projectId, { cookie: admin.cookie, filename: "fake.webm", bytes: Buffer.from("not a video at all") });
    const outcome = outcomeOf(disguised);
    expect(outcome.kind).toBe("refused");
    expect(outcome.message).toMatch(/fake.webm is not a video we can read; convert it to WebM \(VP9\) or MP4 \(H.264\)/);
  });

  it("refuses metadata without a project", async () => {
    const res = await tusUpload(server, "not-a-uuid", { cookie: admin.cookie });
    expect(res.error?.status).toBe(400);
    expect(res.error?.body).toMatch(/projectId is missing or wrong/);
  });

  it("lists the project's clips for people who may upload", async () => {
    const res = await fetch(`${server.url}${UPLOAD_PATHS.clips}?projectId=${projectId}`, { headers: { cookie: lead.cookie } });
    expect(res.status).toBe(200);
    const clips = ProjectClipsResponse.parse(await res.json());
    expect(clips.map((c) => c.title)).toEqual(["pan left"]);
    const denied = await fetch(`${server.url}${UPLOAD_PATHS.clips}?projectId=${projectId}`, { headers: { cookie: annotator.cookie } });
    expect(denied.status).toBe(403);
    const bad = await fetch(`${server.url}${UPLOAD_PATHS.clips}?projectId=x`, { headers: { cookie: lead.cookie } });
    expect(bad.status).toBe(400);
  });
});
