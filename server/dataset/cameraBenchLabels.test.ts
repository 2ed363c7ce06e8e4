import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EMPTY_FACTS } from "../../shared/captionFacts";
import { ChaiRecord } from "../../shared/dataset/formats";
import type { LabelValue } from "../../shared/labels";
import { CAMERABENCH_EXPORT_IDS, CAMERABENCH_LABELS } from "../../shared/captionSpec/cameraBench";
import {
  CAMERABENCH_ALL_LABELS,
  CAMERABENCH_LABEL_NAMES,
  CameraBenchExport,
  CameraBenchReadError,
  pyJsonIndent4,
  readCameraBenchAsLabels,
  readCameraBenchLabels,
} from "./cameraBenchLabels";

const P = (n: number) => `p_${String(n).padStart(16, "0")}`;
const yes: LabelValue = { kind: "yes" };
const selected: LabelValue = { kind: "selected" };
const both: LabelValue = { kind: "start_end", at: "both" };
const at = (a: "start" | "end"): LabelValue => ({ kind: "start_end", at: a });

type Pick = [string, LabelValue, boolean?];

/** A `chai` record, through the schema so fields it defaults need not be spelled out. */
function record(sha: string, aspect: ChaiRecord["aspect"], picks: Pick[], version = "2026-01-01T00:10:00.000Z"): ChaiRecord {
  return ChaiRecord.parse({
    video: `videos/${sha.repeat(64)}.webm`,
    video_sha256: sha.repeat(64),
    project: "P",
    aspect,
    spec_version: "1.1.0+000000000000",
    stage: "approved",
    created_at: "2026-01-01T00:00:00.000Z",
    submitted_at: "2026-01-01T00:10:00.000Z",
    reviewed_at: null,
    annotator: P(1),
    primitives: picks.map(([primitive_id, value, notSure]) => ({
      primitive_id,
      value,
      not_sure: notSure ?? false,
      time_start: null,
      time_end: null,
      note: null,
      labelled_by: P(1),
    })),
    facts: EMPTY_FACTS,
    pre_caption: "The camera pans left.",
    pre_caption_model: null,
    score: 5,
    critique: { items: [], text: "", polished_text: null },
    rounds: [],
    post_caption: "The camera pans left.",
    author: P(1),
    author_role: "annotator",
    version_created_at: version,
    verdict: "approve",
    reviews: [],
    catches: [],
    negatives: [],
  });
}

const CAMERA_BASE: Pick[] = [
  ["camera.focus_plane.middle_ground", both],
  ["camera.depth_of_field.deep", selected],
  ["camera.steadiness.smooth", selected],
  ["camera.movement_magnitude.simple", selected],
  ["camera.lens_distortion.none", selected],
  ["camera.height_ground.eye_level", both],
  ["camera.video_speed.regular", yes],
];
const name = (sha: string) => `${sha.repeat(64)}.webm`;
const keys = (picks: readonly { primitiveId: string; value: LabelValue }[]) =>
  picks.map((p) => `${p.primitiveId}@${p.value.kind === "start_end" ? p.value.at : p.value.kind}`).sort();

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "chai-h5-camerabench-"));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Clip a: pans left at a level angle, with spatial labels; b: rolls clockwise, angle not discernible; c: scene only;
 *  d: a pan the annotator is not sure of; e: a shot transition. */
const CLIPS: Record<string, Record<string, Pick[]>> = {
  a: {
    camera: [...CAMERA_BASE, ["camera.angle.level", both], ["camera.movement_rotation.pan_left", yes], ["camera.movement_ground.forward", yes]],
    spatial: [["spatial.shot_size.wide", at("start")], ["spatial.shot_size.full", at("end")], ["spatial.shot_size_change.wide_to_tight", yes]],
  },
  b: { camera: [...CAMERA_BASE, ["camera.angle.not_applicable", both], ["camera.movement_rotation.roll_clockwise", yes]] },
  c: { scene: [["scene.point_of_view.drone", selected], ["scene.dynamics.dynamic", selected]] },
  d: { camera: [...CAMERA_BASE, ["camera.angle.high", both], ["camera.movement_rotation.pan_left", yes, true]] },
  e: { camera: [["camera.shot_transition.has_transition", yes], ["camera.movement_rotation.pan_right", yes]] },
};

async function writeExport(): Promise<Awaited<ReturnType<CameraBenchExport["close"]>>> {
  const out = new CameraBenchExport(dir, "2026-01-02T00:00:00.000Z");
  for (const [sha, byAspect] of Object.entries(CLIPS)) {
    for (const [aspect, picks] of Object.entries(byAspect)) await out.add(record(sha, aspect as ChaiRecord["aspect"], picks));
  }
  // Subject and motion records give CameraBench nothing.
  await out.add(record("a", "motion", [["motion.dynamics.constant_pace", yes]]));
  return out.close();
}

const readLabel = async (id: string) => JSON.parse(await fs.readFile(path.join(dir, "labels", `${CAMERABENCH_LABELS[id]!.path}.json`), "utf8"));

describe("CameraBenchExport", () => {
  it("writes one label file per exported id in CameraBench's layout: positives, and negatives of the label's aspect", async () => {
    const files = await writeExport();
    expect(files.filter((f) => f.name.startsWith("labels/"))).toHaveLength(CAMERABENCH_EXPORT_IDS.length);
    const pan = await readLabel("has_pan_left");
    expect(pan).toEqual({
      label: "cam_motion.camera_centric_movement.pan_left.has_pan_left",
      label_name: CAMERABENCH_LABELS.has_pan_left!.name,
      definition: CAMERABENCH_LABELS.has_pan_left!.definition,
      pos: [name("a")],
      // c has no camera labels, d is not sure, e has a shot transition: none of them is a negative.
      neg: [name("b")],
    });
    const roll = await readLabel("has_roll_clockwise");
    expect(roll).toMatchObject({ label: "cam_motion.camera_centric_movement.roll_clockwise.has_roll_clockwise", pos: [name("b")], neg: [name("a"), name("d")] });
    // Not discernible is a negative of the applicability flag and leaves the angle labels out.
    expect(await readLabel("is_camera_angle_applicable")).toMatchObject({ pos: [name("a"), name("d")], neg: [name("b")] });
    expect(await readLabel("camera_angle_is_level_angle")).toMatchObject({ pos: [name("a")], neg: [name("d")] });
    // Scene and spatial labels decide only for clips that have them.
    expect(await readLabel("drone_pov")).toMatchObject({ pos: [name("c")], neg: [] });
    expect(await readLabel("shot_size_change_from_large_to_small")).toMatchObject({ pos: [name("a")], neg: [] });
    expect(await readLabel("has_forward_wrt_ground")).toMatchObject({ pos: [name("a")], neg: [name("d")] });
    expect(await readLabel("has_shot_transition_cam_motion")).toMatchObject({ pos: [name("e")], neg: [name("a"), name("b"), name("d")] });
  });

  it("formats every file as Python's json.dump(indent=4) and reports its size and SHA-256", async () => {
    const files = await writeExport();
    const text = await fs.readFile(path.join(dir, "labels", `${CAMERABENCH_LABELS.has_forward_wrt_ground!.path}.json`), "utf8");
    expect(text.startsWith('{\n    "label": "cam_motion.ground_centric_movement.forward.has_forward_wrt_ground",\n    "label_name": "Has Forward Movement (Relative to Ground, Bird\\u2019s/Worm\\u2019s Eye Views Not Included)",')).toBe(true);
    expect(text.endsWith("\n}")).toBe(true);
    expect(pyJsonIndent4({ a: [], b: ["x"] })).toBe('{\n    "a": [],\n    "b": [\n        "x"\n    ]\n}');
    for (const f of files) {
      const bytes = await fs.readFile(path.join(dir, f.name));
      expect(f.bytes, f.name).toBe(bytes.length);
      expect(f.sha256, f.name).toBe(createHash("sha256").update(bytes).digest("hex"));
    }
  });

  it("lists the labels with positives and negatives in label_names.json and all_labels.json, most positives first", async () => {
    await writeExport();
    const names: string[] = JSON.parse(await fs.readFile(path.join(dir, CAMERABENCH_LABEL_NAMES), "utf8"));
    const all: Record<string, { pos: string[]; neg: string[] }> = JSON.parse(await fs.readFile(path.join(dir, CAMERABENCH_ALL_LABELS), "utf8"));
    expect(Object.keys(all)).toEqual(names);
    expect(names).toContain("cam_motion.camera_centric_movement.pan_left.has_pan_left");
    expect(names).not.toContain(CAMERABENCH_LABELS.drone_pov!.path);
    const counts = names.map((n) => all[n]!.pos.length);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    for (const n of names) expect(all[n]!.pos.length > 0 && all[n]!.neg.length > 0, n).toBe(true);
  });

  it("keeps the latest version when a clip has two records of one aspect", async () => {
    const out = new CameraBenchExport(dir);
    await out.add(record("a", "camera", [...CAMERA_BASE, ["camera.movement_rotation.pan_right", yes]], "2026-02-01T00:00:00.000Z"));
    await out.add(record("a", "camera", [...CAMERA_BASE, ["camera.movement_rotation.pan_left", yes]], "2026-01-01T00:00:00.000Z"));
    await out.close();
    expect(await readLabel("has_pan_right")).toMatchObject({ pos: [name("a")] });
    expect(await readLabel("has_pan_left")).toMatchObject({ pos: [], neg: [name("a")] });
  });
});

describe("readCameraBenchLabels", () => {
  it("reads back what the export wrote: the same labels per clip, all aspects together", async () => {
    await writeExport();
    const clips = await readCameraBenchAsLabels(dir);
    for (const sha of ["a", "b", "c"]) {
      const written = Object.values(CLIPS[sha]!).flat().map(([primitiveId, value]) => ({ primitiveId, value }));
      expect(keys(clips.get(name(sha)) ?? []), sha).toEqual(keys(written));
    }
    // The not-sure pan is left out; the transition clip keeps only what it said for sure.
    expect(keys(clips.get(name("d")) ?? [])).toEqual(keys(Object.values(CLIPS.d!).flat().filter((p) => !p[2]).map(([primitiveId, value]) => ({ primitiveId, value }))));
    expect(keys(clips.get(name("e")) ?? [])).toEqual(["camera.movement_rotation.pan_right@yes", "camera.shot_transition.has_transition@yes"]);
  });

  it("reads CameraBench's own files: ids from the dotted label, the three file names that are not ids mapped", async () => {
    const labels = path.join(dir, "labels");
    await fs.mkdir(labels);
    const file = (label: string, pos: string[], neg: string[]) =>
      fs.writeFile(path.join(labels, `${label}.json`), pyJsonIndent4({ label, label_name: "x", definition: "x?", pos, neg }));
    await file("cam_motion.object_centric_movement.track_shot", ["v1.mp4"], ["v2.mp4"]);
    await file("cam_motion.object_centric_movement.side_tracking_shot", ["v1.mp4"], ["v2.mp4"]);
    await file("cam_motion.camera_centric_movement.roll_clockwise.only_roll_clockwise", [], ["v1.mp4"]);
    await fs.writeFile(path.join(dir, CAMERABENCH_LABEL_NAMES), "[]");
    const clips = await readCameraBenchLabels(dir);
    expect(clips.get("v1.mp4")).toEqual({ positive: ["side_tracking_shot", "tracking_shot"], negative: ["only_roll_clockwise"] });
    expect(clips.get("v2.mp4")).toEqual({ positive: [], negative: ["side_tracking_shot", "tracking_shot"] });
    expect(keys((await readCameraBenchAsLabels(labels)).get("v1.mp4") ?? [])).toEqual(["camera.tracking.side_tracking@yes"]);
  });

  it("refuses a folder without label files, and a file that is not one", async () => {
    await expect(readCameraBenchLabels(dir)).rejects.toThrow(CameraBenchReadError);
    await fs.writeFile(path.join(dir, "x.json"), JSON.stringify({ label: "a" }));
    await expect(readCameraBenchLabels(dir)).rejects.toThrow(/x\.json: not a CameraBench label file/);
  });
});
