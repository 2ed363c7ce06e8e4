import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { createApp } from "../../app";
import { createTestUser, type TestUser } from "../../testing/seed";
import { auditLog } from "../../db/schema/index";
import { seedExportFixture } from "../../testing/datasetFixture";
import { describeEachDb } from "../../testing/db";
import { testConfig } from "../../testing/testConfig";
import { ExportJob, ExportJobList, StartExportResponse, exportArchiveHref, exportArchiveName } from "../../../shared/api/exports";
import { EXPORT_FORMATS, Manifest } from "../../../shared/dataset/formats";

/** The files of a ustar archive by name (regular files only), checking each header's checksum. */
function untar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let at = 0;
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const text = (from: number, length: number) => header.subarray(from, from + length).toString("utf8").replace(/\0.*$/s, "");
    const sum = [...header].reduce((n, b, i) => n + (i >= 148 && i < 156 ? 32 : b), 0);
    expect(parseInt(text(148, 8), 8)).toBe(sum);
    expect(text(257, 6)).toBe("ustar");
    const size = parseInt(text(124, 12), 8);
    // ustar: a long path is the prefix field (offset 345), a "/", then the name field.
    const prefix = text(345, 155);
    files.set(prefix ? `${prefix}/${text(0, 100)}` : text(0, 100), tar.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  expect(tar.subarray(at).length).toBe(1024);
  return files;
}

/** The server-sent events of a finished stream, as (event, data) pairs. */
function sseEvents(text: string): { event: string; data: string }[] {
  return text
    .split("\n\n")
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((l) => l.startsWith("event:"))?.slice(6).trim() ?? "";
      const data = lines.filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart()).join("\n");
      return { event, data };
    })
    .filter((e) => e.event !== "");
}

describeEachDb("dataset exports from the UI", (db) => {
  const config = testConfig();
  let app: ReturnType<typeof createApp>;
  let lead: TestUser;
  let admin: TestUser;
  let annotator: TestUser;
  let projectName = "";

  const call = (user: TestUser, method: string, url: string, body?: unknown) =>
    app.request(url, {
      method,
      headers: { cookie: user.cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    const d = db().db;
    app = createApp({ config, database: db() });
    projectName = (await seedExportFixture(d, config, 4)).projectName;
    lead = await createTestUser(d, "lead");
    admin = await createTestUser(d, "admin");
    annotator = await createTestUser(d, "annotator");
  });

  it("is for leads and admins only", async () => {
    expect((await call(annotator, "POST", "/api/exports", { format: "all" })).status).toBe(403);
    expect((await call(annotator, "GET", "/api/exports")).status).toBe(403);
    expect((await app.request("/api/exports")).status).toBe(401);
    expect((await call(admin, "GET", "/api/exports")).status).toBe(200);
  });

  it("validates the request and never takes a folder from the client", async () => {
    const bad = [
      { format: "nonsense" },
      { format: "all", status: "whatever" },
      { format: "all", split: 1.5 },
      { format: "all", seed: -1 },
      { format: "all", outDir: "/tmp/elsewhere" },
      { format: "all", project: "No such project" },
    ];
    for (const body of bad) expect((await call(lead, "POST", "/api/exports", body)).status).toBe(400);
    // A retired format says what replaced it.
    const retired = await call(lead, "POST", "/api/exports", { format: "reward-pairs" });
    expect(retired.status).toBe(400);
    const { error } = (await retired.json()) as { error: { message: string } };
    expect(error.message).toMatch(/^"reward-pairs" was replaced: .*"trl-caption-preference".*"caption-dpo"/);
    expect((await call(lead, "POST", "/api/exports", { format: "all", clips: "move" })).status).toBe(400);
    expect(ExportJobList.parse(await (await call(lead, "GET", "/api/exports")).json()).jobs).toEqual([]);
  });

  it("runs a lead's export with progress, lists its files with checksums and serves them", async () => {
    const started = await call(lead, "POST", "/api/exports", { format: "all", status: "approved", split: 0.5, seed: 1, project: projectName });
    expect(started.status).toBe(202);
    const { id } = StartExportResponse.parse(await started.json());

    // The progress stream ends when the job does; its last event is the finished job.
    const progress = await call(lead, "GET", `/api/exports/${id}/progress`);
    expect(progress.status).toBe(200);
    expect(progress.headers.get("content-type")).toMatch(/text\/event-stream/);
    const events = sseEvents(await progress.text()).map((e) => ExportJob.parse(JSON.parse(e.data)));
    const last = events.at(-1);
    expect(last?.state).toBe("done");
    expect(events.every((e) => e.id === id)).toBe(true);

    const job = ExportJob.parse(await (await call(lead, "GET", `/api/exports/${id}`)).json());
    expect(job.state).toBe("done");
    expect(job.createdBy.id).toBe(lead.id);
    expect(job.options).toEqual({ format: "all", status: "approved", split: 0.5, seed: 1, clips: "link", project: projectName });
    const manifest = Manifest.parse(job.manifest);
    // 4 clips × (camera + subject) approved; the gold task is never exported.
    expect(manifest.tasks).toBe(8);
    expect(job.progress.tasks).toBe(8);
    // Every approved task of the project was read, and the total was known up front.
    expect(job.progress.totalTasks).toBe(8);
    expect(job.progress.tasksRead).toBe(8);
    expect(job.progress.records).toBeGreaterThan(0);
    expect(manifest.files.map((f) => f.name)).toContain("chai.train.jsonl");
    // JSON Lines formats: a file per split; folder formats (chai-tool/) list their own files, split "all".
    const folders = new Set(manifest.files.filter((f) => f.split === "all").map((f) => f.format));
    expect(folders).toEqual(new Set(["chai-tool", "camerabench"]));
    expect(manifest.files.filter((f) => f.split !== "all")).toHaveLength((EXPORT_FORMATS.length - folders.size) * 2);
    expect(manifest.clips).toMatchObject({ count: 4, missing: 0 });

    const list = ExportJobList.parse(await (await call(admin, "GET", "/api/exports")).json());
    expect(list.jobs.map((j) => j.id)).toContain(id);

    // The server chose the folder.
    expect(fs.existsSync(path.join(config.dataDir, "exports", id, "manifest.json"))).toBe(true);

    for (const f of manifest.files) {
      const res = await call(lead, "GET", `/api/exports/${id}/files/${f.name}`);
      expect(res.status).toBe(200);
      // A file inside a folder format's folder downloads under its own name.
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${path.basename(f.name)}"`);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBe(f.bytes);
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(f.sha256);
    }
    const info = await call(lead, "GET", `/api/exports/${id}/files/dataset_info.json`);
    expect(createHash("sha256").update(Buffer.from(await info.arrayBuffer())).digest("hex")).toBe(manifest.dataset_info.sha256);
    const served = await call(lead, "GET", `/api/exports/${id}/files/manifest.json`);
    expect(Manifest.parse(await served.json())).toEqual(manifest);

    expect((await call(annotator, "GET", `/api/exports/${id}/files/chai.train.jsonl`)).status).toBe(403);

    // The whole folder in one tar: unpacked, it is the export folder, clips included.
    const archive = await call(lead, "GET", exportArchiveHref(id));
    expect(archive.status).toBe(200);
    expect(archive.headers.get("content-disposition")).toBe(`attachment; filename="${exportArchiveName(id)}"`);
    const tar = Buffer.from(await archive.arrayBuffer());
    expect(tar.length).toBe(Number(archive.headers.get("content-length")));
    const entries = untar(tar);
    const root = exportArchiveName(id).replace(/\.tar$/, "");
    const folder = path.join(config.dataDir, "exports", id);
    const onDisk = [
      ...manifest.files.map((f) => f.name),
      "dataset_info.json",
      "manifest.json",
      ...fs.readdirSync(path.join(folder, "videos")).map((n) => `videos/${n}`),
    ].sort();
    expect([...entries.keys()].sort()).toEqual(onDisk.map((n) => `${root}/${n}`));
    for (const name of onDisk) expect(entries.get(`${root}/${name}`), name).toEqual(fs.readFileSync(path.join(folder, name)));
    expect(onDisk.filter((n) => n.startsWith("videos/"))).toHaveLength(4);
    expect((await call(annotator, "GET", exportArchiveHref(id))).status).toBe(403);

    const audited = await db()
      .db.select({ action: auditLog.action, actorId: auditLog.actorId })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "export"), eq(auditLog.entityId, id)));
    expect(audited.map((a) => a.action).sort()).toEqual(["export.done", "export.start"]);
    expect(audited.every((a) => a.actorId === lead.id)).toBe(true);
  });

  it("refuses names outside the manifest: traversal, absolute paths, unknown files and jobs", async () => {
    const started = await call(lead, "POST", "/api/exports", { format: "chai" });
    const { id } = StartExportResponse.parse(await started.json());
    await (await call(lead, "GET", `/api/exports/${id}/progress`)).text();
    // A secret that lives in DATA_DIR, next to the exports folder.
    fs.writeFileSync(path.join(config.dataDir, "secret.txt"), "do not serve");
    // A file inside the job's own folder that its manifest does not name is not served either.
    fs.writeFileSync(path.join(config.dataDir, "exports", id, "stray.txt"), "do not serve");
    const names = [
      "..%2F..%2Fsecret.txt",
      "..%2F..%2F..%2Fetc%2Fpasswd",
      "%2Fetc%2Fpasswd",
      "..",
      ".manifest.json",
      "chai.train.jsonl%00.txt",
      "reward-pairs.train.jsonl",
      "videos%2Fnot-a-clip.webm",
      "a%2F..%2F..%2Fsecret.txt",
      "secret.txt",
      "stray.txt",
    ];
    for (const name of names) {
      const res = await call(lead, "GET", `/api/exports/${id}/files/${name}`);
      expect([400, 404]).toContain(res.status);
      expect(await res.text()).not.toContain("do not serve");
    }
    const raw = await call(lead, "GET", `/api/exports/${id}/files/../../secret.txt`);
    expect([400, 404]).toContain(raw.status);
    expect((await call(lead, "GET", `/api/exports/not-a-uuid/files/manifest.json`)).status).toBe(400);
    expect((await call(lead, "GET", `/api/exports/00000000-0000-4000-8000-000000000000/files/manifest.json`)).status).toBe(404);
    expect((await call(lead, "GET", `/api/exports/${id}/files/chai.train.jsonl`)).status).toBe(200);
  });
});
