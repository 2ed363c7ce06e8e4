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
  ABLATION_FORMATS,
  CaptionDpoRecord,
  ChaiRecord,
  EXPORT_FORMATS,
  FORMAT_GUIDE,
  Manifest,
  NO,
  PERFECT_CAPTION_SENTINEL,
  RECORD_SCHEMAS,
  TrlCaptionPreferenceRecord,
  TrlCaptionSftRecord,
  YES,
  type ExportFormat,
  type ShareGptRecord,
} from "../../shared/dataset/formats";
import { captionInstruction, captionPrompt } from "../../shared/dataset/prompts";
import { renderCritique } from "../../shared/critique/items";
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
/** Every file of an export folder (clips by their SHA-256), by path, except the manifest's creation time. */
function snapshot(dir: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const name = `${prefix}${entry.name}`;
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, snapshot(file, `${name}/`));
    else if (prefix === "videos/") out[name] = createHash("sha256").update(fs.readFileSync(file)).digest("hex");
    else {
      const text = fs.readFileSync(file, "utf8");
      out[name] = name === "manifest.json" ? JSON.stringify({ ...JSON.parse(text), created_at: "-" }) : text;
    }
  }
  return out;
}

/** A folder format's file (chai-tool) per video: its video_url, relative to the file's own folder; none in its statistics. */
function toolClipPaths(file: string): string[][] {
  const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  return Array.isArray(parsed) ? parsed.map((v) => [String((v as { video_url?: unknown }).video_url)]) : [];
}

/** The formats written as a folder of another tool's files (split "all") rather than JSON Lines per split. */
const folderFormats = (m: Manifest) => new Set(m.files.filter((f) => f.split === "all").map((f) => f.format));

/** Every clip path a record of `format` names (its `videos`, and a chai record's `video`). */
function clipPathsOf(format: ExportFormat, record: unknown): string[] {
  if (format === "chai") return [ChaiRecord.parse(record).video];
  const videos = (record as { videos?: unknown }).videos;
  return Array.isArray(videos) ? videos.map(String) : [];
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
    expect(folderFormats(manifest)).toEqual(new Set(["chai-tool", "camerabench"]));
    expect(manifest.files.filter((f) => f.split !== "all")).toHaveLength((EXPORT_FORMATS.length - 2) * 2);
    for (const f of manifest.files) {
      const file = path.join(out, f.name);
      const bytes = fs.readFileSync(file);
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(f.sha256);
      expect(bytes.length).toBe(f.bytes);
      // People are pseudonyms: no email or display name anywhere.
      expect(bytes.toString()).not.toMatch(/example\.com|Otator|Iewer/);
      // The chai-tool folder's JSON files (server/dataset/chaiTool.test.ts checks them against the tool's layout).
      if (f.split === "all") continue;
      const records = lines(file);
      expect(records).toHaveLength(f.records);
      for (const r of records) {
        const parsed = RECORD_SCHEMAS[f.format].safeParse(r);
        expect(parsed.success, `${f.name}: ${parsed.error?.message}`).toBe(true);
      }
    }
    const count = (format: ExportFormat) => manifest.files.filter((f) => f.format === format).reduce((n, f) => n + f.records, 0);
    expect(count("chai")).toBe(VIDEOS * 2);
    expect(count("caption-sft")).toBe(VIDEOS * 2);
    expect(count("caption-dpo")).toBe(VIDEOS); // only the corrected caption has a pair
    expect(count("reward-yesno")).toBe(VIDEOS * 3); // score 3: Yes + No; score 5: one Yes
    expect(count("critique-gen")).toBe(VIDEOS * 3); // pre → critique, post → sentinel; perfect → sentinel
    expect(count("trl-caption-sft")).toBe(VIDEOS * 2);
    expect(count("trl-caption-preference")).toBe(VIDEOS);
    // Two-item critiques can be made wrong, cut short and stripped of fixes: every set is critique-gen's size.
    for (const f of ABLATION_FORMATS) expect(count(f), f).toBe(VIDEOS * 3);
    expect(manifest.ablation_left_out).toEqual(Object.fromEntries(ABLATION_FORMATS.map((f) => [f, { no_items: 0, too_few_items: 0, unchanged: 0 }])));

    // Each file says what it carries and for whom.
    const dpo = manifest.files.find((f) => f.name === "caption-dpo.train.jsonl");
    expect(dpo).toMatchObject({ carries: FORMAT_GUIDE["caption-dpo"].carries, for: { llamafactory: "chai_caption_dpo_train", trl: null } });
    expect(manifest.files.find((f) => f.name === "trl-caption-preference.test.jsonl")?.for).toEqual({ llamafactory: null, trl: FORMAT_GUIDE["trl-caption-preference"].trlTrainer });
    expect(manifest.trl_note).toMatch(/no code in trl reads `videos`/);

    const info = JSON.parse(fs.readFileSync(path.join(out, "dataset_info.json"), "utf8")) as Record<string, { file_name: string; formatting: string; ranking?: boolean; columns: Record<string, string> }>;
    const sharegpt = ["caption_sft", "caption_dpo", "reward_yesno", "critique_gen", "ablation_inaccurate", "ablation_incomplete", "ablation_nonconstructive"];
    expect(Object.keys(info).sort()).toEqual(sharegpt.flatMap((f) => [`chai_${f}_test`, `chai_${f}_train`]).sort());
    expect(info.chai_caption_sft_train).toMatchObject({ file_name: "caption-sft.train.jsonl", formatting: "sharegpt", columns: { messages: "messages", videos: "videos" } });
    expect(info.chai_caption_sft_train?.ranking).toBeUndefined();
    // The DPO entry, as LLaMA-Factory's parser reads preference data: ranking, and the chosen/rejected columns.
    expect(info.chai_caption_dpo_train).toEqual({
      file_name: "caption-dpo.train.jsonl",
      formatting: "sharegpt",
      ranking: true,
      columns: { messages: "messages", chosen: "chosen", rejected: "rejected", videos: "videos" },
      tags: { role_tag: "role", content_tag: "content", user_tag: "user", assistant_tag: "assistant", system_tag: "system" },
    });
    for (const entry of Object.values(info)) expect(fs.existsSync(path.join(out, entry.file_name))).toBe(true);
    expect(readManifest(out)).toEqual(manifest);
  });

  it("is self-contained: every clip path of every record of every file resolves from the export folder", async () => {
    const out = tmp("self-contained");
    const { manifest } = await exportDataset(db().db, config, base(out));
    let checked = 0;
    for (const f of manifest.files) {
      const file = path.join(out, f.name);
      // JSON Lines files name clips relative to the export folder; chai-tool's, relative to chai-tool/; CameraBench's
      // label lists by file name, which is the clip's name in videos/.
      if (f.format === "camerabench") {
        if (!f.name.startsWith("camerabench/labels/")) continue;
        const list = JSON.parse(fs.readFileSync(file, "utf8")) as { pos: string[]; neg: string[] };
        for (const name of [...list.pos, ...list.neg]) {
          expect(fs.statSync(path.join(out, "videos", name)).isFile(), `${f.name}: ${name}`).toBe(true);
          checked++;
        }
        continue;
      }
      const perRecord = f.format === "chai-tool" ? toolClipPaths(file) : lines(file).map((r) => clipPathsOf(f.format, r));
      for (const paths of perRecord) {
        expect(paths.length, f.name).toBeGreaterThan(0);
        for (const p of paths) {
          expect(path.isAbsolute(p), p).toBe(false);
          // LLaMA-Factory's rule: media_dir (= dataset_dir, the export folder) joined to the path must be a file.
          expect(fs.statSync(path.join(path.dirname(file), p)).isFile(), `${f.name}: ${p}`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(VIDEOS * 20);
    // One file per clip, hard-linked from storage (the test's data folder and the export share a file system or not).
    expect(fs.readdirSync(path.join(out, "videos"))).toHaveLength(VIDEOS);
    expect(manifest.clips).toMatchObject({ folder: "videos", placement: "link", count: VIDEOS, missing: 0, tasks_left_out: 0 });
    expect(manifest.clips.hardlinked + manifest.clips.copied).toBe(VIDEOS);
    const one = fs.readdirSync(path.join(out, "videos"))[0] ?? "";
    expect(fs.readFileSync(path.join(out, "videos", one))).toEqual(fs.readFileSync(path.join(videosDir(config), one)));
  });

  it("copies or symlinks clips on request, and leaves out (and counts) tasks whose clip is not in storage", async () => {
    const copied = tmp("copy");
    const c = await exportDataset(db().db, config, base(copied, { format: "chai", clips: "copy" }));
    expect(c.manifest.clips).toMatchObject({ placement: "copy", copied: VIDEOS, hardlinked: 0 });
    const name = fs.readdirSync(path.join(copied, "videos"))[0] ?? "";
    expect(fs.statSync(path.join(copied, "videos", name)).ino).not.toBe(fs.statSync(path.join(videosDir(config), name)).ino);

    const linked = tmp("symlink");
    const s = await exportDataset(db().db, config, base(linked, { format: "chai", clips: "symlink" }));
    expect(s.manifest.clips).toMatchObject({ placement: "symlink", symlinked: VIDEOS });
    expect(fs.lstatSync(path.join(linked, "videos", name)).isSymbolicLink()).toBe(true);
    // Written again into the same folder: the clips already there are kept.
    const again = await exportDataset(db().db, config, base(linked, { format: "chai", clips: "symlink" }));
    expect(again.manifest.clips.symlinked).toBe(VIDEOS);

    const gone = path.join(videosDir(config), name);
    const moved = `${gone}.away`;
    fs.renameSync(gone, moved);
    try {
      const out = tmp("missing");
      const { manifest } = await exportDataset(db().db, config, base(out, { format: "chai", testShare: 0 }));
      expect(manifest.clips).toMatchObject({ count: VIDEOS - 1, missing: 1, tasks_left_out: 2 });
      expect(manifest.tasks).toBe((VIDEOS - 1) * 2);
      const records = lines(path.join(out, "chai.train.jsonl")).map((r) => ChaiRecord.parse(r));
      expect(records.some((r) => r.video === `videos/${name}`)).toBe(false);
    } finally {
      fs.renameSync(moved, gone);
    }
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
    expect(camera.video).toBe(`videos/${camera.video_sha256}.webm`);

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

    const dpo = lines(path.join(out, "caption-dpo.train.jsonl")).map((r) => CaptionDpoRecord.parse(r));
    expect(dpo.find((p) => p.videos[0] === camera.video)).toEqual({
      messages: [{ role: "user", content: captionPrompt("camera") }],
      chosen: { role: "assistant", content: camera.post_caption },
      rejected: { role: "assistant", content: camera.pre_caption },
      videos: [camera.video],
    });
    // A perfect caption has no pair.
    expect(dpo.some((p) => p.videos[0] === subject?.video && p.messages[0]?.content === captionPrompt("subject"))).toBe(false);
    const trl = lines(path.join(out, "trl-caption-preference.train.jsonl")).map((r) => TrlCaptionPreferenceRecord.parse(r));
    expect(trl.find((p) => p.videos[0] === camera.video)).toEqual({
      prompt: [{ role: "user", content: [{ type: "video" }, { type: "text", text: captionInstruction("camera") }] }],
      chosen: [{ role: "assistant", content: [{ type: "text", text: camera.post_caption }] }],
      rejected: [{ role: "assistant", content: [{ type: "text", text: camera.pre_caption }] }],
      videos: [camera.video],
    });
    const trlSft = lines(path.join(out, "trl-caption-sft.train.jsonl")).map((r) => TrlCaptionSftRecord.parse(r));
    expect(trlSft.filter((r) => r.videos[0] === camera.video).map((r) => r.completion[0]?.content[0]?.text).sort()).toEqual(
      [camera.post_caption, subject?.post_caption].sort(),
    );
    // The rejected version is a negative of the chai record only: no pair or Yes answer is made of it.
    const negative = camera.negatives[0]?.post_caption ?? "?";
    expect(dpo.some((p) => p.chosen.content === negative || p.rejected.content === negative)).toBe(false);
    expect(answerFor(negative)).toEqual([]);

    // The ablation sets: critique-gen's records, the pre-caption's critique degraded.
    const degradedFor = (format: ExportFormat) =>
      (lines(path.join(out, `${format}.train.jsonl`)) as ShareGptRecord[])
        .filter((r) => r.messages[0]?.content.includes(camera.pre_caption))
        .map((r) => r.messages[1]?.content);
    const full = renderCritique(camera.critique.items);
    const [inaccurate] = degradedFor("ablation-inaccurate");
    expect(inaccurate).not.toBe(full);
    // Two items: each place now carries the other's claim.
    expect(inaccurate).toMatch(/"zooms in on" — The hold at the end is not mentioned\. Fix: Add "then holds"\./);
    const [incomplete] = degradedFor("ablation-incomplete");
    expect(incomplete?.split("\n")).toHaveLength(1);
    expect(full.split("\n")).toContain(incomplete);
    const [nonconstructive] = degradedFor("ablation-nonconstructive");
    expect(nonconstructive).not.toMatch(/Fix:/);
    expect(nonconstructive?.split("\n")).toHaveLength(2);
    for (const f of ABLATION_FORMATS) {
      const sentinel = (lines(path.join(out, `${f}.train.jsonl`)) as ShareGptRecord[]).filter((r) => r.messages[1]?.content === PERFECT_CAPTION_SENTINEL);
      expect(sentinel, f).toHaveLength(VIDEOS * 2);
    }

    const sft = lines(path.join(out, "caption-sft.train.jsonl")) as ShareGptRecord[];
    for (const r of sft) expect(r.messages.map((m) => m.content).join("").split("<video>").length - 1).toBe(r.videos.length);
  });

  it("exports tasks in review with --status submitted", async () => {
    const out = tmp("submitted");
    const { manifest } = await exportDataset(db().db, config, base(out, { format: "chai", status: "submitted", testShare: 0 }));
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
    // One time for both exports: the chai-tool files are named and stamped with it.
    const opts = { format: "all" as const, status: "all" as const, testShare: 0.5, seed: 3, now: () => new Date("2026-05-06T07:08:09Z") };
    await exportDataset(db().db, config, base(first, opts));
    const other = await createTestDatabase(kind);
    const otherConfig = testConfig();
    try {
      // The clips come from the export folder itself: the records name them relative to it.
      for (const split of ["train", "test"]) {
        const summary = await importChai(other.db, otherConfig, { file: path.join(first, `chai.${split}.jsonl`), videosDir: first });
        expect(summary.failed).toBe(0);
      }
      // A second import of the same file adds nothing.
      const again = await importChai(other.db, otherConfig, { file: path.join(first, "chai.train.jsonl"), videosDir: first });
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
      const records = (name: string) => manifest.files.find((f) => f.name === name)?.records;
      expect(records("caption-dpo.train.jsonl")).toBe(1);
      expect(records("trl-caption-preference.train.jsonl")).toBe(1);
      expect(records("reward-yesno.train.jsonl")).toBe(3);
      // The released critique is text only: no items to degrade, so the corrected record is left out of every
      // ablation set (and counted); the perfect subject caption keeps its sentinel record.
      for (const f of ABLATION_FORMATS) {
        expect(records(`${f}.train.jsonl`), f).toBe(1);
        expect(manifest.ablation_left_out[f]).toEqual({ no_items: 1, too_few_items: 0, unchanged: 0 });
      }
      expect(manifest.clips).toMatchObject({ count: 2, missing: 0 });
      expect(fs.readdirSync(path.join(out, "videos")).sort()).toEqual(
        ["released clip a", "released clip b"].map((t, i) => `${createHash("sha256").update(t).digest("hex")}${i === 0 ? ".mp4" : ".webm"}`).sort(),
      );
    } finally {
      await other.dispose();
    }
  });

  afterAll(() => {
    fs.rmSync(config.dataDir, { recursive: true, force: true });
  });
});
