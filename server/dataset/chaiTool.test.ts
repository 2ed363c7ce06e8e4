import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Db } from "../db/index";
import { tasks, taskVersions, videos } from "../db/schema/index";
import { createTestDatabase, describeEachDb } from "../testing/db";
import { testConfig } from "../testing/testConfig";
import { aspectOfCaptionType } from "../../shared/dataset/chaiRelease";
import { CHAI_TOOL_TASK_IDS, CHAI_TOOL_TASK_NAMES, fromChaiToolTime, chaiToolTime, type VersionProvenance } from "../../shared/dataset/chaiTool";
import { EMPTY_FACTS } from "../../shared/captionFacts";
import type { ChaiRecord } from "../../shared/dataset/formats";
import { ASPECTS } from "../../shared/domain";
import { fromChaiToolVideo, toChaiToolVideo } from "./chaiTool";
import { ChaiToolExport, pyFloatText, pyJsonDumps } from "./chaiToolExport";
import { exportDataset } from "./exportDataset";
import { importChai } from "./importChai";
import { loadPseudonymSecret, pseudonymForText } from "./pseudonym";

/** A sample of the tool's all_videos_with_captions file, written by json.dump(indent=2) as export.py writes it. */
const FIXTURE = path.join(__dirname, "fixtures", "chai-tool-all_videos_with_captions.json");
const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `chai-tool-${name}-`));

/**
 * The fields that name people. The one thing the round trip changes: an export never carries a name, so the tool's
 * names come back as this install's pseudonyms of them (server/dataset/pseudonym.ts), consistently.
 */
const PEOPLE = ["user", "reviewer", "original_annotator"];

describe("caption types", () => {
  it("map by the whole name: the tool's task ids and names, short forms and single words", () => {
    for (const aspect of ASPECTS) {
      expect(aspectOfCaptionType(CHAI_TOOL_TASK_IDS[aspect])).toBe(aspect);
      expect(aspectOfCaptionType(CHAI_TOOL_TASK_NAMES[aspect])).toBe(aspect);
      expect(aspectOfCaptionType(aspect.toUpperCase())).toBe(aspect);
    }
    // The bug: these keyed on the first word and came out as subject.
    expect(aspectOfCaptionType("subject_motion_dynamics")).toBe("motion");
    expect(aspectOfCaptionType("Subject Motion and Dynamics")).toBe("motion");
    expect(aspectOfCaptionType("Subject Motion")).toBe("motion");
    expect(aspectOfCaptionType("Subject Description")).toBe("subject");
    expect(aspectOfCaptionType("Scene Composition and Dynamics")).toBe("scene");
    expect(aspectOfCaptionType("spatial_framing_dynamics")).toBe("spatial");
    expect(aspectOfCaptionType("camera_framing_dynamics")).toBe("camera");
    // The single-word forms that worked before still do.
    expect(aspectOfCaptionType("camera_caption")).toBe("camera");
    expect(aspectOfCaptionType("Camera motion")).toBe("camera");
    expect(aspectOfCaptionType("Spatial caption")).toBe("spatial");
    expect(aspectOfCaptionType("colour")).toBeNull();
    expect(aspectOfCaptionType("Lighting Setup and Dynamics Caption (Raw)")).toBeNull();
  });
});

describe("tool times", () => {
  it("read naive times as UTC to the millisecond and write them as Python's isoformat", () => {
    expect(fromChaiToolTime("2025-06-29T11:45:00.482913")).toBe("2025-06-29T11:45:00.482Z");
    expect(fromChaiToolTime("2025-06-29T11:45:00")).toBe("2025-06-29T11:45:00.000Z");
    expect(fromChaiToolTime("2025-06-29T13:45:00+02:00")).toBe("2025-06-29T11:45:00.000Z");
    expect(fromChaiToolTime("yesterday")).toBeNull();
    expect(chaiToolTime("2025-06-29T11:45:00.482Z")).toBe("2025-06-29T11:45:00.482000");
    expect(chaiToolTime("2025-06-29T11:45:00.000Z")).toBe("2025-06-29T11:45:00");
  });
});

const P = (n: number) => `p_${String(n).padStart(16, "0")}`;
const SHA = (c: string) => c.repeat(64);

/** A `chai` record of our own making, for the mapping rules. */
function record(over: Partial<ChaiRecord>): ChaiRecord {
  return {
    video: "clips/a.mp4",
    video_sha256: SHA("a"),
    video_source: null,
    project: "P",
    aspect: "camera",
    spec_version: "1",
    stage: "approved",
    created_at: "2026-01-01T00:00:00.000Z",
    submitted_at: "2026-01-01T00:10:00.000Z",
    reviewed_at: "2026-01-01T01:00:00.000Z",
    annotator: P(1),
    primitives: [],
    facts: EMPTY_FACTS,
    pre_caption: "The camera zooms in.",
    pre_caption_model: { provider: "rules", model: "rules-1" },
    score: 2,
    critique: { items: [], text: "It dollies in.", polished_text: "The camera dollies in; it does not zoom." },
    rounds: [
      { n: 1, status: "done", critique_items: [], critique_text: "x", post_caption: "The camera dollies.", provider: "rules", model: "r1", prompt_hash: "h", requested_by: P(1), started_at: "2026-01-01T00:01:00.000Z", finished_at: "2026-01-01T00:02:00.000Z" },
      { n: 2, status: "done", critique_items: [], critique_text: "x", post_caption: "The camera dollies in.", provider: "rules", model: "r2", prompt_hash: "h", requested_by: P(1), started_at: "2026-01-01T00:03:00.000Z", finished_at: "2026-01-01T00:04:00.000Z" },
      // After the version was frozen (a later attempt not submitted): not this version's revision.
      { n: 3, status: "done", critique_items: [], critique_text: "x", post_caption: "Later.", provider: "rules", model: "r3", prompt_hash: "h", requested_by: P(1), started_at: "2026-01-01T02:00:00.000Z", finished_at: "2026-01-01T02:01:00.000Z" },
    ],
    post_caption: "The camera dollies in slowly.",
    author: P(1),
    author_role: "annotator",
    version_created_at: "2026-01-01T00:10:00.000Z",
    provenance: null,
    verdict: "approve",
    reviews: [{ verdict: "approve", note: "", reviewer: P(2), created_at: "2026-01-01T01:00:00.000Z" }],
    catches: [],
    negatives: [],
    ...over,
  };
}

describe("our records → the tool's video objects", () => {
  it("maps stages and verdicts to statuses and fills caption_data by the documented rules", () => {
    const { video, dropped } = toChaiToolVideo([
      record({}),
      record({ aspect: "subject", score: 5, critique: { items: [], text: "", polished_text: null }, post_caption: "The camera zooms in.", rounds: [] }),
      record({ aspect: "motion", stage: "in_review", reviews: [], verdict: null }),
      record({ aspect: "scene", stage: "refining", reviews: [], verdict: null }),
      record({ aspect: "spatial", stage: "rejected", reviews: [{ verdict: "reject_and_redo", note: "no", reviewer: P(2), created_at: "2026-01-01T01:00:00.000Z" }], verdict: "reject_and_redo" }),
    ]);
    expect(dropped).toBe(0);
    expect(video.video_id).toBe("a.mp4");
    expect(video.video_url).toBe("clips/a.mp4");
    expect(Object.keys(video.captions)).toEqual(["camera", "subject", "motion", "scene", "spatial"]);
    expect(video.captions.camera).toEqual({
      status: "approved",
      caption_data: {
        user: P(1),
        timestamp: "2026-01-01T00:10:00",
        workflow_type: "improved_precaption",
        pre_caption: "The camera zooms in.",
        pre_caption_prompt: null,
        pre_caption_llm: "rules-1",
        pre_caption_mode: null,
        initial_caption_rating_score: 2,
        feedback_is_needed: true,
        initial_feedback: "It dollies in.",
        gpt_feedback: "The camera dollies in; it does not zoom.",
        gpt_feedback_llm: null,
        gpt_feedback_prompt: null,
        feedback_rating_score: null,
        final_feedback: "The camera dollies in; it does not zoom.",
        gpt_caption: "The camera dollies in.",
        gpt_caption_prompt: null,
        gpt_caption_llm: "r2",
        caption_rating_score: null,
        final_caption: "The camera dollies in slowly.",
        reviewer: P(2),
        review_timestamp: "2026-01-01T01:00:00",
        reviewer_double_check: true,
      },
    });
    const subject = video.captions.subject;
    expect(subject?.status).toBe("approved");
    if (subject && "caption_data" in subject) {
      expect(subject.caption_data).toMatchObject({ workflow_type: "perfect_precaption", feedback_is_needed: false, initial_feedback: null, gpt_feedback: null, final_feedback: null, gpt_caption: null, final_caption: "The camera zooms in." });
    }
    expect(video.captions.motion?.status).toBe("completed_not_reviewed");
    expect(video.captions.motion && "caption_data" in video.captions.motion && "reviewer" in video.captions.motion.caption_data).toBe(false);
    // Work back in the annotator's hands (an earlier stage, or sent back for a redo) is not completed: status only.
    expect(video.captions.scene).toEqual({ status: "not_completed" });
    expect(video.captions.spatial).toEqual({ status: "not_completed" });
  });

  it("writes a fix-and-approve as the tool's rejected: the reviewer's version, the rejected one as negative_example", () => {
    const negative = { author: P(1), author_role: "annotator" as const, pre_caption: "The camera zooms in.", score: 3, critique: { items: [], text: "slow", polished_text: null }, post_caption: "The camera dollies.", created_at: "2026-01-01T00:02:30.000Z", provenance: null };
    const { video } = toChaiToolVideo([
      record({ author: P(2), author_role: "reviewer", version_created_at: "2026-01-01T01:00:01.000Z", reviews: [{ verdict: "fix_and_approve", note: "", reviewer: P(2), created_at: "2026-01-01T01:00:00.000Z" }], negatives: [negative] }),
    ]);
    const camera = video.captions.camera;
    expect(camera?.status).toBe("rejected");
    if (camera?.status !== "rejected") return;
    expect(camera.caption_data).toMatchObject({ user: P(2), reviewer: P(2), reviewer_double_check: false, original_annotator: P(1), gpt_caption: "The camera dollies in." });
    expect(Object.keys(camera.caption_data).slice(-4)).toEqual(["reviewer", "review_timestamp", "reviewer_double_check", "original_annotator"]);
    // The negative's revision is the round before it was made; the typed critique stands when nothing was polished.
    expect(camera.negative_example).toMatchObject({ user: P(1), timestamp: "2026-01-01T00:02:30", initial_caption_rating_score: 3, initial_feedback: "slow", gpt_feedback: null, final_feedback: "slow", gpt_caption: "The camera dollies.", gpt_caption_llm: "r1", final_caption: "The camera dollies." });
    expect(camera.negative_example && "reviewer" in camera.negative_example).toBe(false);
  });

  it("keeps one task per aspect (the most advanced) and counts the others", () => {
    const { video, dropped } = toChaiToolVideo([record({ stage: "submitted", reviews: [], author: P(3) }), record({ author: P(4) }), record({ stage: "critiquing", author: P(5) })]);
    expect(dropped).toBe(2);
    expect(video.captions.camera?.status).toBe("approved");
    expect(video.captions.camera && "caption_data" in video.captions.camera && video.captions.camera.caption_data.user).toBe(P(4));
  });

  it("writes the provenance a version holds as held, and the tool's time texts only while they name the same instant", () => {
    const provenance: VersionProvenance = {
      pre_caption_prompt: "Describe {aspect}.",
      pre_caption_llm: "gpt-4o",
      pre_caption_mode: "",
      gpt_feedback: "The raw polish.",
      gpt_feedback_llm: null,
      feedback_rating_score: 4,
      caption_rating_score: 5,
      timestamp: "2026-01-01T00:10:00.000913",
      review_timestamp: "2026-01-01T01:00:07.5",
    };
    const { video } = toChaiToolVideo([record({ provenance })]);
    const camera = video.captions.camera;
    if (camera?.status !== "approved") throw new Error("expected approved");
    expect(camera.caption_data).toMatchObject({
      timestamp: "2026-01-01T00:10:00.000913",
      pre_caption_prompt: "Describe {aspect}.",
      pre_caption_llm: "gpt-4o",
      pre_caption_mode: "",
      gpt_feedback: "The raw polish.",
      gpt_feedback_llm: null,
      // Not held: ours.
      gpt_feedback_prompt: null,
      feedback_rating_score: 4,
      final_feedback: "The camera dollies in; it does not zoom.",
      gpt_caption_llm: "r2",
      caption_rating_score: 5,
      // The review's text names another second than the review: ours.
      review_timestamp: "2026-01-01T01:00:00",
    });
  });

  it("names the clip by its source URL, else by the export's copy beside the tool folder and the source's name", async () => {
    const root = tmp("clips");
    fs.mkdirSync(path.join(root, "chai-tool"));
    const w = new ChaiToolExport(path.join(root, "chai-tool"), new Date("2026-03-04T05:06:07Z"), { recordsRoot: root });
    await w.add(record({ video: "videos/a.mp4", video_source: "https://example.org/v/clip%201.mp4" }));
    await w.add(record({ video: "videos/b.webm", video_sha256: SHA("b"), video_source: "pan_left.webm" }));
    await w.add(record({ video: "videos/c.mp4", video_sha256: SHA("c") }));
    const [all] = await w.close();
    const videos = JSON.parse(fs.readFileSync(path.join(root, "chai-tool", all?.name ?? ""), "utf8")) as ToolVideo[];
    expect(videos.map((v) => [v.video_id, v.video_url])).toEqual([
      ["clip%201.mp4", "https://example.org/v/clip%201.mp4"],
      ["pan_left.webm", "../videos/b.webm"],
      ["c.mp4", "../videos/c.mp4"],
    ]);
  });
});

describe("ChaiToolExport", () => {
  it("writes the tool's files by completion level, streamed, and its statistics", async () => {
    const out = tmp("files");
    const w = new ChaiToolExport(out, new Date("2026-03-04T05:06:07Z"));
    await w.add(record({ video: "v/a.mp4" }));
    await w.add(record({ video: "v/a.mp4", aspect: "motion", stage: "submitted", reviews: [], score: 5, critique: { items: [], text: "", polished_text: null }, post_caption: "Café.", pre_caption: "Café." }));
    await w.add(record({ video: "v/b.mp4", video_sha256: SHA("b"), stage: "labelling", reviews: [] }));
    await w.add(record({ video: "v/c.mp4", video_sha256: SHA("c"), stage: "in_review", reviews: [] }));
    await expect(w.add(record({ video: "v/a.mp4" }))).rejects.toThrow(/not grouped together/);
    const files = await w.close();
    expect(files.map((f) => [f.name, f.records])).toEqual([
      ["all_videos_with_captions_20260304_0506.json", 2],
      ["reviewed_videos_20260304_0506.json", 1],
      ["not_completed_videos_20260304_0506.json", 1],
      ["comprehensive_statistics_20260304_0506.json", 1],
    ]);
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(out, f.name));
      expect(bytes.length).toBe(f.bytes);
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(f.sha256);
    }
    const text = (name: string) => fs.readFileSync(path.join(out, name), "utf8");
    const all = text("all_videos_with_captions_20260304_0506.json");
    // Python's json.dump(list, indent=2): non-ASCII escaped, no newline at the end.
    expect(all).toContain('"final_caption": "Caf\\u00e9."');
    expect(all).toBe(pyJsonDumps(JSON.parse(all)));
    expect((JSON.parse(all) as { video_id: string }[]).map((v) => v.video_id)).toEqual(["a.mp4", "c.mp4"]);
    expect((JSON.parse(text("not_completed_videos_20260304_0506.json")) as { video_id: string }[]).map((v) => v.video_id)).toEqual(["b.mp4"]);
    // What export.py's own generate_comprehensive_statistics writes for these three videos (checked by running it
    // on this export): 3 × 8 possible tasks, 3 completed (a: camera approved, motion unreviewed; c: camera
    // unreviewed), 1 reviewed; the ratings in caption-code order (subject, scene, motion, …, camera); Python floats.
    expect(text("comprehensive_statistics_20260304_0506.json")).toBe(`{
  "export_timestamp": "2026-03-04T05:06:07",
  "total_videos": 3,
  "task_completion_summary": {
    "total_possible_tasks": 24,
    "completed_tasks": 3,
    "reviewed_tasks": 1,
    "completion_rate": 12.5,
    "review_rate": 33.33333333333333
  },
  "workflow_analysis": {
    "perfect_precaption": 1,
    "improved_precaption": 2
  },
  "quality_metrics": {
    "initial_ratings": [
      5,
      2,
      2
    ],
    "avg_initial_rating": 3.0,
    "final_ratings": []
  },
  "completion_by_task": {
    "subject": {
      "not_completed": 3
    },
    "scene": {
      "not_completed": 3
    },
    "motion": {
      "completed_not_reviewed": 1,
      "not_completed": 2
    },
    "spatial": {
      "not_completed": 3
    },
    "camera": {
      "approved": 1,
      "not_completed": 1,
      "completed_not_reviewed": 1
    },
    "color": {},
    "lighting": {},
    "effects": {}
  }
}`);
  });

  it("writes only the statistics for an empty export", async () => {
    const out = tmp("empty");
    const files = await new ChaiToolExport(out, new Date("2026-03-04T05:06:07Z")).close();
    expect(files.map((f) => f.name)).toEqual(["comprehensive_statistics_20260304_0506.json"]);
    expect(JSON.parse(fs.readFileSync(path.join(out, files[0]?.name ?? ""), "utf8"))).toMatchObject({ total_videos: 0, task_completion_summary: { completion_rate: 0, review_rate: 0 } });
  });
});

describe("the tool's video objects → import records", () => {
  const ctx = { projectName: "P", now: new Date("2026-01-01T00:00:00Z"), person: (n: string) => `p_${createHash("sha256").update(n).digest("hex").slice(0, 16)}` };

  it("keeps the annotator's edit of the polished critique as the critique that stands (the raw polish is the round's)", () => {
    const fixture = JSON.parse(fs.readFileSync(FIXTURE, "utf8")) as Array<{ captions: Record<string, { caption_data?: Record<string, unknown> }> }>;
    const video = structuredClone(fixture[0]);
    const scene = video?.captions.scene?.caption_data;
    if (!scene) throw new Error("fixture changed");
    scene.final_feedback = "Mention the glass bus-stop shelter and the wet pavement.";
    const [r] = fromChaiToolVideo(video, ctx).records.filter((x) => x.aspect === "scene");
    expect(r?.critique).toEqual({ items: [], text: scene.initial_feedback, polished_text: "Mention the glass bus-stop shelter and the wet pavement." });
    expect(r?.rounds[0]?.critique_text).toBe(scene.gpt_feedback);
  });

  it("skips tasks not completed, errors and other projects' codes, and refuses entries it cannot read", () => {
    const video = { video_id: "x.mp4", video_url: "x.mp4", captions: { spatial: { status: "not_completed" }, camera: { status: "error", error: "bad file" }, color: { status: "approved", caption_data: {} } } };
    expect(fromChaiToolVideo(video, ctx)).toEqual({ records: [], skipped: ["spatial: not_completed", "camera: error (bad file)", "color: not one of our aspects"] });
    expect(() => fromChaiToolVideo({ video_id: "x.mp4", video_url: "x.mp4", captions: { camera: { status: "approved" } } }, ctx)).toThrow(/without caption_data/);
    expect(() => fromChaiToolVideo({ video_id: "x.mp4", video_url: "x.mp4", captions: { camera: { status: "done" } } }, ctx)).toThrow(/not a CHAI tool video/);
  });
});

type ToolVideo = { video_id: string; video_url: string; captions: Record<string, Record<string, unknown>> };

describeEachDb("CHAI tool layout round trip", (db, kind) => {
  it("imports the authors' nested layout (all five task ids) and exports it back field for field", async () => {
    const config = testConfig();
    const dir = tmp("import");
    // Contents whose SHA-256 order is the fixture's order (the export writes clips in that order).
    const clips: Record<string, string> = { "0001.0.mp4": "CHAI tool clip one", "0002.1.mp4": "CHAI tool clip two" };
    for (const [name, content] of Object.entries(clips)) fs.writeFileSync(path.join(dir, name), content);
    const log: string[] = [];
    const summary = await importChai(db().db, config, { file: FIXTURE, videosDir: dir, projectName: "CHAI tool", log: (l) => log.push(l) });
    // 10 task entries: 8 completed (2 rejected, 2 unreviewed, 4 approved), the 2 spatial ones not completed.
    expect(summary, log.join("\n")).toEqual({ imported: 8, skipped: 0, failed: 0, videosAdded: 2 });
    const rows = await db().db.select({ aspect: tasks.aspect, stage: tasks.stage, score: tasks.score }).from(tasks);
    expect(rows.map((t) => `${t.aspect}:${t.stage}:${t.score}`).sort()).toEqual(
      ["camera:approved:1", "camera:approved:2", "motion:approved:2", "motion:approved:5", "scene:approved:2", "scene:submitted:3", "subject:approved:5", "subject:submitted:4"],
    );
    // The clip keeps the tool's URL; every version (negatives too) its workflow fields.
    expect((await db().db.select({ source: videos.sourceName }).from(videos)).map((v) => v.source).sort()).toEqual([
      "https://storage.example.org/chai/videos/0001.0.mp4",
      "https://storage.example.org/chai/videos/0002.1.mp4",
    ]);
    const versions = await db().db.select({ provenance: taskVersions.provenance }).from(taskVersions);
    expect(versions).toHaveLength(10);
    expect(versions.every((v) => v.provenance?.pre_caption_prompt?.startsWith("You are an expert"))).toBe(true);
    // Importing the same file again adds nothing.
    expect(await importChai(db().db, config, { file: FIXTURE, videosDir: dir, projectName: "CHAI tool" })).toMatchObject({ imported: 0, skipped: 8 });

    // Exported back through the dataset export's `chai-tool` format.
    const secret = loadPseudonymSecret(config.dataDir);
    const exportTool = async (database: Db, cfg: typeof config, out: string) => {
      const { manifest } = await exportDataset(database, cfg, {
        format: "chai-tool",
        outDir: out,
        status: "all",
        testShare: 0,
        seed: 0,
        pseudonymSecret: secret,
        now: () => new Date("2025-07-03T08:09:10Z"),
      });
      return manifest;
    };
    const out = tmp("export");
    const manifest = await exportTool(db().db, config, out);
    expect(manifest.files.map((f) => [f.name, f.split, f.records])).toEqual([
      ["chai-tool/all_videos_with_captions_20250703_0809.json", "all", 2],
      ["chai-tool/reviewed_videos_20250703_0809.json", "all", 2],
      ["chai-tool/comprehensive_statistics_20250703_0809.json", "all", 1],
    ]);
    const exportedText = fs.readFileSync(path.join(out, "chai-tool", "all_videos_with_captions_20250703_0809.json"), "utf8");

    // The fixture, with the one change the round trip makes: people's names become their pseudonyms. Everything
    // else — video_id, video_url, statuses, every caption_data and negative_example field, the microseconds and
    // notation of the tool's times, nulls and key order — is as the tool wrote it, byte for byte.
    const fixtureText = fs.readFileSync(FIXTURE, "utf8");
    expect(pyJsonDumps(JSON.parse(fixtureText))).toBe(fixtureText); // the fixture is Python's own formatting
    const pseudonymised = (d: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(d).map(([k, v]) => [k, PEOPLE.includes(k) && typeof v === "string" ? pseudonymForText(secret, v) : v]));
    const expected = (JSON.parse(fixtureText) as ToolVideo[]).map((v) => ({
      ...v,
      captions: Object.fromEntries(
        Object.entries(v.captions).map(([code, entry]) => [
          code,
          Object.fromEntries(Object.entries(entry).map(([k, e]) => [k, k === "status" ? e : pseudonymised(e as Record<string, unknown>)])),
        ]),
      ),
    }));
    expect(JSON.parse(exportedText)).toEqual(expected);
    expect(exportedText).toBe(pyJsonDumps(expected));
    // The clips are in the export too, named by content beside the tool folder.
    const stored = (name: string) => `${createHash("sha256").update(clips[name] ?? "").digest("hex")}.mp4`;
    expect(fs.readdirSync(path.join(out, "videos")).sort()).toEqual(Object.keys(clips).map(stored).sort());

    // And the exported file imports again (its clips from the export's videos/) into an empty database, to the same.
    const other = await createTestDatabase(kind);
    const otherConfig = testConfig();
    try {
      const file = path.join(out, "chai-tool", "all_videos_with_captions_20250703_0809.json");
      const again = await importChai(other.db, otherConfig, { file, videosDir: dir, projectName: "CHAI tool" });
      expect(again).toMatchObject({ imported: 8, failed: 0 });
      const out2 = tmp("export-2");
      await exportTool(other.db, otherConfig, out2);
      expect(fs.readFileSync(path.join(out2, "chai-tool", "all_videos_with_captions_20250703_0809.json"), "utf8")).toBe(exportedText);
    } finally {
      await other.dispose();
    }
  });

  it("exports clips without a source URL by the export's copy, which the importer finds from the export's videos/", async () => {
    const config = testConfig();
    const dir = tmp("local");
    fs.writeFileSync(path.join(dir, "pan_left.mp4"), "a local clip");
    // The fixture's first clip, as a local file named by path (the tool also accepts paths).
    const [first] = JSON.parse(fs.readFileSync(FIXTURE, "utf8")) as ToolVideo[];
    if (!first) throw new Error("fixture changed");
    const file = path.join(dir, "local.json");
    fs.writeFileSync(file, JSON.stringify([{ ...first, video_id: "pan_left.mp4", video_url: "pan_left.mp4" }]));
    expect(await importChai(db().db, config, { file, videosDir: dir, projectName: "Local" })).toMatchObject({ imported: 4, failed: 0 });
    const out = tmp("local-out");
    await exportDataset(db().db, config, { format: "chai-tool", outDir: out, status: "all", testShare: 0, seed: 0, projectName: "Local", pseudonymSecret: loadPseudonymSecret(config.dataDir), now: () => new Date("2025-07-03T08:09:10Z") });
    const tool = path.join(out, "chai-tool");
    const [video] = JSON.parse(fs.readFileSync(path.join(tool, "all_videos_with_captions_20250703_0809.json"), "utf8")) as ToolVideo[];
    const sha = createHash("sha256").update("a local clip").digest("hex");
    expect([video?.video_id, video?.video_url]).toEqual(["pan_left.mp4", `../videos/${sha}.mp4`]);
    // The path resolves from the tool folder to the export's copy of the clip.
    expect(fs.readFileSync(path.join(tool, video?.video_url ?? ""), "utf8")).toBe("a local clip");
  });
});

describe("pyFloatText", () => {
  it("writes floats as Python's repr does", () => {
    // Python: [repr(x) for x in (40.0, 12.5, 100/3, 8e-05, 1.25e-05, 0.0001, 1e16, 0.0)]
    expect([40, 12.5, 100 / 3, 8e-5, 1.25e-5, 0.0001, 1e16, 0].map(pyFloatText)).toEqual(["40.0", "12.5", "33.333333333333336", "8e-05", "1.25e-05", "0.0001", "1e+16", "0.0"]);
  });
});
