import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { createTestUser } from "../testing/seed";
import { projects, tasks, videos } from "../db/schema";
import { describeEachDb } from "../testing/db";
import { testConfig } from "../testing/testConfig";
import { ImportError } from "./importer";
import { importClips, parseAspects, type ImportClipsOptions } from "./importClips";

const hasFfmpeg = (() => {
  try {
    execFileSync("ffmpeg", ["-version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "chai-import-"));
}

describeEachDb("chai import", (db) => {
  const config = testConfig();
  let folder = "";
  const lines: string[] = [];
  const opts = (over: Partial<ImportClipsOptions> = {}): ImportClipsOptions => ({
    target: folder,
    projectName: "Imported",
    aspects: [],
    link: false,
    specVersion: async () => "1.2.3+aaaaaaaaaaaa",
    log: (l) => lines.push(l),
    ...over,
  });

  beforeAll(() => {
    folder = tempDir();
    fs.writeFileSync(path.join(folder, "first.webm"), "bytes of the first clip");
    fs.mkdirSync(path.join(folder, "sub"));
    fs.writeFileSync(path.join(folder, "sub", "second.mp4"), "bytes of the second clip");
    fs.writeFileSync(path.join(folder, "notes.txt"), "not a clip");
  });

  it("registers clips by sha256 under DATA_DIR/videos, skips duplicates and creates tasks per aspect once", async () => {
    const ann = await createTestUser(db().db, "annotator");
    const first = await importClips(db().db, config, opts({ aspects: parseAspects("motion,camera"), annotatorEmail: ann.email }));
    expect(first).toEqual({ imported: 2, skipped: 0, failed: 0, tasksCreated: 4 });
    const rows = await db().db.select().from(videos);
    expect(rows.map((v) => v.title).sort()).toEqual(["first", "second"]);
    for (const v of rows) {
      expect(v.path).toBe(`${v.sha256}${path.extname(v.path)}`);
      expect(fs.readFileSync(path.join(config.dataDir, "videos", v.path), "utf8")).toMatch(/^bytes of the/);
    }
    expect(rows.find((v) => v.title === "second")?.mimeType).toBe("video/mp4");

    // The same bytes under another name are a duplicate.
    fs.copyFileSync(path.join(folder, "first.webm"), path.join(folder, "copy-of-first.webm"));
    const again = await importClips(db().db, config, opts({ aspects: parseAspects("motion,camera"), annotatorEmail: ann.email }));
    expect(again).toEqual({ imported: 0, skipped: 3, failed: 0, tasksCreated: 0 });
    expect(lines.some((l) => l.startsWith("skipped"))).toBe(true);
    expect(await db().db.select().from(videos)).toHaveLength(2);
    const created = await db().db.select().from(tasks).where(eq(tasks.annotatorId, ann.id));
    expect(created.map((t) => t.aspect).sort()).toEqual(["camera", "camera", "motion", "motion"]);
    expect(created.every((t) => t.stage === "labelling" && t.specVersion === "1.2.3+aaaaaaaaaaaa")).toBe(true);
    expect(await db().db.select().from(projects).where(eq(projects.name, "Imported"))).toHaveLength(1);
  });

  it("refuses unknown aspects, unknown annotators and non-video files", async () => {
    expect(() => parseAspects("motion,colour")).toThrow(ImportError);
    expect(parseAspects("all")).toHaveLength(5);
    await expect(importClips(db().db, config, opts({ annotatorEmail: "nobody@x.test" }))).rejects.toThrow(/No user/);
    await expect(importClips(db().db, config, opts({ target: path.join(folder, "notes.txt") }))).resolves.toMatchObject({ failed: 1 });
  });

  it("--link keeps files under VIDEO_ROOT and refuses files outside it", async () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, "linked.webm"), "linked bytes");
    const linkConfig = testConfig({ videoRoot: root });
    const res = await importClips(db().db, linkConfig, opts({ target: root, link: true }));
    expect(res.imported).toBe(1);
    const [v] = await db().db.select().from(videos).where(eq(videos.title, "linked"));
    expect(v).toMatchObject({ storage: "root", path: "linked.webm" });
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, "elsewhere.webm"), "elsewhere bytes");
    expect((await importClips(db().db, linkConfig, opts({ target: outside, link: true }))).failed).toBe(1);
  });

  it.runIf(hasFfmpeg)("probes duration, fps and size with ffprobe", async () => {
    const dir = tempDir();
    const clip = path.join(dir, "probe_me.webm");
    execFileSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x90:rate=24:duration=1", "-c:v", "libvpx-vp9", "-b:v", "50k", clip]);
    await importClips(db().db, config, opts({ target: clip }));
    const [v] = await db().db.select().from(videos).where(eq(videos.title, "probe me"));
    expect(v).toMatchObject({ fps: 24, width: 160, height: 90, mimeType: "video/webm" });
    expect(v?.durationSec).toBeCloseTo(1, 1);
  });
});
