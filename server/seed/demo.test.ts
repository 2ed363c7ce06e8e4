import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../app";
import { projects, tasks, users, videos } from "../db/schema";
import { describeEachDb } from "../testing/db";
import { testConfig } from "../testing/testConfig";
import { ASPECTS } from "../../shared/domain";
import type { TaskSummary } from "../../shared/api/tasks";
import { DEMO_CLIPS_DIR, DEMO_USERS, readDemoManifest, seedDemo } from "./demo";

/** A manifest folder with two tiny stand-in clips (the seed copies bytes; it needs no real video). */
function fakeClipsDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-clips-"));
  const clips = ["one", "two"].map((name) => {
    fs.writeFileSync(path.join(dir, `${name}.webm`), `not really a video: ${name}`);
    return { file: `${name}.webm`, title: `Clip ${name}`, durationSec: 4, fps: 24, width: 64, height: 36 };
  });
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ clips }));
  return dir;
}

describeEachDb("demo seed", (db) => {
  it("seeds 7 users, a Demo project, the clips and clip × 5 tasks, then never again", async () => {
    const config = testConfig({ demo: true });
    const clipsDir = fakeClipsDir();
    const lines: string[] = [];
    const result = await seedDemo(db().db, config, { clipsDir, specVersion: async () => "9.9.9+abcdefabcdef", log: (l) => lines.push(l) });
    expect(result).toEqual({ seeded: true, users: 7, videos: 2, tasks: 2 * ASPECTS.length });
    expect(lines.join("\n")).toMatch(/DEMO-ONLY/);

    const emails = (await db().db.select({ email: users.email, role: users.role }).from(users)).map((u) => `${u.email}:${u.role}`).sort();
    expect(emails).toEqual(DEMO_USERS.map((u) => `${u.email}:${u.role}`).sort());
    const vids = await db().db.select().from(videos);
    expect(vids.map((v) => v.title).sort()).toEqual(["Clip one", "Clip two"]);
    for (const v of vids) expect(fs.existsSync(path.join(config.dataDir, "videos", v.path))).toBe(true);
    expect(vids[0]).toMatchObject({ storage: "data", durationSec: 4, fps: 24, width: 64, height: 36 });
    const all = await db().db.select().from(tasks);
    expect(all.every((t) => t.specVersion === "9.9.9+abcdefabcdef")).toBe(true);
    expect(new Set(all.map((t) => t.stage)).size).toBeGreaterThanOrEqual(8);
    expect(all.filter((t) => ["submitted", "in_review", "approved", "rejected"].includes(t.stage)).every((t) => t.reviewerId)).toBe(true);

    const again = await seedDemo(db().db, config, { clipsDir, specVersion: async () => "x" });
    expect(again).toEqual({ seeded: false, reason: "not_empty" });
    const [n] = await db().db.select({ n: count() }).from(tasks);
    expect(n?.n).toBe(10);
    const [p] = await db().db.select({ n: count() }).from(projects).where(eq(projects.name, "Demo"));
    expect(p?.n).toBe(1);
  });

  it("the demo annotator can log in with password demo and sees their tasks", async () => {
    const app = createApp({ config: testConfig(), database: db() });
    const login = await app.request("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "annotator@demo.test", password: "demo" }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const list = (await (await app.request("/api/tasks", { headers: { cookie } })).json()) as TaskSummary[];
    expect(list.length).toBeGreaterThan(0);
    const [me] = await db().db.select().from(users).where(eq(users.email, "annotator@demo.test"));
    expect(list.every((t) => t.annotator?.id === me?.id && ASPECTS.includes(t.aspect))).toBe(true);
  });
});

describeEachDb("demo seed switched off", (db) => {
  it("does nothing when DEMO=0", async () => {
    const result = await seedDemo(db().db, testConfig(), { clipsDir: fakeClipsDir(), specVersion: async () => "x" });
    expect(result).toEqual({ seeded: false, reason: "demo_off" });
    const [n] = await db().db.select({ n: count() }).from(users);
    expect(n?.n).toBe(0);
  });
});

describe("committed demo clips", () => {
  it.runIf(fs.existsSync(path.join(DEMO_CLIPS_DIR, "manifest.json")))("manifest is valid and every clip exists", async () => {
    const manifest = await readDemoManifest(DEMO_CLIPS_DIR);
    for (const clip of manifest.clips) expect(fs.existsSync(path.join(DEMO_CLIPS_DIR, clip.file)), clip.file).toBe(true);
  });
});
