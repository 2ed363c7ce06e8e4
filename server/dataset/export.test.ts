import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { tasks, taskVersions, users } from "../db/schema/index";
import { createTestDatabase, describeEachDb } from "../testing/db";
import { testConfig } from "../testing/testConfig";
import { videosDir } from "../videos/storage";
import {
  ChaiRecord,
  EXPORT_FORMATS,
  Manifest,
  NO,
  PERFECT_CAPTION_SENTINEL,
  RECORD_SCHEMAS,
  YES,
  type ExportFormat,
  type ShareGptRecord,
} from "../../shared/dataset/formats";
import { exportDataset, type ExportOptions } from "./exportDataset";
import { importChai, RELEASE_SPEC_VERSION } from "./importChai";
import { seedExportFixture, FIXTURE_SPEC } from "../testing/datasetFixture";

const SECRET = new Uint8Array(32).fill(7);
const VIDEOS = 8;

const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `chai-export-${name}-`));
const lines = (file: string): unknown[] =>
  fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as unknown);
const readManifest = (dir: string) => Manifest.parse(JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")));
/** Every file of an export folder, by name, except the manifest's creation time. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    const text = fs.readFileSync(path.join(dir, name), "utf8");
    out[name] = name === "manifest.json" ? JSON.stringify({ ...JSON.parse(text), created_at: "-" }) : text;
  }
  return out;
}

describeEachDb("dataset export", (db, kind) => {
  const config = testConfig();
  const base = (outDir: string, over: Partial<ExportOptions> = {}): ExportOptions => ({
    format: "all",
    outDir,
    status: "approved",
    testShare: 0.5,
    seed: 1,
    pseudonymSecret: SECRET,
    ...over,
  });

  beforeAll(async () => {
    await seedExportFixture(db().db, config, VIDEOS);
  });

  it("writes every format's records valid against its schema, with a manifest that matches the files", async () => {
    const out = tmp("all");
    const { manifest, skippedTasks } = await exportDataset(db().db, config, base(out));
    expect(manifest.formats).toEqual([...EXPORT_FORMATS]);
    expect(manifest.spec_versions).toEqual([FIXTURE_SPEC]);
    // Approved: camera + subject per clip; the in-review motion, the labelling scene and the gold task are out.
    expect(manifest.tasks).toBe(VIDEOS * 2);
    expect(skippedTasks).toBe(0);
    expect(manifest.videos.train + manifest.videos.test).toBe(VIDEOS);
    expect(manifest.files).toHaveLength(EXPORT_FORMATS.length * 2);
    for (const f of manifest.files) {
      const file = path.join(out, f.name);
      const bytes = fs.readFileSync(file);
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(f.sha256);
      expect(bytes.length).toBe(f.bytes);
      const records = lines(file);
      expect(records).toHaveLength(f.records);
      for (const r of records) {
        const parsed = RECORD_SCHEMAS[f.format].safeParse(r);
        expect(parsed.success, `${f.name}: ${parsed.error?.message}`).toBe(true);
      }
      // People are pseudonyms: no email or display name anywhere.
      expect(bytes.toString()).not.toMatch(/example\.com|Otator|Iewer/);
    }
    const count = (format: ExportFormat) => manifest.files.filter((f) => f.format === format).reduce((n, f) => n + f.records, 0);
    expect(count("chai")).toBe(VIDEOS * 2);
    expect(count("caption-sft")).toBe(VIDEOS * 2);
    expect(count("reward-yesno")).toBe(VIDEOS * 3); // score 3: Yes + No; score 5: one Yes
    expect(count("reward-pairs")).toBe(VIDEOS); // only the corrected caption has a pair
    expect(count("critique-gen")).toBe(VIDEOS * 3); // pre → critique, post → sentinel; perfect → sentinel

    const info = JSON.parse(fs.readFileSync(path.join(out, "dataset_info.json"), "utf8")) as Record<string, { file_name: string; formatting: string; columns: Record<string, string> }>;
    expect(Object.keys(info).sort()).toEqual(
      ["caption_sft", "critique_gen", "reward_yesno"].flatMap((f) => [`chai_${f}_test`, `chai_${f}_train`]).sort(),
    );
    expect(info.chai_caption_sft_train).toMatchObject({ file_name: "caption-sft.train.jsonl", formatting: "sharegpt", columns: { messages: "messages", videos: "videos" } });
    expect(readManifest(out)).toEqual(manifest);
  });

  it("maps scores, critiques and negatives into the formats as documented", async () => {
    const out = tmp("rules");
    await exportDataset(db().db, config, base(out, { testShare: 0 }));
    const chai = lines(path.join(out, "chai.train.jsonl")).map((r) => ChaiRecord.parse(r));
    const camera = chai.find((r) => r.aspect === "camera");
    expect(camera).toBeDefined();
    if (!camera) return;
    expect(camera.score).toBe(3);
    // Rejected, redone by its annotator and approved by the same reviewer: the final version is the annotator's
    // resubmission, and their rejected first version goes out frozen as the negative example.
    expect(camera.author_role).toBe("annotator");
    expect(camera.author).toBe(camera.annotator);
    expect(camera.negatives).toHaveLength(1);
    expect(camera.negatives[0]).toMatchObject({ author: camera.annotator, author_role: "annotator", post_caption: "The camera dollies in toward a man." });
    expect(camera.negatives[0]?.critique.items).toHaveLength(1);
    expect(camera.post_caption).not.toBe(camera.negatives[0]?.post_caption);
    expect(camera.rounds.map((r) => r.n)).toEqual([1, 2]);
    expect(camera.reviews.map((r) => r.verdict)).toEqual(["reject_and_redo", "approve"]);
    expect(new Set(camera.reviews.map((r) => r.reviewer)).size).toBe(1);
    expect(camera.verdict).toBe("approve");
    expect(camera.catches[0]).toMatchObject({ kind: "missed_error", status: "upheld" });
    expect(camera.primitives.map((p) => p.primitive_id)).toEqual(["camera.movement.dolly_in", "camera.shot_size.medium"]);
    expect(camera.critique.items[0]?.createdBy).toBe(camera.annotator);
    expect(camera.video).toMatch(/^[0-9a-f]{64}\.webm$/);

    const yesno = lines(path.join(out, "reward-yesno.train.jsonl")) as ShareGptRecord[];
    const answerFor = (caption: string) => yesno.filter((r) => r.messages[0]?.content.includes(caption)).map((r) => r.messages[1]?.content);
    expect(answerFor(camera.post_caption)).toEqual([YES]);
    expect(answerFor(camera.pre_caption)).toEqual([NO]);
    const subject = chai.find((r) => r.aspect === "subject" && r.video === camera.video);
    expect(subject?.score).toBe(5);
    expect(answerFor(subject?.post_caption ?? "?")).toEqual([YES]);

    const critiques = lines(path.join(out, "critique-gen.train.jsonl")) as ShareGptRecord[];
    const critiqueFor = (caption: string) => critiques.filter((r) => r.messages[0]?.content.includes(caption)).map((r) => r.messages[1]?.content);
    expect(critiqueFor(camera.pre_caption)).toEqual([camera.critique.polished_text ?? camera.critique.text]);
    expect(critiqueFor(camera.post_caption)).toEqual([PERFECT_CAPTION_SENTINEL]);
    expect(critiqueFor(subject?.post_caption ?? "?")).toEqual([PERFECT_CAPTION_SENTINEL]);

    const pairs = lines(path.join(out, "reward-pairs.train.jsonl")) as { chosen: string; rejected: string; videos: string[] }[];
    expect(pairs.find((p) => p.videos[0] === camera.video)).toMatchObject({ chosen: camera.post_caption, rejected: camera.pre_caption });
    // The rejected version is a negative of the chai record only: no pair or Yes answer is made of it.
    const negative = camera.negatives[0]?.post_caption ?? "?";
    expect(pairs.some((p) => p.chosen === negative)).toBe(false);
    expect(answerFor(negative)).toEqual([]);

    const sft = lines(path.join(out, "caption-sft.train.jsonl")) as ShareGptRecord[];
    for (const r of sft) expect(r.messages.map((m) => m.content).join("").split("<video>").length - 1).toBe(r.videos.length);
  });

  it("exports tasks in review with --status submitted, and names clips relative to --video-root", async () => {
    const out = tmp("submitted");
    const root = path.dirname(videosDir(config));
    const { manifest } = await exportDataset(db().db, config, base(out, { format: "chai", status: "submitted", testShare: 0, videoRoot: root }));
    expect(manifest.tasks).toBe(VIDEOS * 3);
    const records = lines(path.join(out, "chai.train.jsonl")).map((r) => ChaiRecord.parse(r));
    expect(records.filter((r) => r.stage === "in_review")).toHaveLength(VIDEOS);
    expect(records.every((r) => r.video.startsWith("videos/"))).toBe(true);
    const all = await exportDataset(db().db, config, base(tmp("all-status"), { format: "chai", status: "all", testShare: 0 }));
    expect(all.manifest.tasks).toBe(VIDEOS * 3);
    expect(all.skippedTasks).toBe(VIDEOS); // the labelling scene tasks have no version
  });

  it("splits by clip, the same way on every run, differently for another seed", async () => {
    const a = tmp("split-a");
    const b = tmp("split-b");
    const c = tmp("split-c");
    await exportDataset(db().db, config, base(a, { format: "chai", seed: 1 }));
    await exportDataset(db().db, config, base(b, { format: "chai", seed: 1 }));
    await exportDataset(db().db, config, base(c, { format: "chai", seed: 2 }));
    expect(snapshot(b)).toEqual(snapshot(a));
    const testClips = (dir: string) => new Set(lines(path.join(dir, "chai.test.jsonl")).map((r) => ChaiRecord.parse(r).video));
    const trainClips = (dir: string) => new Set(lines(path.join(dir, "chai.train.jsonl")).map((r) => ChaiRecord.parse(r).video));
    // Every aspect of a clip lands on the same side.
    for (const clip of testClips(a)) expect(trainClips(a).has(clip)).toBe(false);
    expect([...testClips(c)].sort()).not.toEqual([...testClips(a)].sort());
  });

  it("reads the database in batches of clips", async () => {
    const batches: { videos: number; tasks: number }[] = [];
    await exportDataset(db().db, config, base(tmp("batches"), { format: "chai", batchSize: 3, onBatch: (b) => batches.push(b) }));
    expect(batches.map((b) => b.videos)).toEqual([3, 3, 2]);
    expect(batches.reduce((n, b) => n + b.tasks, 0)).toBe(VIDEOS * 2);
  });

  it("round trip: export → import into an empty database → export gives identical files", async () => {
    const first = tmp("rt-1");
    const second = tmp("rt-2");
    const opts = { format: "all" as const, status: "all" as const, testShare: 0.5, seed: 3 };
    await exportDataset(db().db, config, base(first, opts));
    const other = await createTestDatabase(kind);
    const otherConfig = testConfig();
    try {
      for (const split of ["train", "test"]) {
        const summary = await importChai(other.db, otherConfig, { file: path.join(first, `chai.${split}.jsonl`), videosDir: videosDir(config) });
        expect(summary.failed).toBe(0);
      }
      // A second import of the same file adds nothing.
      const again = await importChai(other.db, otherConfig, { file: path.join(first, "chai.train.jsonl"), videosDir: videosDir(config) });
      expect(again.imported).toBe(0);
      // The importing install has its own secret: pseudonyms survive because imported people keep theirs.
      await exportDataset(other.db, otherConfig, { ...base(second, opts), pseudonymSecret: new Uint8Array(32).fill(9) });
      expect(snapshot(second)).toEqual(snapshot(first));
      const imported = await other.db.select({ email: users.email, active: users.active }).from(users);
      expect(imported.every((u) => u.email.endsWith("@imported.invalid") && !u.active)).toBe(true);
    } finally {
      await other.dispose();
    }
  });

  it("imports the released CHAI layout (with field aliases) and reports bad records", async () => {
    const other = await createTestDatabase(kind);
    const otherConfig = testConfig();
    const dir = tmp("release");
    fs.mkdirSync(path.join(dir, "videos"));
    fs.writeFileSync(path.join(dir, "videos", "a.mp4"), "released clip a");
    fs.writeFileSync(path.join(dir, "videos", "b.webm"), "released clip b");
    const file = path.join(dir, "test.jsonl");
    fs.writeFileSync(
      file,
      [
        { video: "videos/a.mp4", pre_caption: "The camera zooms in.", critique: "It dollies in.", final_caption: "The camera dollies in.", pre_caption_score: 2, caption_type: "Camera" },
        { video_path: "b.webm", precaption: "A red car.", critique: "", post_caption: "A red car.", score: "5", aspect: "subject_caption" },
        { video: "a.mp4", pre_caption: "x", final_caption: "y", caption_type: "colour" },
        { video: "../escape.mp4", pre_caption: "x", final_caption: "y", caption_type: "scene" },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n"),
    );
    const log: string[] = [];
    try {
      const summary = await importChai(other.db, otherConfig, { file, videosDir: path.join(dir, "videos"), projectName: "CHAI test", log: (l) => log.push(l) });
      expect(summary, log.join("\n")).toMatchObject({ imported: 2, failed: 2, videosAdded: 2 });
      expect(log.join("\n")).toMatch(/unknown caption type "colour"/);
      expect(log.join("\n")).toMatch(/"\.\.\/escape\.mp4" not found/);
      const rows = await other.db.select().from(tasks);
      expect(rows.map((t) => [t.aspect, t.stage, t.score, t.specVersion]).sort()).toEqual([
        ["camera", "approved", 2, RELEASE_SPEC_VERSION],
        ["subject", "approved", 5, RELEASE_SPEC_VERSION],
      ]);
      const versions = await other.db.select().from(taskVersions).where(eq(taskVersions.taskId, rows.find((t) => t.aspect === "camera")?.id ?? ""));
      expect(versions.map((v) => [v.preCaption, v.critiqueText, v.postCaption])).toEqual([["The camera zooms in.", "It dollies in.", "The camera dollies in."]]);
      const out = tmp("release-out");
      const { manifest } = await exportDataset(other.db, otherConfig, base(out, { testShare: 0 }));
      expect(manifest.files.find((f) => f.name === "reward-pairs.train.jsonl")?.records).toBe(1);
      expect(manifest.files.find((f) => f.name === "reward-yesno.train.jsonl")?.records).toBe(3);
    } finally {
      await other.dispose();
    }
  });

  afterAll(() => {
    fs.rmSync(config.dataDir, { recursive: true, force: true });
  });
});
