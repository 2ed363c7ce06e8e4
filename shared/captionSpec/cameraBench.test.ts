import { beforeAll, describe, expect, it } from "vitest";
import { loadSpecDir } from "../../server/captionSpec/index";
import type { Spec } from "./schema";
import type { Label, LabelValue } from "../labels";
import {
  CAMERABENCH_EXPORT_IDS,
  CAMERABENCH_IMPORT_IDS,
  CAMERABENCH_LABELS,
  CAMERABENCH_PRIMITIVES,
  CAMERABENCH_ROWS,
  cameraBenchAspect,
  cameraBenchIdOfPath,
  cameraBenchView,
  fromCameraBench,
  toCameraBench,
  type CameraBenchInput,
} from "./cameraBench";

/**
 * CameraBench's label ids as /work/shared/reference/formats.md section 4 lists them (verified there against
 * sy77777en/video_annotation_folk@f4f738f labels/cam_motion/**, labels/cam_setup/**), written out with its brace
 * notation: `{a,b}` is each of a, b.
 */
const each = (...parts: (string | readonly string[])[]): string[] =>
  parts.reduce<string[]>((acc, p) => acc.flatMap((a) => (typeof p === "string" ? [a + p] : p.map((x) => a + x))), [""]);
const fromTo = (prefix: string, values: readonly string[]) =>
  values.flatMap((x) => values.filter((y) => y !== x).map((y) => `${prefix}${x}_to_${y}`));

const MOTION_IDS: readonly string[] = [
  ...each(["has_", "only_"], ["pan_left", "pan_right", "tilt_up", "tilt_down", "roll_clockwise", "roll_counterclockwise", "zoom_in", "zoom_out", "leftward", "rightward"]),
  ...each(["has_", "only_"], ["forward", "backward", "upward", "downward"], "_wrt_camera"),
  ...each(["has_", "only_"], ["forward", "backward", "upward", "downward"], "_wrt_ground", ["", "_birds_worms_included"]),
  ...each("has_arc_", ["clockwise", "counterclockwise"]),
  ...each("has_crane_", ["up", "down"]),
  ...each("has_dolly_", ["in_zoom_out", "out_zoom_in"]),
  ...each("has_", ["frame_freezing", "motion_blur", "shot_transition_cam_motion"]),
  ...each("is_", ["simple", "complex", "minor"], "_motion"),
  ...each(["static", "mostly_static", "dynamic"], "_scene"),
  "fixed_camera",
  "fixed_camera_with_shake",
  ...each(["moving", "clear_moving", "slow_moving", "fast_moving", "shaky", "very_shaky"], "_camera"),
  "stable_camera_motion",
  "very_stable_camera_motion",
  "tracking_shot",
  ...each(["aerial", "arc", "front_side", "rear_side", "lead", "tail", "side", "pan", "tilt"], "_tracking_shot"),
  ...each("side_tracking_shot_", ["leftward", "rightward"]),
  ...each("tracking_subject_", ["larger", "smaller"], "_size"),
];
const SHOT_SIZES = ["extreme_wide", "wide", "full", "medium_full", "medium", "medium_close_up", "close_up", "extreme_close_up"];
const ANGLES = each(["bird_eye", "high", "level", "low", "worm_eye"], "_angle");
const GROUND = each(["aerial", "overhead", "eye", "hip", "ground", "water", "underwater"], "_level");
const SUBJECT = each(["above", "at", "below"], "_subject");
const FOCUS = ["foreground", "middle_ground", "background", "out_of_focus"];
const SETUP_IDS: readonly string[] = [
  "has_overlays",
  "has_shot_transition_cam_setup",
  ...each("shot_size_", ["is", "start_with", "end_with"], "_", SHOT_SIZES),
  "is_shot_size_applicable",
  "shot_size_change",
  ...each("shot_size_change_from_", ["large_to_small", "small_to_large"]),
  ...each("subject_", ["revealing", "disappearing", "switching"]),
  ...each("camera_angle_", ["is", "start_with", "end_with"], "_", ANGLES),
  ...fromTo("camera_angle_from_", ["high", "level", "low"]),
  "is_camera_angle_applicable",
  "camera_angle_change",
  ...each("camera_angle_change_from_", ["high_to_low", "low_to_high"]),
  "is_dutch_angle",
  ...each("is_dutch_angle_", ["fixed", "varying"]),
  ...each("height_wrt_ground_", ["is", "start_with", "end_with"], "_", GROUND),
  "is_height_wrt_ground_applicable",
  ...each("height_wrt_ground_change_from_", ["high_to_low", "low_to_high"]),
  "above_water_to_underwater",
  "underwater_to_above_water",
  ...each("height_wrt_subject_", ["is", "start_with", "end_with"], "_", SUBJECT),
  ...fromTo("height_wrt_subject_from_", SUBJECT),
  "is_subject_height_applicable",
  "height_wrt_subject_change",
  ...each("height_wrt_subject_change_from_", ["high_to_low", "low_to_high"]),
  ...each("focus_", ["is", "start_with", "end_with"], "_", FOCUS),
  ...fromTo("focus_from_", FOCUS.slice(0, 3)),
  "is_focus_applicable",
  ...each("is_", ["deep", "shallow", "ultra_shallow"], "_focus"),
  "is_rack_pull_focus",
  "is_focus_tracking",
  "focus_change",
  ...each("focus_change_from_", ["near_to_far", "far_to_near", "in_to_out_of_focus", "out_to_in_focus"]),
  ...each(["no", "with"], "_lens_distortion"),
  ...each(["barrel", "fisheye"], "_distortion"),
  ...each(["first_person", "drone", "dashcam", "selfie", "broadcast", "overhead", "locked_on", "objective", "screen_recording"], "_pov"),
  ...each("third_person_", ["full_body_game", "isometric_game", "side_view_game", "top_down_game", "over_shoulder", "over_hip"], "_pov"),
  ...each("is_", ["human", "non_human"], "_shot"),
  ...each("is_just_", [
    "human", "non_human", "scenery", "change_of_subject", "back_and_forth_change", "clear_subject_atypical", "clear_subject_dynamic_size",
    "different_subject_in_focus", "many_subject_no_focus", "many_subject_one_focus", "subject_scene_mismatch",
  ], "_shot"),
  "is_framing_subject",
  "has_single_dominant_subject",
  "has_many_subjects",
  "has_subject_change",
  "regular_speed",
  ...each(["slow", "fast", "stop"], "_motion"),
  "fast_motion_without_time_lapse",
  "time_lapse",
  "speed_ramp",
  "time_reversed",
];
const CAMERABENCH_IDS = new Set([...MOTION_IDS, ...SETUP_IDS]);

const yes: LabelValue = { kind: "yes" };
const selected: LabelValue = { kind: "selected" };
const at = (a: "start" | "end" | "both"): LabelValue => ({ kind: "start_end", at: a });
const l = (primitiveId: string, value: LabelValue, notSure = false): Label => ({ primitiveId, value, notSure, timeStart: null, timeEnd: null, note: null });
const key = (x: CameraBenchInput) => `${x.primitiveId}@${x.value.kind === "start_end" ? x.value.at : x.value.kind}`;
const sorted = (xs: readonly CameraBenchInput[]) => xs.map(key).sort();

/** Ours → CameraBench → ours, with the negatives a CameraBench export of the clip would list. */
function roundTrip(labels: readonly Label[]): string[] {
  const view = cameraBenchView(labels);
  const positive = new Set(view.positive);
  const unknown = new Set(view.unknown);
  const negative = CAMERABENCH_EXPORT_IDS.filter((id) => !positive.has(id) && !unknown.has(id));
  return sorted(fromCameraBench(view.positive, negative));
}

let spec: Spec;
beforeAll(async () => {
  const loaded = await loadSpecDir();
  if (!loaded.ok) throw new Error("spec/ does not load");
  spec = loaded.spec;
});

/** A complete label set of one aspect, the sub-aspect of `p` given to `p`. */
function withContext(primitiveId: string, value: LabelValue): Label[] {
  const base: Record<string, Label[]> = {
    camera: [
      l("camera.focus_plane.middle_ground", at("both")),
      l("camera.depth_of_field.shallow", selected),
      l("camera.steadiness.smooth", selected),
      l("camera.movement_magnitude.simple", selected),
      l("camera.lens_distortion.none", selected),
      l("camera.height_ground.eye_level", at("both")),
      l("camera.angle.level", at("both")),
    ],
    spatial: [
      l("spatial.shot_size.medium", at("both")),
      l("spatial.subject_framing.single_dominant", selected),
      l("spatial.camera_height_subject.at_subject", at("both")),
    ],
    scene: [l("scene.dynamics.dynamic", selected), l("scene.point_of_view.objective", selected)],
  };
  const p = spec.primitives[primitiveId]!;
  const labels = (base[p.aspect] ?? []).filter((x) => value.kind === "yes" || spec.primitives[x.primitiveId]!.subAspect !== p.subAspect);
  // A fixed camera does not move, and a camera that does not move is fixed (CameraBench's fixed_camera says both).
  const fixed = ["camera.steadiness.static", "camera.steadiness.static_with_shake"];
  if (fixed.includes(primitiveId)) return [...labels.filter((x) => x.primitiveId !== "camera.movement_magnitude.simple"), l("camera.movement_magnitude.none", selected), l(primitiveId, value)];
  if (primitiveId === "camera.movement_magnitude.none") return [...labels.filter((x) => x.primitiveId !== "camera.steadiness.smooth"), l("camera.steadiness.static", selected), l(primitiveId, value)];
  return [...labels, l(primitiveId, value)];
}

describe("the CameraBench table", () => {
  it("uses only CameraBench's own label ids (formats.md section 4: 83 motion, 179 setup)", () => {
    expect(MOTION_IDS).toHaveLength(83);
    expect(SETUP_IDS).toHaveLength(179);
    expect(CAMERABENCH_IDS.size).toBe(262);
    const used = [...CAMERABENCH_ROWS.flatMap((r) => [...r.ids, ...r.from]), ...CAMERABENCH_EXPORT_IDS, ...CAMERABENCH_IMPORT_IDS];
    expect(used.filter((id) => !CAMERABENCH_IDS.has(id))).toEqual([]);
  });

  it("has CameraBench's path, name and definition for every id it writes or reads, the path naming the id", () => {
    const needed = new Set([...CAMERABENCH_EXPORT_IDS, ...CAMERABENCH_IMPORT_IDS]);
    expect(Object.keys(CAMERABENCH_LABELS).sort()).toEqual([...needed].sort());
    for (const [id, meta] of Object.entries(CAMERABENCH_LABELS)) {
      expect(cameraBenchIdOfPath(meta.path), meta.path).toBe(id);
      expect(meta.path).toMatch(/^cam_(motion|setup)\.[a-z0-9_.]+$/);
      expect(meta.definition.endsWith("?"), id).toBe(true);
    }
    expect(CAMERABENCH_LABELS.has_roll_clockwise?.path).toBe("cam_motion.camera_centric_movement.roll_clockwise.has_roll_clockwise");
    expect(CAMERABENCH_LABELS.tracking_shot?.path).toBe("cam_motion.object_centric_movement.track_shot");
    expect(cameraBenchIdOfPath("cam_motion.steadiness_and_movement.very_stable_camera")).toBe("very_stable_camera_motion");
  });

  it("maps only primitives of the spec, with the value kind the spec gives them", () => {
    for (const id of CAMERABENCH_PRIMITIVES) expect(spec.primitives[id], id).toBeDefined();
    for (const r of CAMERABENCH_ROWS) {
      const p = spec.primitives[r.primitive]!;
      expect(r.kind, r.primitive).toBe(p.value);
      for (const id of r.ids) expect(cameraBenchAspect(id), `${r.primitive} → ${id}`).toBe(p.aspect);
    }
  });
});

describe("ours → CameraBench → ours", () => {
  const lossy: Record<string, string> = {
    // Rack and pull differ by speed; CameraBench's one label comes back as rack focus.
    "camera.focus_change.pull_focus@yes": "camera.focus_change.rack_focus@yes",
  };

  it("is the identity for every primitive the table maps, but the documented rack/pull merge", () => {
    const failures: string[] = [];
    const primitives = [...new Set(CAMERABENCH_ROWS.filter((r) => r.from.length || lossy[`${r.primitive}@yes`]).map((r) => r.primitive))];
    for (const id of [...primitives, "camera.angle.not_applicable", "camera.height_ground.not_applicable", "camera.focus_plane.not_applicable"]) {
      const p = spec.primitives[id]!;
      const values: LabelValue[] = p.value === "start_end" ? [at("both")] : [p.value === "one_of" ? selected : yes];
      for (const value of values) {
        let labels = withContext(id, value);
        if (id === "camera.focus_plane.not_applicable") labels = [...labels.filter((x) => x.primitiveId !== "camera.depth_of_field.shallow"), l("camera.depth_of_field.not_applicable", selected)];
        const expected = sorted(labels).map((k) => lossy[k] ?? k).sort();
        const got = roundTrip(labels);
        if (JSON.stringify(got) !== JSON.stringify(expected)) failures.push(`${id}: ${JSON.stringify(got)} ≠ ${JSON.stringify(expected)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("is the identity for every start → end pair of every start_end family, not discernible ends included", () => {
    const failures: string[] = [];
    for (const sub of ["camera.angle", "camera.height_ground", "camera.focus_plane", "spatial.shot_size", "spatial.camera_height_subject"]) {
      const ids = Object.values(spec.primitives).filter((p) => p.subAspect === sub).map((p) => p.id);
      for (const a of ids) {
        for (const b of ids) {
          if (a === b) continue;
          const labels = withContext(a, at("start")).concat(l(b, at("end")));
          const expected = sorted(labels);
          const got = roundTrip(labels);
          if (JSON.stringify(got) !== JSON.stringify(expected)) failures.push(`${a} → ${b}: ${JSON.stringify(got)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe("toCameraBench", () => {
  it("keeps the roll direction: our clockwise roll is CameraBench's has_roll_clockwise", () => {
    expect(toCameraBench([l("camera.movement_rotation.roll_clockwise", yes)])).toEqual(["has_roll_clockwise"]);
    expect(toCameraBench([l("camera.movement_rotation.roll_counterclockwise", yes)])).toEqual(["has_roll_counterclockwise"]);
  });

  it("sends rack and pull focus to the one label, and brings it back as rack focus", () => {
    expect(toCameraBench([l("camera.focus_change.rack_focus", yes)])).toEqual(["is_rack_pull_focus"]);
    expect(toCameraBench([l("camera.focus_change.pull_focus", yes)])).toEqual(["is_rack_pull_focus"]);
    expect(sorted(fromCameraBench(["is_rack_pull_focus"]))).toEqual(["camera.focus_change.rack_focus@yes"]);
  });

  it("writes start and end pairs the way CameraBench derives them", () => {
    const labels = [l("camera.angle.high", at("start")), l("camera.angle.level", at("end")), l("camera.depth_of_field.shallow", selected)];
    expect(toCameraBench(labels)).toEqual(
      expect.arrayContaining([
        "camera_angle_start_with_high_angle",
        "camera_angle_end_with_level_angle",
        "camera_angle_from_high_to_level",
        "camera_angle_change",
        "camera_angle_change_from_high_to_low",
        "is_camera_angle_applicable",
      ]),
    );
    expect(toCameraBench(labels)).not.toContain("camera_angle_is_high_angle");
    const focus = [
      l("camera.focus_plane.foreground", at("start")),
      l("camera.focus_plane.background", at("end")),
      l("camera.depth_of_field.shallow", selected),
      l("camera.focus_change.near_to_far", yes),
    ];
    // CameraBench says "from the foreground to the background" only for a rack or pull.
    expect(toCameraBench(focus)).not.toContain("focus_from_foreground_to_background");
    expect(toCameraBench([...focus, l("camera.focus_change.pull_focus", yes)])).toEqual(
      expect.arrayContaining(["focus_from_foreground_to_background", "is_rack_pull_focus", "focus_change_from_near_to_far", "focus_change"]),
    );
    const height = [l("camera.height_ground.eye_level", at("start")), l("camera.height_ground.ground_level", at("end"))];
    expect(toCameraBench(height)).toContain("height_wrt_ground_change_from_high_to_low");
    const water = [l("camera.height_ground.water_level", at("start")), l("camera.height_ground.underwater", at("end")), l("camera.height_change.above_water_to_underwater", yes)];
    expect(toCameraBench(water)).toEqual(
      expect.arrayContaining(["height_wrt_ground_start_with_water_level", "height_wrt_ground_end_with_underwater_level", "above_water_to_underwater"]),
    );
  });

  it("gives ground-relative motion the plain *_wrt_ground id only when the clip starts at a high, level or low angle", () => {
    const forward = l("camera.movement_ground.forward", yes);
    expect(toCameraBench([forward, l("camera.angle.level", at("both"))])).toEqual(
      expect.arrayContaining(["has_forward_wrt_ground_birds_worms_included", "has_forward_wrt_ground"]),
    );
    const birds = cameraBenchView([forward, l("camera.angle.birds_eye", at("both"))]);
    expect(birds.positive).toContain("has_forward_wrt_ground_birds_worms_included");
    expect(birds.positive).not.toContain("has_forward_wrt_ground");
    // A pedestal is camera-relative: it says nothing about the ground frame.
    expect(toCameraBench([l("camera.movement_translation.pedestal_up", yes)])).toEqual(["has_upward_wrt_camera"]);
    expect(sorted(fromCameraBench(["has_upward_wrt_ground"]))).toEqual(["camera.movement_ground.up@yes"]);
  });

  it("leaves undecided what is not sure, not discernible or not labelled, and everything after a shot transition", () => {
    const view = cameraBenchView([l("camera.movement_rotation.pan_left", yes, true), l("camera.angle.not_applicable", at("both"))]);
    expect(view.positive).toEqual([]);
    expect(view.unknown).toContain("has_pan_left");
    expect(view.unknown).toContain("camera_angle_is_level_angle");
    expect(view.unknown).toContain("is_dutch_angle");
    // Not discernible is an answer: the applicability flag is negative, so neither positive nor undecided.
    expect(view.unknown).not.toContain("is_camera_angle_applicable");
    // Height was not labelled at all: its flag is undecided too.
    expect(view.unknown).toContain("is_height_wrt_ground_applicable");
    const cut = cameraBenchView([l("camera.shot_transition.has_transition", yes), l("camera.movement_rotation.pan_left", yes)]);
    expect([...cut.positive].sort()).toEqual(["has_pan_left", "has_shot_transition_cam_motion", "has_shot_transition_cam_setup"]);
    expect(cut.unknown).toHaveLength(CAMERABENCH_EXPORT_IDS.length - 3);
  });
});

describe("fromCameraBench", () => {
  it("reads CameraBench's own positives: the most specific of competing labels, one value where the spec has one", () => {
    expect(sorted(fromCameraBench(["broadcast_pov", "objective_pov"]))).toEqual(["scene.point_of_view.broadcast@selected"]);
    expect(sorted(fromCameraBench(["time_lapse", "fast_motion"]))).toEqual(["camera.video_speed.time_lapse@yes"]);
    expect(sorted(fromCameraBench(["fast_motion", "fast_motion_without_time_lapse"]))).toEqual(["camera.video_speed.fast_motion@yes"]);
    expect(sorted(fromCameraBench(["very_shaky_camera", "shaky_camera"]))).toEqual(["camera.steadiness.very_unsteady@selected"]);
    // An unsteady camera that does not move: CameraBench marks it both fixed-with-shake and shaky.
    expect(sorted(fromCameraBench(["fixed_camera_with_shake", "shaky_camera"]))).toEqual([
      "camera.movement_magnitude.none@selected",
      "camera.steadiness.static_with_shake@selected",
    ]);
    expect(sorted(fromCameraBench(["static_scene", "mostly_static_scene"]))).toEqual(["scene.dynamics.static@selected"]);
  });

  it("reads start and end, and a negative applicability flag as not discernible", () => {
    expect(sorted(fromCameraBench(["camera_angle_is_low_angle", "camera_angle_start_with_low_angle", "camera_angle_end_with_low_angle"]))).toEqual([
      "camera.angle.low@both",
    ]);
    expect(sorted(fromCameraBench(["shot_size_start_with_wide", "shot_size_end_with_close_up", "shot_size_change_from_large_to_small"]))).toEqual([
      "spatial.shot_size.close_up@end",
      "spatial.shot_size.wide@start",
      "spatial.shot_size_change.wide_to_tight@yes",
    ]);
    expect(sorted(fromCameraBench([], ["is_focus_applicable", "is_camera_angle_applicable"]))).toEqual([
      "camera.angle.not_applicable@both",
      "camera.depth_of_field.not_applicable@selected",
      "camera.focus_plane.not_applicable@both",
    ]);
    // Deep focus with no plane recorded, as CameraBench often has it.
    expect(sorted(fromCameraBench(["is_focus_applicable", "is_deep_focus"]))).toEqual([
      "camera.depth_of_field.deep@selected",
      "camera.focus_plane.not_applicable@both",
    ]);
    expect(fromCameraBench(["has_many_subjects", "only_pan_left", "not_a_label"])).toEqual([]);
  });
});
