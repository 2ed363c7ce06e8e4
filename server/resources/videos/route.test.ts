import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { createApp } from "../../app";
import { createTestUser, type TestUser } from "../../testing/seed";
import { auditLog, projects, tasks, videos } from "../../db/schema/index";
import { describeEachDb } from "../../testing/db";
import { testConfig } from "../../testing/testConfig";
import type { VideoMeta } from "../../../shared/api/videos";

const SIZE = 1000;
const BYTES = Buffer.from(Array.from({ length: SIZE }, (_, i) => i % 251));

describeEachDb("videos API", (db) => {
  const config = testConfig();
  const app = () => createApp({ config, database: db() });
  let ann: TestUser;
  let other: TestUser;
  let lead: TestUser;
  let videoId = "";
  let escapeId = "";
  let missingId = "";

  beforeAll(async () => {
    const d = db().db;
    ann = await createTestUser(d, "annotator");
    other = await createTestUser(d, "annotator");
    lead = await createTestUser(d, "lead");
    fs.mkdirSync(path.join(config.dataDir, "videos"), { recursive: true });
    fs.writeFileSync(path.join(config.dataDir, "videos", "clip.webm"), BYTES);
    fs.writeFileSync(path.join(config.dataDir, "secret.txt"), "secret");
    const [project] = await d.insert(projects).values({ name: "V" }).returning();
    const base = { projectId: project?.id ?? "", mimeType: "video/webm", storage: "data" as const, sizeBytes: SIZE };
    const rows = await d
      .insert(videos)
      .values([
        { ...base, title: "Clip", path: "clip.webm", sha256: "c".repeat(64) },
        { ...base, title: "Escape", path: "../secret.txt", sha256: "d".repeat(64) },
        { ...base, title: "Missing", path: "gone.webm", sha256: "e".repeat(64) },
      ])
      .returning();
    [videoId, escapeId, missingId] = rows.map((r) => r.id) as [string, string, string];
    await d.insert(tasks).values(
      [videoId, escapeId, missingId].map((v) => ({ projectId: base.projectId, videoId: v, aspect: "camera" as const, annotatorId: ann.id, specVersion: "t" })),
    );
  });

  const file = (headers: Record<string, string> = {}, user: TestUser | null = ann, id = videoId) =>
    app().request(`/api/videos/${id}/file`, { headers: { ...(user ? { cookie: user.cookie } : {}), ...headers } });

  it("serves the whole file with Accept-Ranges, type, length, ETag and Last-Modified", async () => {
    const res = await file();
    expect(res.status).toBe(200);
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(res.headers.get("content-type")).toBe("video/webm");
    expect(res.headers.get("content-length")).toBe(String(SIZE));
    expect(res.headers.get("etag")).toBe(`"${"c".repeat(64)}"`);
    expect(res.headers.get("last-modified")).toBeTruthy();
    expect(Buffer.from(await res.arrayBuffer()).equals(BYTES)).toBe(true);
  });

  it("serves a closed range with 206 and Content-Range", async () => {
    const res = await file({ range: "bytes=10-19" });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe(`bytes 10-19/${SIZE}`);
    expect(res.headers.get("content-length")).toBe("10");
    expect(Buffer.from(await res.arrayBuffer()).equals(BYTES.subarray(10, 20))).toBe(true);
  });

  it("serves an open-ended range", async () => {
    const res = await file({ range: "bytes=990-" });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe(`bytes 990-999/${SIZE}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(BYTES.subarray(990))).toBe(true);
  });

  it("serves a suffix range", async () => {
    const res = await file({ range: "bytes=-5" });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe(`bytes 995-999/${SIZE}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(BYTES.subarray(995))).toBe(true);
  });

  it("answers an unsatisfiable range with 416 and Content-Range bytes */size", async () => {
    const res = await file({ range: `bytes=${SIZE}-` });
    expect(res.status).toBe(416);
    expect(res.headers.get("content-range")).toBe(`bytes */${SIZE}`);
  });

  it("304 for a matching If-None-Match", async () => {
    const res = await file({ "if-none-match": `"${"c".repeat(64)}"` });
    expect(res.status).toBe(304);
  });

  it("401 without a session; 404 for unknown ids, videos the user may not see, escaping paths and missing files", async () => {
    expect((await file({}, null)).status).toBe(401);
    expect((await file({}, ann, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await file({}, ann, "../../etc/passwd")).status).toBe(404);
    expect((await file({}, other)).status).toBe(404);
    expect((await file({}, lead)).status).toBe(200);
    const escape = await file({}, ann, escapeId);
    expect(escape.status).toBe(404);
    expect(await escape.text()).not.toContain("secret");
    expect((await file({}, ann, missingId)).status).toBe(404);
  });

  it("GET /api/videos/:id gives metadata without the storage path", async () => {
    const res = await app().request(`/api/videos/${videoId}`, { headers: { cookie: ann.cookie } });
    expect(res.status).toBe(200);
    const meta = (await res.json()) as VideoMeta;
    expect(meta).toMatchObject({ id: videoId, title: "Clip", mimeType: "video/webm", sizeBytes: SIZE, durationSec: null });
    expect(JSON.stringify(meta)).not.toContain("clip.webm");
    expect((await app().request(`/api/videos/${videoId}`, { headers: { cookie: other.cookie } })).status).toBe(404);
  });

  it("PATCH metadata fills null fields once, validates, audits", async () => {
    const patch = (body: unknown, user: TestUser = ann) =>
      app().request(`/api/videos/${videoId}/metadata`, {
        method: "PATCH",
        headers: { cookie: user.cookie, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await patch({ durationSec: -1 })).status).toBe(400);
    expect((await patch({})).status).toBe(400);
    expect((await patch({ path: "/etc/passwd" })).status).toBe(400);
    expect((await patch({ durationSec: 4 }, other)).status).toBe(404);
    const first = await patch({ durationSec: 4.04, fps: 24, width: 640, height: 360 });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ durationSec: 4.04, fps: 24, width: 640, height: 360 });
    // A second viewer cannot overwrite what is already known.
    const second = await patch({ durationSec: 99, fps: 30 });
    expect(await second.json()).toMatchObject({ durationSec: 4.04, fps: 24 });
    const audits = await db().db.select().from(auditLog).where(eq(auditLog.entityId, videoId));
    expect(audits.map((a) => a.action)).toEqual(["video.metadata"]);
  });
});
