import type { Aspect } from "../domain";
import type { Label, LabelValue } from "../labels";

/**
 * Our primitives ↔ CameraBench's label ids (Lin et al., "Towards Understanding Camera Motions in Any Video",
 * arXiv 2504.15376; label files in sy77777en/video_annotation_folk labels/cam_motion/**, labels/cam_setup/**, rules in
 * camera_motion_data.py and camera_setup_data.py). One table, ROWS, says which ids a primitive makes positive and
 * which ids bring it back; a few ids CameraBench derives from start/end pairs (from_to, *_change, *_applicable) are
 * derived here the same way. Pure: the export's CameraBench folder, its reader and the CLI share it.
 *
 * Where the two do not match one to one (each said in the spec YAML too):
 *  - rack and pull focus both export to is_rack_pull_focus, which imports as rack focus (the label has no speed);
 *  - CameraBench's *_applicable flags are the negation of our "not discernible" primitives (focus: the depth of
 *    field decides, as in CameraBench), so importing them needs the clip's negative list as well as its positives;
 *  - export-only: every scene overlay → has_overlays (it does not say which overlay);
 *  - not mapped: movement speed "regular", the reference-frame primitives, cinemagraph, focus change caused by
 *    movement (CameraBench has no label for them).
 */

/** A label as this module reads it: the shape of shared/labels Label and of an exported record's primitive. */
export type CameraBenchInput = { primitiveId: string; value: LabelValue; notSure?: boolean };

/** When a row applies: a yes_no/one_of primitive that holds, or a start_end primitive at start, end or both. */
export type RowWhen = "holds" | "start" | "end" | "both";

export type CameraBenchRow = {
  primitive: string;
  when: RowWhen;
  /** Our sub-aspect's value kind for "holds" rows (one_of: import keeps one); start_end rows say start_end. */
  kind: "yes_no" | "one_of" | "start_end";
  /** Positive when the row applies: the id naming it first, then the ids it implies. */
  ids: readonly string[];
  /** Any of these positive brings the primitive back on import; empty: export only. */
  from: readonly string[];
};

// ---------------------------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------------------------

const rows: CameraBenchRow[] = [];

/** A primitive of a yes_no sub-aspect. */
function yes(primitive: string, ids: readonly string[], from: readonly string[] = ids.slice(0, 1)): void {
  rows.push({ primitive, when: "holds", kind: "yes_no", ids, from });
}
/** A primitive of a one_of sub-aspect. */
function one(primitive: string, ids: readonly string[], from: readonly string[] = ids.slice(0, 1)): void {
  rows.push({ primitive, when: "holds", kind: "one_of", ids, from });
}

/** A start→end sub-aspect and CameraBench's is / start_with / end_with ids over the same values. */
type Family = {
  key: FamilyKey;
  subAspect: string;
  /** Id stems: `${is}${value}`, `${start}${value}`, `${end}${value}`. */
  is: string;
  start: string;
  end: string;
  /** Our primitive's last segment → CameraBench's value, in CameraBench's order (high to low, wide to tight). */
  values: Readonly<Record<string, string>>;
  /** Our "not discernible" primitive of the sub-aspect, when the spec has one. */
  notApplicable: string | null;
  /** CameraBench's flag that the family can be judged at all. */
  applicable: string;
};

export const FAMILY_KEYS = ["shot_size", "angle", "height_ground", "height_subject", "focus"] as const;
export type FamilyKey = (typeof FAMILY_KEYS)[number];

const FAMILIES: readonly Family[] = [
  {
    key: "shot_size",
    subAspect: "spatial.shot_size",
    is: "shot_size_is_",
    start: "shot_size_start_with_",
    end: "shot_size_end_with_",
    values: Object.fromEntries(
      ["extreme_wide", "wide", "full", "medium_full", "medium", "medium_close_up", "close_up", "extreme_close_up"].map((v) => [v, v]),
    ),
    notApplicable: "spatial.shot_size.not_applicable",
    applicable: "is_shot_size_applicable",
  },
  {
    key: "angle",
    subAspect: "camera.angle",
    is: "camera_angle_is_",
    start: "camera_angle_start_with_",
    end: "camera_angle_end_with_",
    values: { birds_eye: "bird_eye_angle", high: "high_angle", level: "level_angle", low: "low_angle", worms_eye: "worm_eye_angle" },
    notApplicable: "camera.angle.not_applicable",
    applicable: "is_camera_angle_applicable",
  },
  {
    key: "height_ground",
    subAspect: "camera.height_ground",
    is: "height_wrt_ground_is_",
    start: "height_wrt_ground_start_with_",
    end: "height_wrt_ground_end_with_",
    values: {
      aerial: "aerial_level",
      overhead: "overhead_level",
      eye_level: "eye_level",
      hip_level: "hip_level",
      ground_level: "ground_level",
      water_level: "water_level",
      underwater: "underwater_level",
    },
    notApplicable: "camera.height_ground.not_applicable",
    applicable: "is_height_wrt_ground_applicable",
  },
  {
    key: "height_subject",
    subAspect: "spatial.camera_height_subject",
    is: "height_wrt_subject_is_",
    start: "height_wrt_subject_start_with_",
    end: "height_wrt_subject_end_with_",
    values: { above_subject: "above_subject", at_subject: "at_subject", below_subject: "below_subject" },
    notApplicable: null,
    applicable: "is_subject_height_applicable",
  },
  {
    key: "focus",
    subAspect: "camera.focus_plane",
    is: "focus_is_",
    start: "focus_start_with_",
    end: "focus_end_with_",
    values: { foreground: "foreground", middle_ground: "middle_ground", background: "background", out_of_focus: "out_of_focus" },
    notApplicable: "camera.focus_plane.not_applicable",
    // CameraBench: is_focus_applicable = the depth of field can be classified (camera_setup_data.py).
    applicable: "is_focus_applicable",
  },
];

const FOCUS_APPLICABILITY = { subAspect: "camera.depth_of_field", notApplicable: "camera.depth_of_field.not_applicable" } as const;

for (const f of FAMILIES) {
  for (const [ours, cb] of Object.entries(f.values)) {
    const primitive = `${f.subAspect}.${ours}`;
    rows.push({ primitive, when: "both", kind: "start_end", ids: [`${f.is}${cb}`, `${f.start}${cb}`, `${f.end}${cb}`], from: [`${f.is}${cb}`] });
    rows.push({ primitive, when: "start", kind: "start_end", ids: [`${f.start}${cb}`], from: [`${f.start}${cb}`] });
    rows.push({ primitive, when: "end", kind: "start_end", ids: [`${f.end}${cb}`], from: [`${f.end}${cb}`] });
  }
}

// Shot transition: CameraBench flags it on both label sets.
yes("camera.shot_transition.has_transition", ["has_shot_transition_cam_motion", "has_shot_transition_cam_setup"], [
  "has_shot_transition_cam_motion",
  "has_shot_transition_cam_setup",
]);

// Focus. Rack and pull differ only in speed; CameraBench's one label imports as rack focus.
yes("camera.focus_change.rack_focus", ["is_rack_pull_focus"]);
yes("camera.focus_change.pull_focus", ["is_rack_pull_focus"], []);
yes("camera.focus_change.focus_tracking", ["is_focus_tracking"]);
yes("camera.focus_change.near_to_far", ["focus_change_from_near_to_far", "focus_change"]);
yes("camera.focus_change.far_to_near", ["focus_change_from_far_to_near", "focus_change"]);
yes("camera.focus_change.in_to_out", ["focus_change_from_in_to_out_of_focus"]);
yes("camera.focus_change.out_to_in", ["focus_change_from_out_to_in_focus"]);
one("camera.depth_of_field.deep", ["is_deep_focus"]);
one("camera.depth_of_field.shallow", ["is_shallow_focus"]);
one("camera.depth_of_field.ultra_shallow", ["is_ultra_shallow_focus"]);

// Steadiness and magnitude (camera_motion_data.py: fixed_camera = static and no movement; fixed_camera_with_shake =
// no movement with some shake; stable_camera_motion = a smooth or very smooth move; shaky_camera = unsteady or very
// unsteady). A fixed camera, with or without shake, has no movement.
one("camera.steadiness.static", ["fixed_camera"]);
one("camera.steadiness.static_with_shake", ["fixed_camera_with_shake"]);
one("camera.steadiness.very_smooth", ["very_stable_camera_motion", "stable_camera_motion"]);
one("camera.steadiness.smooth", ["stable_camera_motion"]);
one("camera.steadiness.unsteady", ["shaky_camera"]);
one("camera.steadiness.very_unsteady", ["very_shaky_camera", "shaky_camera"]);
one("camera.movement_magnitude.none", [], ["fixed_camera", "fixed_camera_with_shake"]);
one("camera.movement_magnitude.minor", ["is_minor_motion"]);
one("camera.movement_magnitude.simple", ["is_simple_motion", "clear_moving_camera"]);
one("camera.movement_magnitude.complex", ["is_complex_motion", "clear_moving_camera"]);
one("camera.movement_speed.slow", ["slow_moving_camera"]);
one("camera.movement_speed.fast", ["fast_moving_camera"]);

// Camera-relative movement (camera_centric_movement).
yes("camera.movement_translation.dolly_in", ["has_forward_wrt_camera"]);
yes("camera.movement_translation.dolly_out", ["has_backward_wrt_camera"]);
yes("camera.movement_translation.truck_left", ["has_leftward"]);
yes("camera.movement_translation.truck_right", ["has_rightward"]);
yes("camera.movement_translation.pedestal_up", ["has_upward_wrt_camera"]);
yes("camera.movement_translation.pedestal_down", ["has_downward_wrt_camera"]);
yes("camera.movement_rotation.pan_left", ["has_pan_left"]);
yes("camera.movement_rotation.pan_right", ["has_pan_right"]);
yes("camera.movement_rotation.tilt_up", ["has_tilt_up"]);
yes("camera.movement_rotation.tilt_down", ["has_tilt_down"]);
// Same convention: clockwise is the camera's turn seen from behind it (spec/camera.yaml, ROLL DIRECTION).
yes("camera.movement_rotation.roll_clockwise", ["has_roll_clockwise"]);
yes("camera.movement_rotation.roll_counterclockwise", ["has_roll_counterclockwise"]);
yes("camera.intrinsic.zoom_in", ["has_zoom_in"]);
yes("camera.intrinsic.zoom_out", ["has_zoom_out"]);

// Ground-relative movement: the birds_worms_included ids hold whatever the angle; the plain *_wrt_ground ids only
// when the clip starts at a high, level or low angle (derived below).
yes("camera.movement_ground.forward", ["has_forward_wrt_ground_birds_worms_included"], ["has_forward_wrt_ground_birds_worms_included", "has_forward_wrt_ground"]);
yes("camera.movement_ground.backward", ["has_backward_wrt_ground_birds_worms_included"], ["has_backward_wrt_ground_birds_worms_included", "has_backward_wrt_ground"]);
yes("camera.movement_ground.up", ["has_upward_wrt_ground_birds_worms_included"], ["has_upward_wrt_ground_birds_worms_included", "has_upward_wrt_ground"]);
yes("camera.movement_ground.down", ["has_downward_wrt_ground_birds_worms_included"], ["has_downward_wrt_ground_birds_worms_included", "has_downward_wrt_ground"]);

// Arc (clockwise as seen from above: CameraBench's "arc leftward"), crane, dolly zoom.
yes("camera.movement_circular.arc_clockwise", ["has_arc_clockwise"]);
yes("camera.movement_circular.arc_counterclockwise", ["has_arc_counterclockwise"]);
yes("camera.movement_circular.crane_up", ["has_crane_up"]);
yes("camera.movement_circular.crane_down", ["has_crane_down"]);
yes("camera.dolly_zoom.dolly_in_zoom_out", ["has_dolly_in_zoom_out"]);
yes("camera.dolly_zoom.dolly_out_zoom_in", ["has_dolly_out_zoom_in"]);

// Tracking (object_centric_movement); every kind is a tracking shot.
const TRACKING: Readonly<Record<string, string>> = {
  side_tracking: "side_tracking_shot",
  lead_tracking: "lead_tracking_shot",
  tail_tracking: "tail_tracking_shot",
  front_side_tracking: "front_side_tracking_shot",
  rear_side_tracking: "rear_side_tracking_shot",
  aerial_tracking: "aerial_tracking_shot",
  arc_tracking: "arc_tracking_shot",
  pan_tracking: "pan_tracking_shot",
  tilt_tracking: "tilt_tracking_shot",
};
for (const [ours, cb] of Object.entries(TRACKING)) yes(`camera.tracking.${ours}`, [cb, "tracking_shot"]);
yes("camera.tracking.subject_grows", ["tracking_subject_larger_size"]);
yes("camera.tracking.subject_shrinks", ["tracking_subject_smaller_size"]);

// Video speed (camera_setup_data.py: fast_motion holds for fast motion and time-lapse alike).
yes("camera.video_speed.regular", ["regular_speed"]);
yes("camera.video_speed.time_lapse", ["time_lapse", "fast_motion"]);
yes("camera.video_speed.fast_motion", ["fast_motion_without_time_lapse", "fast_motion"], ["fast_motion_without_time_lapse", "fast_motion"]);
yes("camera.video_speed.slow_motion", ["slow_motion"]);
yes("camera.video_speed.stop_motion", ["stop_motion"]);
yes("camera.video_speed.speed_ramp", ["speed_ramp"]);
yes("camera.video_speed.reversed", ["time_reversed"]);

one("camera.lens_distortion.none", ["no_lens_distortion"]);
one("camera.lens_distortion.barrel", ["barrel_distortion", "with_lens_distortion"]);
one("camera.lens_distortion.fisheye", ["fisheye_distortion", "with_lens_distortion"]);

yes("camera.height_change.above_water_to_underwater", ["above_water_to_underwater"]);
yes("camera.height_change.underwater_to_above_water", ["underwater_to_above_water"]);
yes("camera.angle_dutch.dutch_fixed", ["is_dutch_angle_fixed", "is_dutch_angle"]);
yes("camera.angle_dutch.dutch_varying", ["is_dutch_angle_varying", "is_dutch_angle"]);
yes("camera.effects.frame_freeze", ["has_frame_freezing"]);
yes("camera.effects.motion_blur", ["has_motion_blur"]);

// Spatial: CameraBench's camera set-up labels shot size, subject framing and height relative to the subject.
yes("spatial.shot_size_change.wide_to_tight", ["shot_size_change_from_large_to_small", "shot_size_change"]);
yes("spatial.shot_size_change.tight_to_wide", ["shot_size_change_from_small_to_large", "shot_size_change"]);
yes("spatial.shot_size_change.subject_revealing", ["subject_revealing"]);
yes("spatial.shot_size_change.subject_disappearing", ["subject_disappearing"]);
yes("spatial.shot_size_change.subject_switching", ["subject_switching"]);
one("spatial.subject_framing.single_dominant", ["has_single_dominant_subject", "is_framing_subject"]);
// CameraBench counts a subject singled out among many as a single dominant subject too (camera_setup_data.py).
one("spatial.subject_framing.many_one_in_focus", ["is_just_many_subject_one_focus_shot", "has_single_dominant_subject", "is_framing_subject"]);
one("spatial.subject_framing.many_none_in_focus", ["is_just_many_subject_no_focus_shot"]);
one("spatial.subject_framing.change_of_subject", ["is_just_change_of_subject_shot", "has_subject_change", "is_framing_subject"]);
one("spatial.subject_framing.scenery_only", ["is_just_scenery_shot"]);

// Scene: scene movement, point of view (broadcast, drone and game views are objective too), overlays.
one("scene.dynamics.static", ["static_scene", "mostly_static_scene"]);
one("scene.dynamics.mostly_static", ["mostly_static_scene"]);
one("scene.dynamics.dynamic", ["dynamic_scene"]);
const POV: ReadonlyArray<[string, string, boolean]> = [
  ["first_person", "first_person_pov", false],
  ["third_person_full_body", "third_person_full_body_game_pov", true],
  ["over_the_shoulder", "third_person_over_shoulder_pov", false],
  ["over_the_hip", "third_person_over_hip_pov", false],
  ["side_view", "third_person_side_view_game_pov", true],
  ["top_down", "third_person_top_down_game_pov", true],
  ["isometric", "third_person_isometric_game_pov", true],
  ["drone", "drone_pov", true],
  ["broadcast", "broadcast_pov", true],
  ["overhead", "overhead_pov", false],
  ["selfie", "selfie_pov", false],
  ["screen_recording", "screen_recording_pov", false],
  ["dashcam", "dashcam_pov", false],
  ["locked_on", "locked_on_pov", false],
  ["objective", "objective_pov", false],
];
for (const [ours, cb, objective] of POV) one(`scene.point_of_view.${ours}`, objective ? [cb, "objective_pov"] : [cb]);
for (const o of ["on_screen_text", "title", "subtitles", "logo_watermark", "icon", "hud_game_ui", "timestamp", "border", "split_screen", "picture_in_picture"]) {
  yes(`scene.overlay.${o}`, ["has_overlays"], []);
}

/** The table: every row, in order (import keeps the first of competing one_of rows). */
export const CAMERABENCH_ROWS: readonly CameraBenchRow[] = rows;

// ---------------------------------------------------------------------------------------------------------------
// Derived ids (CameraBench computes them from start/end pairs; camera_setup_data.py)
// ---------------------------------------------------------------------------------------------------------------

const ANGLE_ORDER = ["birds_eye", "high", "level", "low", "worms_eye"];
const GROUND_ORDER = ["aerial", "overhead", "eye_level", "hip_level", "ground_level"];
const SUBJECT_ORDER = ["above_subject", "at_subject", "below_subject"];
const FOCUS_PLANES = ["foreground", "middle_ground", "background"];
const ANGLE_SHORT: Readonly<Record<string, string>> = { high: "high", level: "level", low: "low" };
const GROUND_MOVES = ["forward", "backward", "up", "down"] as const;
const GROUND_ID: Record<(typeof GROUND_MOVES)[number], string> = { forward: "forward", backward: "backward", up: "upward", down: "downward" };

const pairs = (values: readonly string[]) => values.flatMap((a) => values.filter((b) => b !== a).map((b) => [a, b] as const));

/** Every derived id, with its family (undecided with it) or null, and its aspect. */
const DERIVED: ReadonlyArray<{ id: string; family: FamilyKey | null; aspect: Aspect }> = [
  ...FAMILIES.map((f) => ({ id: f.applicable, family: f.key, aspect: aspectOfSubAspect(f.subAspect) })),
  ...pairs(Object.keys(ANGLE_SHORT)).map(([a, b]) => ({ id: `camera_angle_from_${a}_to_${b}`, family: "angle" as const, aspect: "camera" as const })),
  ...["camera_angle_change", "camera_angle_change_from_high_to_low", "camera_angle_change_from_low_to_high"].map((id) => ({ id, family: "angle" as const, aspect: "camera" as const })),
  ...["height_wrt_ground_change_from_high_to_low", "height_wrt_ground_change_from_low_to_high"].map((id) => ({ id, family: "height_ground" as const, aspect: "camera" as const })),
  ...pairs(SUBJECT_ORDER).map(([a, b]) => ({ id: `height_wrt_subject_from_${a}_to_${b}`, family: "height_subject" as const, aspect: "spatial" as const })),
  ...["height_wrt_subject_change", "height_wrt_subject_change_from_high_to_low", "height_wrt_subject_change_from_low_to_high"].map((id) => ({ id, family: "height_subject" as const, aspect: "spatial" as const })),
  ...pairs(FOCUS_PLANES).map(([a, b]) => ({ id: `focus_from_${a}_to_${b}`, family: "focus" as const, aspect: "camera" as const })),
  ...GROUND_MOVES.map((m) => ({ id: `has_${GROUND_ID[m]}_wrt_ground`, family: null, aspect: "camera" as const })),
  ...["side_tracking_shot_leftward", "side_tracking_shot_rightward"].map((id) => ({ id, family: null, aspect: "camera" as const })),
];

// ---------------------------------------------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------------------------------------------

function aspectOfSubAspect(id: string): Aspect {
  return id.slice(0, id.indexOf(".")) as Aspect;
}
const subAspectOf = (primitive: string) => primitive.slice(0, primitive.lastIndexOf("."));

/** Which family's applicability a sub-aspect's ids depend on. */
const FAMILY_OF_SUB_ASPECT: Readonly<Record<string, FamilyKey>> = {
  "spatial.shot_size": "shot_size",
  "spatial.shot_size_change": "shot_size",
  "camera.angle": "angle",
  "camera.angle_dutch": "angle",
  "camera.height_ground": "height_ground",
  "camera.height_change": "height_ground",
  "spatial.camera_height_subject": "height_subject",
  "camera.focus_plane": "focus",
  "camera.focus_change": "focus",
  "camera.depth_of_field": "focus",
};

type IdInfo = { aspect: Aspect; family: FamilyKey | null };
const ID_INFO = new Map<string, IdInfo>();
for (const r of rows) {
  const sub = subAspectOf(r.primitive);
  for (const id of r.ids) ID_INFO.set(id, { aspect: aspectOfSubAspect(sub), family: FAMILY_OF_SUB_ASPECT[sub] ?? null });
}
for (const d of DERIVED) ID_INFO.set(d.id, { aspect: d.aspect, family: d.family });

/** Every id toCameraBench can give, in a stable order: the ids a CameraBench export of ours lists. */
export const CAMERABENCH_EXPORT_IDS: readonly string[] = [...ID_INFO.keys()];

/** Every id import reads: the rows' own, and the applicability flags that tell "not discernible". */
export const CAMERABENCH_IMPORT_IDS: readonly string[] = [...new Set([...rows.flatMap((r) => r.from), ...FAMILIES.map((f) => f.applicable)])];

/** The aspect whose labels decide an exported id: a clip without that aspect's labels is neither positive nor negative. */
export function cameraBenchAspect(id: string): Aspect | null {
  return ID_INFO.get(id)?.aspect ?? null;
}

/** Our primitives the table maps (either way). */
export const CAMERABENCH_PRIMITIVES: readonly string[] = [
  ...new Set([...rows.map((r) => r.primitive), ...FAMILIES.flatMap((f) => (f.notApplicable ? [f.notApplicable] : [])), FOCUS_APPLICABILITY.notApplicable]),
];

/** The 3 label files whose name is not the label's id (video_annotation_folk labels/**). */
const FILE_NAME_IDS: Readonly<Record<string, string>> = {
  track_shot: "tracking_shot",
  stable_camera: "stable_camera_motion",
  very_stable_camera: "very_stable_camera_motion",
};

/** A CameraBench id from the dotted label of a per-export list ("cam_motion.camera_centric_movement.roll_clockwise.
 *  has_roll_clockwise" → "has_roll_clockwise"; "…object_centric_movement.track_shot" → "tracking_shot"). */
export function cameraBenchIdOfPath(dotted: string): string {
  const last = dotted.slice(dotted.lastIndexOf(".") + 1);
  return FILE_NAME_IDS[last] ?? last;
}

/** The dotted label (its path under labels/) of an id we export; throws for one we never write. */
export function cameraBenchPath(id: string): string {
  const meta = CAMERABENCH_LABELS[id];
  if (!meta) throw new Error(`no CameraBench label metadata for "${id}"`);
  return meta.path;
}

// ---------------------------------------------------------------------------------------------------------------
// Ours → CameraBench
// ---------------------------------------------------------------------------------------------------------------

const rowApplies = (r: CameraBenchRow, l: CameraBenchInput) =>
  r.primitive === l.primitiveId && (r.when === "holds" ? l.value.kind !== "start_end" : l.value.kind === "start_end" && l.value.at === r.when);

const ROWS_BY_PRIMITIVE = new Map<string, CameraBenchRow[]>();
for (const r of rows) ROWS_BY_PRIMITIVE.set(r.primitive, [...(ROWS_BY_PRIMITIVE.get(r.primitive) ?? []), r]);

const idsOf = (l: CameraBenchInput) => (ROWS_BY_PRIMITIVE.get(l.primitiveId) ?? []).filter((r) => rowApplies(r, l)).flatMap((r) => r.ids);

type Ends = { start: string | null; end: string | null; na: { start: boolean; end: boolean }; answered: boolean };

/** A family's start and end values (our last id segment), from sure labels. */
function endsOf(f: Family, labels: readonly CameraBenchInput[]): Ends {
  const out: Ends = { start: null, end: null, na: { start: false, end: false }, answered: false };
  for (const l of labels) {
    if (l.value.kind !== "start_end" || subAspectOf(l.primitiveId) !== f.subAspect) continue;
    out.answered = true;
    const at = l.value.at;
    const na = l.primitiveId === f.notApplicable;
    const value = l.primitiveId.slice(f.subAspect.length + 1);
    if (at === "start" || at === "both") {
      if (na) out.na.start = true;
      else out.start ??= value;
    }
    if (at === "end" || at === "both") {
      if (na) out.na.end = true;
      else out.end ??= value;
    }
  }
  return out;
}

/** What a clip's labels say in CameraBench's terms: the ids that hold, and the ids it gives no answer for (not sure,
 *  not discernible, not labelled, or any id at all after a shot transition). Every other exported id is negative
 *  for a clip that has labels of the id's aspect. */
export type CameraBenchView = { positive: string[]; unknown: string[] };

export function cameraBenchView(labels: readonly CameraBenchInput[]): CameraBenchView {
  const sure = labels.filter((l) => !l.notSure);
  const positive = new Set<string>(sure.flatMap(idsOf));
  const unknown = new Set<string>(labels.filter((l) => l.notSure).flatMap(idsOf));
  const has = (primitive: string) => sure.some((l) => l.primitiveId === primitive);
  const familyIds = (key: FamilyKey) => CAMERABENCH_EXPORT_IDS.filter((id) => ID_INFO.get(id)?.family === key);
  const ends = new Map<FamilyKey, Ends>(FAMILIES.map((f) => [f.key, endsOf(f, sure)]));

  for (const f of FAMILIES) {
    const e = ends.get(f.key)!;
    // Applicability: decided by the depth of field for focus (as CameraBench does), by the start/end values otherwise.
    const decider = f.key === "focus" ? sure.filter((l) => subAspectOf(l.primitiveId) === FOCUS_APPLICABILITY.subAspect) : null;
    const answered = decider ? decider.length > 0 : e.answered;
    const applicable = decider ? decider.some((l) => l.primitiveId !== FOCUS_APPLICABILITY.notApplicable) : e.start !== null || e.end !== null;
    const ids = familyIds(f.key);
    if (!answered || labels.some((l) => l.notSure && subAspectOf(l.primitiveId) === f.subAspect)) {
      for (const id of ids) unknown.add(id);
      continue;
    }
    if (applicable) positive.add(f.applicable);
    else for (const id of ids) if (id !== f.applicable) unknown.add(id);
    // An open start or end (not labelled, or not discernible) decides nothing about the ids that read it.
    const valueIds = (stem: string) => Object.values(f.values).map((cb) => `${stem}${cb}`);
    const derived = DERIVED.filter((d) => d.family === f.key && d.id !== f.applicable).map((d) => d.id);
    if (e.start === null) for (const id of [...valueIds(f.start), ...valueIds(f.is), ...derived]) unknown.add(id);
    if (e.end === null) for (const id of [...valueIds(f.end), ...valueIds(f.is), ...derived]) unknown.add(id);
    deriveChanges(f, e, positive, has);
  }

  // Plain *_wrt_ground ids hold only for a clip that starts at a high, level or low angle.
  const angle = ends.get("angle")!;
  for (const m of GROUND_MOVES) {
    const id = `has_${GROUND_ID[m]}_wrt_ground`;
    if (angle.start === null || !(angle.start in ANGLE_SHORT)) unknown.add(id);
    else if (has(`camera.movement_ground.${m}`)) positive.add(id);
  }
  if (has("camera.tracking.side_tracking") && has("camera.movement_translation.truck_left")) positive.add("side_tracking_shot_leftward");
  if (has("camera.tracking.side_tracking") && has("camera.movement_translation.truck_right")) positive.add("side_tracking_shot_rightward");

  // After a transition CameraBench decides nothing else about the clip.
  if (has("camera.shot_transition.has_transition")) for (const id of CAMERABENCH_EXPORT_IDS) unknown.add(id);
  for (const id of positive) unknown.delete(id);
  const order = (ids: Set<string>) => CAMERABENCH_EXPORT_IDS.filter((id) => ids.has(id));
  return { positive: order(positive), unknown: order(unknown) };
}

/** The CameraBench ids that hold for a clip's labels (sure labels only), in export order. */
export function toCameraBench(labels: readonly CameraBenchInput[]): string[] {
  return cameraBenchView(labels).positive;
}

/** from_to and *_change ids of a family whose start and end differ (camera_setup_data.py). */
function deriveChanges(f: Family, e: Ends, positive: Set<string>, has: (p: string) => boolean): void {
  const { start, end } = e;
  if (start === null || end === null || start === end) return;
  const direction = (order: readonly string[], stem: string) => {
    const a = order.indexOf(start);
    const b = order.indexOf(end);
    if (a < 0 || b < 0) return false;
    // Later in CameraBench's order is lower (angle: toward worm's-eye; height: toward the ground or below the subject).
    positive.add(b > a ? `${stem}_from_high_to_low` : `${stem}_from_low_to_high`);
    return true;
  };
  switch (f.key) {
    case "angle":
      positive.add("camera_angle_change");
      direction(ANGLE_ORDER, "camera_angle_change");
      if (start in ANGLE_SHORT && end in ANGLE_SHORT) positive.add(`camera_angle_from_${start}_to_${end}`);
      return;
    case "height_ground":
      direction(GROUND_ORDER, "height_wrt_ground_change");
      return;
    case "height_subject":
      positive.add("height_wrt_subject_change");
      direction(SUBJECT_ORDER, "height_wrt_subject_change");
      positive.add(`height_wrt_subject_from_${start}_to_${end}`);
      return;
    case "focus":
      // CameraBench says from X to Y only for a rack or pull between two planes.
      if (FOCUS_PLANES.includes(start) && FOCUS_PLANES.includes(end) && (has("camera.focus_change.rack_focus") || has("camera.focus_change.pull_focus"))) {
        positive.add(`focus_from_${start}_to_${end}`);
      }
      return;
    case "shot_size":
      return;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// CameraBench → ours
// ---------------------------------------------------------------------------------------------------------------

const label = (primitiveId: string, value: LabelValue): Label => ({ primitiveId, value, notSure: false, timeStart: null, timeEnd: null, note: null });

/**
 * Our labels from a clip's CameraBench ids: `positive` are the labels that hold; `negative` (optional) the labels
 * the clip was judged not to hold, needed only to read "not discernible" (a negative *_applicable flag). Ids the
 * table does not know are ignored, and so are derived ids (from_to, *_change): the start/end labels carry them.
 */
export function fromCameraBench(positive: Iterable<string>, negative: Iterable<string> = []): Label[] {
  const P = new Set(positive);
  const N = new Set(negative);
  const out: Label[] = [];

  // yes_no and one_of rows, competing within their sub-aspect.
  const bySub = new Map<string, { row: CameraBenchRow; matched: string[] }[]>();
  for (const row of rows) {
    if (row.when !== "holds") continue;
    const matched = row.from.filter((id) => P.has(id));
    if (!matched.length) continue;
    const sub = subAspectOf(row.primitive);
    const list = bySub.get(sub) ?? [];
    if (!list.some((c) => c.row.primitive === row.primitive)) list.push({ row, matched });
    bySub.set(sub, list);
  }
  for (const list of bySub.values()) {
    // A candidate whose ids another candidate implies is that other one (objective_pov under broadcast_pov).
    const within = (ids: readonly string[], of: CameraBenchRow) => ids.every((id) => of.ids.includes(id));
    const kept = list.filter((c) => !list.some((d) => d !== c && within(c.matched, d.row) && !within(d.matched, c.row)));
    const chosen = kept[0]?.row.kind === "one_of" ? kept.slice(0, 1) : kept;
    for (const c of chosen) out.push(label(c.row.primitive, { kind: c.row.kind === "one_of" ? "selected" : "yes" }));
  }

  for (const f of FAMILIES) {
    const pick = (stems: readonly string[]) => {
      const hit = Object.entries(f.values).find(([, cb]) => stems.some((s) => P.has(`${s}${cb}`)));
      return hit ? hit[0] : null;
    };
    const start = pick([f.is, f.start]);
    const end = pick([f.is, f.end]);
    const id = (v: string) => `${f.subAspect}.${v}`;
    if (start !== null && start === end) out.push(label(id(start), { kind: "start_end", at: "both" }));
    else {
      if (start !== null) out.push(label(id(start), { kind: "start_end", at: "start" }));
      if (end !== null) out.push(label(id(end), { kind: "start_end", at: "end" }));
    }
    // What CameraBench leaves open reads as not discernible, where the spec can say it.
    const judged = P.has(f.applicable) || N.has(f.applicable);
    if (f.notApplicable) {
      if (start === null && end === null) {
        if (judged) out.push(label(f.notApplicable, { kind: "start_end", at: "both" }));
      } else if (start === null) out.push(label(f.notApplicable, { kind: "start_end", at: "start" }));
      else if (end === null) out.push(label(f.notApplicable, { kind: "start_end", at: "end" }));
    }
  }
  if (N.has("is_focus_applicable") && !out.some((l) => subAspectOf(l.primitiveId) === FOCUS_APPLICABILITY.subAspect)) {
    out.push(label(FOCUS_APPLICABILITY.notApplicable, { kind: "selected" }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// CameraBench's metadata of the labels we export
// ---------------------------------------------------------------------------------------------------------------

/** A label of a CameraBench per-export list: `path` is its dotted label (its file under labels/ of
 *  sy77777en/video_annotation_folk@f4f738f, and the file name in video_labels/<export>/labels/), `name` the label's
 *  display name, `definition` its first definition question, as CameraBench writes them. */
export type CameraBenchLabelMeta = { path: string; name: string; definition: string };

export const CAMERABENCH_LABELS: Readonly<Record<string, CameraBenchLabelMeta>> = {
  has_arc_clockwise: { path: "cam_motion.arc_crane_movement.arc_clockwise.has_arc_clockwise", name: "Has Clockwise Arc Movement", definition: "Does the camera move in a clockwise arc?" },
  has_arc_counterclockwise: { path: "cam_motion.arc_crane_movement.arc_counterclockwise.has_arc_counterclockwise", name: "Has Counterclockwise Arc Movement", definition: "Does the camera move in a counterclockwise arc?" },
  has_crane_down: { path: "cam_motion.arc_crane_movement.crane_down.has_crane_down", name: "Has Crane Down Movement", definition: "Is the camera craning downward in an arc relative to its own frame?" },
  has_crane_up: { path: "cam_motion.arc_crane_movement.crane_up.has_crane_up", name: "Has Crane Up Movement", definition: "Is the camera craning upward in an arc relative to its own frame?" },
  has_backward_wrt_camera: { path: "cam_motion.camera_centric_movement.backward.has_backward_wrt_camera", name: "Has Backward Movement (Relative to Camera)", definition: "Does the camera move backward (not zooming out) with respect to the initial frame?" },
  has_downward_wrt_camera: { path: "cam_motion.camera_centric_movement.downward.has_downward_wrt_camera", name: "Has Downward Movement (Relative to Camera)", definition: "Does the camera move physically downward (or pedestals down) with respect to the initial frame?" },
  has_forward_wrt_camera: { path: "cam_motion.camera_centric_movement.forward.has_forward_wrt_camera", name: "Has Forward Movement (Relative to Camera)", definition: "Does the camera physically move forward (not zooming in) with respect to the initial frame?" },
  has_leftward: { path: "cam_motion.camera_centric_movement.leftward.has_leftward", name: "Has Leftward Movement", definition: "Does the camera move physically leftward (or trucks left)?" },
  has_pan_left: { path: "cam_motion.camera_centric_movement.pan_left.has_pan_left", name: "Has Pan Left Movement", definition: "Does the camera pan to the left?" },
  has_pan_right: { path: "cam_motion.camera_centric_movement.pan_right.has_pan_right", name: "Has Pan Right Movement", definition: "Does the camera pan to the right?" },
  has_rightward: { path: "cam_motion.camera_centric_movement.rightward.has_rightward", name: "Has Rightward Movement", definition: "Does the camera move physically rightward (or trucks right)?" },
  has_roll_clockwise: { path: "cam_motion.camera_centric_movement.roll_clockwise.has_roll_clockwise", name: "Has Clockwise Roll Movement", definition: "Does the camera roll clockwise?" },
  has_roll_counterclockwise: { path: "cam_motion.camera_centric_movement.roll_counterclockwise.has_roll_counterclockwise", name: "Has Counterclockwise Roll Movement", definition: "Does the camera roll counterclockwise?" },
  has_tilt_down: { path: "cam_motion.camera_centric_movement.tilt_down.has_tilt_down", name: "Has Tilt Down Movement", definition: "Does the camera tilt downward?" },
  has_tilt_up: { path: "cam_motion.camera_centric_movement.tilt_up.has_tilt_up", name: "Has Tilt Up Movement", definition: "Does the camera tilt upward?" },
  has_upward_wrt_camera: { path: "cam_motion.camera_centric_movement.upward.has_upward_wrt_camera", name: "Has Upward Movement (Relative to Camera)", definition: "Does the camera move physically upward (or pedestals up) with respect to the initial frame?" },
  has_zoom_in: { path: "cam_motion.camera_centric_movement.zoom_in.has_zoom_in", name: "Has Zoom In (Relative to Camera)", definition: "Does the camera zoom in?" },
  has_zoom_out: { path: "cam_motion.camera_centric_movement.zoom_out.has_zoom_out", name: "Has Zoom Out (Relative to Camera)", definition: "Does the camera zoom out?" },
  has_dolly_in_zoom_out: { path: "cam_motion.dolly_zoom_movement.has_dolly_in_zoom_out", name: "Has Dolly In and Zoom Out Movement", definition: "Does the shot feature a dolly zoom effect with the camera moving forward and zooming out?" },
  has_dolly_out_zoom_in: { path: "cam_motion.dolly_zoom_movement.has_dolly_out_zoom_in", name: "Has Dolly Out and Zoom In Movement", definition: "Does the shot feature a dolly zoom effect with the camera moving backward and zooming in?" },
  has_backward_wrt_ground: { path: "cam_motion.ground_centric_movement.backward.has_backward_wrt_ground", name: "Has Backward Movement (Relative to Ground, Bird's/Worm's Eye Views Not Included)", definition: "Is the camera moving physically backward (or dollies out) in the scene?" },
  has_backward_wrt_ground_birds_worms_included: { path: "cam_motion.ground_centric_movement.backward.has_backward_wrt_ground_birds_worms_included", name: "Has Backward Movement (Relative to Ground, Bird's/Worm's Eye Views Included)", definition: "Does the camera move backward relative to the scene (backward normally, south from a bird's-eye view, or north from a worm's eye view)?" },
  has_downward_wrt_ground: { path: "cam_motion.ground_centric_movement.downward.has_downward_wrt_ground", name: "Has Downward Movement (Relative to Ground, Bird's/Worm's Eye Views Not Included)", definition: "Does the camera move physically downward (or pedestals down) relative to the ground?" },
  has_downward_wrt_ground_birds_worms_included: { path: "cam_motion.ground_centric_movement.downward.has_downward_wrt_ground_birds_worms_included", name: "Has Downward Movement (Relative to Ground, Bird's/Worm's Eye Views Included)", definition: "Does the camera move physically downward relative to the ground (even if it's a bird's or worm's eye view)?" },
  has_forward_wrt_ground: { path: "cam_motion.ground_centric_movement.forward.has_forward_wrt_ground", name: "Has Forward Movement (Relative to Ground, Bird’s/Worm’s Eye Views Not Included)", definition: "Is the camera moving physically forward (or dollies in) in the scene?" },
  has_forward_wrt_ground_birds_worms_included: { path: "cam_motion.ground_centric_movement.forward.has_forward_wrt_ground_birds_worms_included", name: "Has Forward Movement (Relative to Ground, Bird’s/Worm’s Eye Views Included)", definition: "Does the camera move forward relative to the scene (forward normally, north from a bird’s-eye view, or south from a worm’s-eye view)?" },
  has_upward_wrt_ground: { path: "cam_motion.ground_centric_movement.upward.has_upward_wrt_ground", name: "Has Upward Movement (Relative to Ground, Bird's/Worm's Eye Views Not Included)", definition: "Does the camera move physically upward (or pedestals up) relative to the ground?" },
  has_upward_wrt_ground_birds_worms_included: { path: "cam_motion.ground_centric_movement.upward.has_upward_wrt_ground_birds_worms_included", name: "Has Upward Movement (Relative to Ground, Bird's/Worm's Eye Views Included)", definition: "Does the camera move physically upward (or pedestals up) relative to the ground (even if it's a bird's or worm's eye view)?" },
  has_frame_freezing: { path: "cam_motion.has_frame_freezing", name: "Has Frame Freezing Effect", definition: "Does the video contain a frame freeze effect at any point?" },
  has_motion_blur: { path: "cam_motion.has_motion_blur", name: "Has Motion Blur Effect", definition: "Does the video contain noticeable motion blur?" },
  has_shot_transition_cam_motion: { path: "cam_motion.has_shot_transition_cam_motion", name: "Shot transition", definition: "Does the video include a shot transition?" },
  is_complex_motion: { path: "cam_motion.motion_complexity.is_complex_motion", name: "Is Complex Motion", definition: "Does the camera show complex motion, such as moving in conflicting directions, or showing different motions at different times, or having multiple movements at different speeds, or is its motion unclear?" },
  is_minor_motion: { path: "cam_motion.motion_complexity.is_minor_motion", name: "Has Minor Motion", definition: "Is the camera motion minimal, hard to discern, or very subtle?" },
  is_simple_motion: { path: "cam_motion.motion_complexity.is_simple_motion", name: "Is Simple Motion", definition: "Does the camera show simple motion, such as moving in a single direction, maintaining a consistent speed, or following a clear and predictable path?" },
  aerial_tracking_shot: { path: "cam_motion.object_centric_movement.aerial_tracking_shot", name: "Aerial Tracking Shot", definition: "Is it an aerial tracking shot where the camera follows the moving subject from an aerial view?" },
  arc_tracking_shot: { path: "cam_motion.object_centric_movement.arc_tracking_shot", name: "Arc Tracking Shot", definition: "Is it an arc tracking shot where the camera follows the moving subject while arcing around them?" },
  front_side_tracking_shot: { path: "cam_motion.object_centric_movement.front_side_tracking_shot", name: "Front-Side Tracking Shot", definition: "Is it a front-side tracking shot where the camera leads the moving subject from a front-side angle?" },
  lead_tracking_shot: { path: "cam_motion.object_centric_movement.lead_tracking_shot", name: "Lead Tracking Shot", definition: "Is it a lead tracking shot where the camera moves ahead of the subject, traveling in the same direction as they approach the camera?" },
  pan_tracking_shot: { path: "cam_motion.object_centric_movement.pan_tracking_shot", name: "Pan Tracking Shot", definition: "Does the camera pan to track the moving subjects?" },
  rear_side_tracking_shot: { path: "cam_motion.object_centric_movement.rear_side_tracking_shot", name: "Rear-Side Tracking Shot", definition: "Is it a rear-side tracking shot where the camera follows the moving subject at a rear-side angle?" },
  side_tracking_shot: { path: "cam_motion.object_centric_movement.side_tracking_shot", name: "Side Tracking Shot", definition: "Is it a side tracking shot with the camera moving from the side to follow the moving subject?" },
  side_tracking_shot_leftward: { path: "cam_motion.object_centric_movement.side_tracking_shot_leftward", name: "Side Tracking Shot (Leftward)", definition: "Is it a side tracking shot where the camera moves left to follow the subject?" },
  side_tracking_shot_rightward: { path: "cam_motion.object_centric_movement.side_tracking_shot_rightward", name: "Side Tracking Shot (Rightward)", definition: "Is it a side tracking shot where the camera moves right to follow the subject?" },
  tail_tracking_shot: { path: "cam_motion.object_centric_movement.tail_tracking_shot", name: "Tail Tracking Shot", definition: "Is it a follow tracking shot where the camera moves behind the subject, traveling in the same direction as they move away from the camera?" },
  tilt_tracking_shot: { path: "cam_motion.object_centric_movement.tilt_tracking_shot", name: "Tilt Tracking Shot", definition: "Does the camera tilt to track the moving subjects?" },
  tracking_shot: { path: "cam_motion.object_centric_movement.track_shot", name: "Tracking Shot", definition: "Does the camera track the subject as they move?" },
  tracking_subject_larger_size: { path: "cam_motion.object_centric_movement.tracking_subject_larger_size", name: "Tracking Shot: Subject Larger", definition: "Does the subject appear larger during the tracking shot?" },
  tracking_subject_smaller_size: { path: "cam_motion.object_centric_movement.tracking_subject_smaller_size", name: "Tracking Shot: Subject Smaller", definition: "Does the subject appear smaller during the tracking shot?" },
  dynamic_scene: { path: "cam_motion.scene_movement.dynamic_scene", name: "Dynamic Scene", definition: "Is the scene in the video dynamic and features movement?" },
  mostly_static_scene: { path: "cam_motion.scene_movement.mostly_static_scene", name: "Mostly Static Scene", definition: "Is the scene in the video mostly static with minimal movement?" },
  static_scene: { path: "cam_motion.scene_movement.static_scene", name: "Static Scene", definition: "Is the scene in the video completely static?" },
  clear_moving_camera: { path: "cam_motion.steadiness_and_movement.clear_moving_camera", name: "Clearly Moving Camera", definition: "Does the camera have noticeable motion beyond minor shake or wobble?" },
  fast_moving_camera: { path: "cam_motion.steadiness_and_movement.fast_moving_camera", name: "Fast Moving Camera", definition: "Does the camera have noticeable motion at a fast speed?" },
  fixed_camera: { path: "cam_motion.steadiness_and_movement.fixed_camera", name: "Fixed Camera (Stable)", definition: "Is the camera completely still without any motion or shaking?" },
  fixed_camera_with_shake: { path: "cam_motion.steadiness_and_movement.fixed_camera_with_shake", name: "Fixed Camera (Somewhat Shaky)", definition: "Is the camera stationary with minor vibrations or shaking?" },
  shaky_camera: { path: "cam_motion.steadiness_and_movement.shaky_camera", name: "Shaky Camera", definition: "Does the camera show any vibrations, shaking, or wobbling?" },
  slow_moving_camera: { path: "cam_motion.steadiness_and_movement.slow_moving_camera", name: "Slowly Moving Camera", definition: "Does the camera have noticeable motion but at a slow motion speed?" },
  stable_camera_motion: { path: "cam_motion.steadiness_and_movement.stable_camera", name: "Stable Camera Motion", definition: "Is the camera movement smooth and stable?" },
  very_shaky_camera: { path: "cam_motion.steadiness_and_movement.very_shaky_camera", name: "Very Shaky Camera", definition: "Does the camera show noticable vibrations, shaking, or wobbling?" },
  very_stable_camera_motion: { path: "cam_motion.steadiness_and_movement.very_stable_camera", name: "Very Stable Camera Motion", definition: "Is the camera movement exceptionally smooth and highly stable?" },
  camera_angle_change: { path: "cam_setup.angle.camera_angle_change", name: "Camera Angle Change", definition: "Does the camera angle change significantly relative to the ground, moving between bird's eye, high angle, level, low angle, or worm's eye view?" },
  camera_angle_change_from_high_to_low: { path: "cam_setup.angle.camera_angle_change_from_high_to_low", name: "Camera Angle Change From High To Low", definition: "Does the camera angle decrease noticeably relative to the ground, moving between bird's eye, high angle, level, low angle, or worm's eye view?" },
  camera_angle_change_from_low_to_high: { path: "cam_setup.angle.camera_angle_change_from_low_to_high", name: "Camera Angle Change From Low To High", definition: "Does the camera angle increase noticeably relative to the ground, moving between worm's eye, low angle, level, high angle, or bird's eye view?" },
  camera_angle_end_with_bird_eye_angle: { path: "cam_setup.angle.end_with.camera_angle_end_with_bird_eye_angle", name: "Camera Angle End With Bird's Eye Angle", definition: "Does the video end with the camera at a bird's eye angle, looking straight down from above?" },
  camera_angle_end_with_high_angle: { path: "cam_setup.angle.end_with.camera_angle_end_with_high_angle", name: "Camera Angle End With High Angle", definition: "Does the video end with the camera at a high angle, looking downward compared to a level angle but not directly top-down?" },
  camera_angle_end_with_level_angle: { path: "cam_setup.angle.end_with.camera_angle_end_with_level_angle", name: "Camera Angle End With Level Angle", definition: "Does the video end with the camera at a level angle, parallel to the ground (even if a Dutch angle is used)?" },
  camera_angle_end_with_low_angle: { path: "cam_setup.angle.end_with.camera_angle_end_with_low_angle", name: "Camera Angle End With Low Angle", definition: "Does the video end with the camera at a low angle, looking upward compared to a level angle but not directly from below?" },
  camera_angle_end_with_worm_eye_angle: { path: "cam_setup.angle.end_with.camera_angle_end_with_worm_eye_angle", name: "Camera Angle End With Worm Eye Angle", definition: "Does the video end with the camera at a worm's eye angle, looking straight up from below?" },
  camera_angle_from_high_to_level: { path: "cam_setup.angle.from_to.camera_angle_from_high_to_level", name: "Camera Angle Shifts from High Angle to Level Angle", definition: "Does the video start with the camera at a high angle and transition to a level angle?" },
  camera_angle_from_high_to_low: { path: "cam_setup.angle.from_to.camera_angle_from_high_to_low", name: "Camera Angle Shifts from High Angle to Low Angle", definition: "Does the video start with the camera at a high angle and transition to a low angle?" },
  camera_angle_from_level_to_high: { path: "cam_setup.angle.from_to.camera_angle_from_level_to_high", name: "Camera Angle Shifts from Level Angle to High Angle", definition: "Does the video start with the camera at a level angle and transition to a high angle?" },
  camera_angle_from_level_to_low: { path: "cam_setup.angle.from_to.camera_angle_from_level_to_low", name: "Camera Angle Shifts from Level Angle to Low Angle", definition: "Does the video start with the camera at a level angle and transition to a low angle?" },
  camera_angle_from_low_to_high: { path: "cam_setup.angle.from_to.camera_angle_from_low_to_high", name: "Camera Angle Shifts from Low Angle to High Angle", definition: "Does the video start with the camera at a low angle and transition to a high angle?" },
  camera_angle_from_low_to_level: { path: "cam_setup.angle.from_to.camera_angle_from_low_to_level", name: "Camera Angle Shifts from Low Angle to Level Angle", definition: "Does the video start with the camera at a low angle and transition to a level angle?" },
  camera_angle_is_bird_eye_angle: { path: "cam_setup.angle.is_always.camera_angle_is_bird_eye_angle", name: "Camera Angle Is Bird's Eye Angle", definition: "Does the camera maintain a bird's eye angle throughout, consistently looking straight down from above?" },
  camera_angle_is_high_angle: { path: "cam_setup.angle.is_always.camera_angle_is_high_angle", name: "Camera Angle Is High Angle", definition: "Does the camera maintain a high angle throughout, consistently looking downward compared to a level angle but not directly top-down?" },
  camera_angle_is_level_angle: { path: "cam_setup.angle.is_always.camera_angle_is_level_angle", name: "Camera Angle Is Level Angle", definition: "Does the camera maintain a level angle parallel to the ground (even if a Dutch angle is used) throughout the video?" },
  camera_angle_is_low_angle: { path: "cam_setup.angle.is_always.camera_angle_is_low_angle", name: "Camera Angle Is Low Angle", definition: "Does the camera maintain a low angle throughout, consistently looking upward compared to a level angle but not directly bottom-up?" },
  camera_angle_is_worm_eye_angle: { path: "cam_setup.angle.is_always.camera_angle_is_worm_eye_angle", name: "Camera Angle Is Worm Eye Angle", definition: "Does the camera maintain a worm's eye angle throughout, consistently looking straight up from below?" },
  is_camera_angle_applicable: { path: "cam_setup.angle.is_camera_angle_applicable", name: "Is Camera Angle Applicable", definition: "Is the camera angle relative to the ground clear enough to be classified or described?" },
  is_dutch_angle: { path: "cam_setup.angle.is_dutch_angle", name: "Is Dutch Angle", definition: "Is there an obvious Dutch (canted) angle (more than 15 degrees) that occurs in the video?" },
  is_dutch_angle_fixed: { path: "cam_setup.angle.is_dutch_angle_fixed", name: "Is Dutch Angle Fixed", definition: "Does the degree of the Dutch (canted) angle stay the same throughout the video?" },
  is_dutch_angle_varying: { path: "cam_setup.angle.is_dutch_angle_varying", name: "Is Dutch Angle Varying", definition: "Does the degree of the Dutch (canted) angle vary during the video?" },
  camera_angle_start_with_bird_eye_angle: { path: "cam_setup.angle.start_with.camera_angle_start_with_bird_eye_angle", name: "Camera Angle Start With Bird's Eye Angle", definition: "Does the video start with the camera at a bird's eye angle, looking straight down from above?" },
  camera_angle_start_with_high_angle: { path: "cam_setup.angle.start_with.camera_angle_start_with_high_angle", name: "Camera Angle Start With High Angle", definition: "Does the video start with the camera at a high angle, looking downward compared to a level angle but not directly top-down?" },
  camera_angle_start_with_level_angle: { path: "cam_setup.angle.start_with.camera_angle_start_with_level_angle", name: "Camera Angle Start With Level Angle", definition: "Does the video start with the camera at a level angle, parallel to the ground (even if a Dutch angle is used)?" },
  camera_angle_start_with_low_angle: { path: "cam_setup.angle.start_with.camera_angle_start_with_low_angle", name: "Camera Angle Start With Low Angle", definition: "Does the video start with the camera at a low angle, looking upward compared to a level angle but not directly from below?" },
  camera_angle_start_with_worm_eye_angle: { path: "cam_setup.angle.start_with.camera_angle_start_with_worm_eye_angle", name: "Camera Angle Start With Worm Eye Angle", definition: "Does the video start with the camera at a worm’s eye angle, looking straight up from below?" },
  focus_end_with_background: { path: "cam_setup.focus.end_with.focus_end_with_background", name: "Focus End With Background", definition: "Does the video end with the camera focusing on the background, using a shallow depth of field?" },
  focus_end_with_foreground: { path: "cam_setup.focus.end_with.focus_end_with_foreground", name: "Focus End With Foreground", definition: "Does the video end with the camera focusing on the foreground, using a shallow depth of field?" },
  focus_end_with_middle_ground: { path: "cam_setup.focus.end_with.focus_end_with_middle_ground", name: "Focus End With Middle Ground", definition: "Does the video end with the camera focusing on the middleground, using a shallow depth of field to blur both the foreground and background?" },
  focus_end_with_out_of_focus: { path: "cam_setup.focus.end_with.focus_end_with_out_of_focus", name: "Focus End With Out of Focus", definition: "Does the video end with the camera completely out of focus?" },
  focus_change: { path: "cam_setup.focus.focus_change", name: "Focus Change", definition: "Does the focal plane shift noticeably between foreground, middleground, or background regions?" },
  focus_change_from_far_to_near: { path: "cam_setup.focus.focus_change_from_far_to_near", name: "Focus Change From Far To Near", definition: "Does the focal plane shift from distant to close, moving between foreground, middleground, or background?" },
  focus_change_from_in_to_out_of_focus: { path: "cam_setup.focus.focus_change_from_in_to_out_of_focus", name: "Focus Changes from In Focus to Out of Focus", definition: "Does the camera start in sharp focus and then shift out of focus?" },
  focus_change_from_near_to_far: { path: "cam_setup.focus.focus_change_from_near_to_far", name: "Focus Change From Near To Far", definition: "Does the focal plane shift from close to distant, moving between foreground, middleground, or background?" },
  focus_change_from_out_to_in_focus: { path: "cam_setup.focus.focus_change_from_out_to_in_focus", name: "Focus Changes from Out of Focus to In Focus", definition: "Does the camera start out of focus and then become in focus?" },
  focus_from_background_to_foreground: { path: "cam_setup.focus.from_to.focus_from_background_to_foreground", name: "Focus Shifts from Background to Foreground", definition: "Does the video start with the camera focused on the background and then shift the focus to the foreground?" },
  focus_from_background_to_middle_ground: { path: "cam_setup.focus.from_to.focus_from_background_to_middle_ground", name: "Focus Shifts from Background to Middle Ground", definition: "Does the video start with the camera focused on the background and then shift the focus to the middleground?" },
  focus_from_foreground_to_background: { path: "cam_setup.focus.from_to.focus_from_foreground_to_background", name: "Focus Shifts from Foreground to Background", definition: "Does the video start with the camera focused on the foreground and then shift the focus to the background?" },
  focus_from_foreground_to_middle_ground: { path: "cam_setup.focus.from_to.focus_from_foreground_to_middle_ground", name: "Focus Shifts from Foreground to Middle Ground", definition: "Does the video start with the camera focused on the foreground and then shift the focus to the middleground?" },
  focus_from_middle_ground_to_background: { path: "cam_setup.focus.from_to.focus_from_middle_ground_to_background", name: "Focus Shifts from Middle Ground to Background", definition: "Does the video start with the camera focused on the middle ground and then shift the focus to the background?" },
  focus_from_middle_ground_to_foreground: { path: "cam_setup.focus.from_to.focus_from_middle_ground_to_foreground", name: "Focus Shifts from Middle Ground to Foreground", definition: "Does the video start with the camera focused on the middle ground and then shift the focus to the foreground?" },
  focus_is_background: { path: "cam_setup.focus.is_always.focus_is_background", name: "Focus Is Background", definition: "Is the camera consistently focused on the background using a shallow depth of field?" },
  focus_is_foreground: { path: "cam_setup.focus.is_always.focus_is_foreground", name: "Focus Is Foreground", definition: "Is the camera consistently focused on the foreground using a shallow depth of field?" },
  focus_is_middle_ground: { path: "cam_setup.focus.is_always.focus_is_middle_ground", name: "Focus Is Middle Ground", definition: "Is the camera consistently focused on the middleground, keeping the foreground and background blurred?" },
  focus_is_out_of_focus: { path: "cam_setup.focus.is_always.focus_is_out_of_focus", name: "Focus Is Out of Focus", definition: "Is the camera consistently out of focus throughout?" },
  is_deep_focus: { path: "cam_setup.focus.is_deep_focus", name: "Is Deep Focus", definition: "Does the camera use a deep depth of field with distant details remaining sharp?" },
  is_focus_applicable: { path: "cam_setup.focus.is_focus_applicable", name: "Is Focus Applicable", definition: "Is the camera’s depth of field clear enough to be classified or described?" },
  is_focus_tracking: { path: "cam_setup.focus.is_focus_tracking", name: "Is Focus Tracking", definition: "Does the camera use focus tracking to keep a subject in focus in the video?" },
  is_rack_pull_focus: { path: "cam_setup.focus.is_rack_pull_focus", name: "Is Rack Pull Focus", definition: "Does the camera use rack focus or pull focus to shift the focus plane?" },
  is_shallow_focus: { path: "cam_setup.focus.is_shallow_focus", name: "Is Shallow Focus", definition: "Does the camera use shallow depth of field, with a limited but noticeable range of space in focus?" },
  is_ultra_shallow_focus: { path: "cam_setup.focus.is_ultra_shallow_focus", name: "Is Ultra Shallow Focus", definition: "Is the camera using extremely shallow depth of field, with only a narrow plane in focus?" },
  focus_start_with_background: { path: "cam_setup.focus.start_with.focus_start_with_background", name: "Focus Start With Background", definition: "Does the video start with the camera focusing on the background, using a shallow depth of field?" },
  focus_start_with_foreground: { path: "cam_setup.focus.start_with.focus_start_with_foreground", name: "Focus Start With Foreground", definition: "Does the video start with the camera focusing on the foreground, using a shallow depth of field?" },
  focus_start_with_middle_ground: { path: "cam_setup.focus.start_with.focus_start_with_middle_ground", name: "Focus Start With Middle Ground", definition: "Does the video start with the camera focusing on the middleground, using a shallow depth of field to blur both the foreground and background?" },
  focus_start_with_out_of_focus: { path: "cam_setup.focus.start_with.focus_start_with_out_of_focus", name: "Focus Start With Out of Focus", definition: "Does the video start with the camera completely out of focus?" },
  has_overlays: { path: "cam_setup.has_overlays", name: "Has Overlays", definition: "Does the shot contain any on-screen overlays, such as watermarks, titles, subtitles, icons, heads-up displays (HUDs), or framing elements?" },
  has_shot_transition_cam_setup: { path: "cam_setup.has_shot_transition_cam_setup", name: "Shot transition", definition: "Does the video include a shot transition?" },
  above_water_to_underwater: { path: "cam_setup.height_wrt_ground.above_water_to_underwater", name: "Above Water To Underwater", definition: "Does the camera transition from above water to underwater?" },
  height_wrt_ground_end_with_aerial_level: { path: "cam_setup.height_wrt_ground.end_with.height_wrt_ground_end_with_aerial_level", name: "Height Wrt Ground End With Aerial Level", definition: "Does the video end with the camera positioned high at an aerial level?" },
  height_wrt_ground_end_with_eye_level: { path: "cam_setup.height_wrt_ground.end_with.height_wrt_ground_end_with_eye_level", name: "Height Wrt Ground End With Eye Level", definition: "Does the video end with the camera at eye level (roughly at a person's eye height, above the waist)?" },
  height_wrt_ground_end_with_ground_level: { path: "cam_setup.height_wrt_ground.end_with.height_wrt_ground_end_with_ground_level", name: "Height Wrt Ground End With Ground Level", definition: "Does the video end with the camera at ground level, positioned close to the ground?" },
  height_wrt_ground_end_with_hip_level: { path: "cam_setup.height_wrt_ground.end_with.height_wrt_ground_end_with_hip_level", name: "Height Wrt Ground End With Hip Level", definition: "Does the video end with the camera at hip level, roughly between knee and waist height, whether or not a human subject is present?" },
  height_wrt_ground_end_with_overhead_level: { path: "cam_setup.height_wrt_ground.end_with.height_wrt_ground_end_with_overhead_level", name: "Height Wrt Ground End With Overhead Level", definition: "Does the video end with the camera at an overhead level, above eye level but below aerial (around second-floor height)?" },
  height_wrt_ground_end_with_underwater_level: { path: "cam_setup.height_wrt_ground.end_with.height_wrt_ground_end_with_underwater_level", name: "Height Wrt Ground End With Underwater Level", definition: "Does the video end with the camera fully submerged underwater?" },
  height_wrt_ground_end_with_water_level: { path: "cam_setup.height_wrt_ground.end_with.height_wrt_ground_end_with_water_level", name: "Height Wrt Ground End With Water Level", definition: "Does the video end with the camera near water level, showing the waterline clearly and not from an aerial view?" },
  height_wrt_ground_change_from_high_to_low: { path: "cam_setup.height_wrt_ground.height_wrt_ground_change_from_high_to_low", name: "Height Wrt Ground Change From High To Low", definition: "Does the camera height decrease noticeably in relation to the ground, shifting between levels like aerial, overhead, eye, hip, or ground?" },
  height_wrt_ground_change_from_low_to_high: { path: "cam_setup.height_wrt_ground.height_wrt_ground_change_from_low_to_high", name: "Height Wrt Ground Change From Low To High", definition: "Does the camera height increase noticeably in relation to the ground, shifting between levels like aerial, overhead, eye, hip, or ground?" },
  height_wrt_ground_is_aerial_level: { path: "cam_setup.height_wrt_ground.is_always.height_wrt_ground_is_aerial_level", name: "Height Wrt Ground Is Aerial Level", definition: "Is the camera positioned at an aerial level throughout the video?" },
  height_wrt_ground_is_eye_level: { path: "cam_setup.height_wrt_ground.is_always.height_wrt_ground_is_eye_level", name: "Height Wrt Ground Is Eye Level", definition: "Is the camera positioned at eye level throughout the video (roughly at a person's eye height, above the waist)?" },
  height_wrt_ground_is_ground_level: { path: "cam_setup.height_wrt_ground.is_always.height_wrt_ground_is_ground_level", name: "Height Wrt Ground Is Ground Level", definition: "Is the camera positioned at ground level throughout the video, positioned close to the ground?" },
  height_wrt_ground_is_hip_level: { path: "cam_setup.height_wrt_ground.is_always.height_wrt_ground_is_hip_level", name: "Height Wrt Ground Is Hip Level", definition: "Is the camera positioned at hip level throughout the video, roughly between knee and waist height, whether or not a human subject is present?" },
  height_wrt_ground_is_overhead_level: { path: "cam_setup.height_wrt_ground.is_always.height_wrt_ground_is_overhead_level", name: "Height Wrt Ground Is Overhead Level", definition: "Is the camera positioned at an overhead level throughout the video, above eye level but below aerial (around second-floor height)?" },
  height_wrt_ground_is_underwater_level: { path: "cam_setup.height_wrt_ground.is_always.height_wrt_ground_is_underwater_level", name: "Height Wrt Ground Is Underwater Level", definition: "Is the camera fully submerged underwater throughout the video, capturing scenes beneath the water’s surface?" },
  height_wrt_ground_is_water_level: { path: "cam_setup.height_wrt_ground.is_always.height_wrt_ground_is_water_level", name: "Height Wrt Ground Is Water Level", definition: "Is the camera positioned at water level throughout the video, above the water surface with the waterline clearly visible?" },
  is_height_wrt_ground_applicable: { path: "cam_setup.height_wrt_ground.is_height_wrt_ground_applicable", name: "Is Height With Respect to Ground Applicable", definition: "Is the camera height relative to the ground or water level clear enough to be classified or described?" },
  height_wrt_ground_start_with_aerial_level: { path: "cam_setup.height_wrt_ground.start_with.height_wrt_ground_start_with_aerial_level", name: "Height Wrt Ground Start With Aerial Level", definition: "Does the video start with the camera positioned high at an aerial level?" },
  height_wrt_ground_start_with_eye_level: { path: "cam_setup.height_wrt_ground.start_with.height_wrt_ground_start_with_eye_level", name: "Height Wrt Ground Start With Eye Level", definition: "Does the video start with the camera at eye level (roughly at a person’s eye height, above the waist)?" },
  height_wrt_ground_start_with_ground_level: { path: "cam_setup.height_wrt_ground.start_with.height_wrt_ground_start_with_ground_level", name: "Height Wrt Ground Start With Ground Level", definition: "Does the video start with the camera at ground level, positioned close to the ground?" },
  height_wrt_ground_start_with_hip_level: { path: "cam_setup.height_wrt_ground.start_with.height_wrt_ground_start_with_hip_level", name: "Height Wrt Ground Start With Hip Level", definition: "Does the video start with the camera at hip level, roughly between knee and waist height, whether or not a human subject is present?" },
  height_wrt_ground_start_with_overhead_level: { path: "cam_setup.height_wrt_ground.start_with.height_wrt_ground_start_with_overhead_level", name: "Height Wrt Ground Start With Overhead Level", definition: "Does the video begin with the camera at an overhead level, above eye level but below aerial (around second-floor height)?" },
  height_wrt_ground_start_with_underwater_level: { path: "cam_setup.height_wrt_ground.start_with.height_wrt_ground_start_with_underwater_level", name: "Height Wrt Ground Start With Underwater Level", definition: "Does the video start with the camera fully submerged underwater?" },
  height_wrt_ground_start_with_water_level: { path: "cam_setup.height_wrt_ground.start_with.height_wrt_ground_start_with_water_level", name: "Height Wrt Ground Start With Water Level", definition: "Does the video start with the camera near water level, showing the waterline clearly and not from an aerial view?" },
  underwater_to_above_water: { path: "cam_setup.height_wrt_ground.underwater_to_above_water", name: "Underwater To Above Water", definition: "Does the camera transition from underwater to above water?" },
  height_wrt_subject_end_with_above_subject: { path: "cam_setup.height_wrt_subject.end_with.height_wrt_subject_end_with_above_subject", name: "Height Wrt Subject End With Above Subject", definition: "Does the video end with the camera positioned above the subject?" },
  height_wrt_subject_end_with_at_subject: { path: "cam_setup.height_wrt_subject.end_with.height_wrt_subject_end_with_at_subject", name: "Height Wrt Subject End With At Subject", definition: "Does the video end with the camera positioned at about the same height as the subject?" },
  height_wrt_subject_end_with_below_subject: { path: "cam_setup.height_wrt_subject.end_with.height_wrt_subject_end_with_below_subject", name: "Height Wrt Subject End With Below Subject", definition: "Does the video end with the camera positioned below the subject?" },
  height_wrt_subject_from_above_subject_to_at_subject: { path: "cam_setup.height_wrt_subject.from_to.height_wrt_subject_from_above_subject_to_at_subject", name: "Height Wrt Subject From Above Subject To At Subject", definition: "Does the camera’s height relative to the subject start above and end at the subject’s height?" },
  height_wrt_subject_from_above_subject_to_below_subject: { path: "cam_setup.height_wrt_subject.from_to.height_wrt_subject_from_above_subject_to_below_subject", name: "Height Wrt Subject From Above Subject To Below Subject", definition: "Does the camera’s height relative to the subject start above and end below?" },
  height_wrt_subject_from_at_subject_to_above_subject: { path: "cam_setup.height_wrt_subject.from_to.height_wrt_subject_from_at_subject_to_above_subject", name: "Height Wrt Subject From At Subject To Above Subject", definition: "Does the camera’s height relative to the subject start at the subject’s height and end above?" },
  height_wrt_subject_from_at_subject_to_below_subject: { path: "cam_setup.height_wrt_subject.from_to.height_wrt_subject_from_at_subject_to_below_subject", name: "Height Wrt Subject From At Subject To Below Subject", definition: "Does the camera’s height relative to the subject start at the subject’s height and end below?" },
  height_wrt_subject_from_below_subject_to_above_subject: { path: "cam_setup.height_wrt_subject.from_to.height_wrt_subject_from_below_subject_to_above_subject", name: "Height Wrt Subject From Below Subject To Above Subject", definition: "Does the camera’s height relative to the subject start below and end above?" },
  height_wrt_subject_from_below_subject_to_at_subject: { path: "cam_setup.height_wrt_subject.from_to.height_wrt_subject_from_below_subject_to_at_subject", name: "Height Wrt Subject From Below Subject To At Subject", definition: "Does the camera’s height relative to the subject start below and end at the subject’s height?" },
  height_wrt_subject_change: { path: "cam_setup.height_wrt_subject.height_wrt_subject_change", name: "Height With Respect To Subject Change", definition: "Does the camera's height relative to the subject change significantly, moving between positions above, at level with, or below the subject?" },
  height_wrt_subject_change_from_high_to_low: { path: "cam_setup.height_wrt_subject.height_wrt_subject_change_from_high_to_low", name: "Height Wrt Subject Change From High To Low", definition: "Does the subject start above and end at or below the camera’s height, or start level and end below?" },
  height_wrt_subject_change_from_low_to_high: { path: "cam_setup.height_wrt_subject.height_wrt_subject_change_from_low_to_high", name: "Height Wrt Subject Change From Low To High", definition: "Does the subject start below and end at or above the camera’s height, or start level and end above?" },
  height_wrt_subject_is_above_subject: { path: "cam_setup.height_wrt_subject.is_always.height_wrt_subject_is_above_subject", name: "Height Wrt Subject Is Above Subject", definition: "Is the camera positioned above the subject throughout the video?" },
  height_wrt_subject_is_at_subject: { path: "cam_setup.height_wrt_subject.is_always.height_wrt_subject_is_at_subject", name: "Height Wrt Subject Is At Subject", definition: "Is the camera positioned at about the same height as the subject throughout the video?" },
  height_wrt_subject_is_below_subject: { path: "cam_setup.height_wrt_subject.is_always.height_wrt_subject_is_below_subject", name: "Height Wrt Subject Is Below Subject", definition: "Is the camera positioned below the subject throughout the video?" },
  is_subject_height_applicable: { path: "cam_setup.height_wrt_subject.is_subject_height_applicable", name: "Is Height With Respect To Subject Applicable", definition: "Is the camera height relative to the subject clear enough to be classified or described?" },
  height_wrt_subject_start_with_above_subject: { path: "cam_setup.height_wrt_subject.start_with.height_wrt_subject_start_with_above_subject", name: "Height Wrt Subject Start With Above Subject", definition: "Does the video start with the camera positioned above the subject?" },
  height_wrt_subject_start_with_at_subject: { path: "cam_setup.height_wrt_subject.start_with.height_wrt_subject_start_with_at_subject", name: "Height Wrt Subject Start With At Subject", definition: "Does the video start with the camera positioned at about the same height as the subject?" },
  height_wrt_subject_start_with_below_subject: { path: "cam_setup.height_wrt_subject.start_with.height_wrt_subject_start_with_below_subject", name: "Height Wrt Subject Start With Below Subject", definition: "Does the video start with the camera positioned below the subject?" },
  barrel_distortion: { path: "cam_setup.lens_distortion.barrel_distortion", name: "With Lens Distortion", definition: "Does this shot contain noticeable yet slight barrel distortion?" },
  fisheye_distortion: { path: "cam_setup.lens_distortion.fisheye_distortion", name: "Fisheye Distortion", definition: "Does the video show extreme fisheye lens distortion, where most lines curve strongly outward?" },
  no_lens_distortion: { path: "cam_setup.lens_distortion.no_lens_distortion", name: "No Lens Distortion", definition: "Does this shot have no noticeable lens distortion?" },
  with_lens_distortion: { path: "cam_setup.lens_distortion.with_lens_distortion", name: "With Lens Distortion", definition: "Does the video show mild barrel distortion or extreme fisheye distortion, where lines, especially near the frame edges, bend outward?" },
  broadcast_pov: { path: "cam_setup.point_of_view.broadcast_pov", name: "Broadcast POV", definition: "Does the video show a broadcast-style viewpoint used in television production?" },
  dashcam_pov: { path: "cam_setup.point_of_view.dashcam_pov", name: "Dashcam POV", definition: "Is this a forward-facing dashcam view from a vehicle-mounted camera, capturing the scene ahead?" },
  drone_pov: { path: "cam_setup.point_of_view.drone_pov", name: "Drone POV", definition: "Is this video captured by a drone?" },
  first_person_pov: { path: "cam_setup.point_of_view.first_person_pov", name: "First-Person POV", definition: "Is it a first-person POV shot, filmed as if seen directly through the character’s eyes?" },
  locked_on_pov: { path: "cam_setup.point_of_view.locked_on_pov", name: "Locked-On POV", definition: "Is the camera physically mounted on an object, keeping its perspective locked to that object?" },
  objective_pov: { path: "cam_setup.point_of_view.objective_pov", name: "Objective POV", definition: "Is this an objective, detached perspective where the camera does not represent any character's point of view?" },
  overhead_pov: { path: "cam_setup.point_of_view.overhead_pov", name: "Overhead POV", definition: "Is the camera positioned directly above the subject for a top-down perspective?" },
  screen_recording_pov: { path: "cam_setup.point_of_view.screen_recording_pov", name: "Screen Recording POV", definition: "Is this a screen recording of a software or system interface (e.g., menus, windows, toolbars)?" },
  selfie_pov: { path: "cam_setup.point_of_view.selfie_pov", name: "Selfie POV", definition: "Is it a selfie POV shot where the camera is held by the person being filmed (e.g., by hand, selfie stick, or invisible selfie rod) and faces them?" },
  third_person_full_body_game_pov: { path: "cam_setup.point_of_view.third_person_full_body_game_pov", name: "Third-Person Full-Body Game POV", definition: "Is this a 3D gaming video featuring a third-person perspective with the character’s full body visible?" },
  third_person_isometric_game_pov: { path: "cam_setup.point_of_view.third_person_isometric_game_pov", name: "Third-Person Isometric Game POV", definition: "Is this a third-person isometric (2.5D) gaming video with a tilted overhead angle showing both the top and side planes of the environment in a three-quarters perspective, with minimal perspective distortion?" },
  third_person_over_hip_pov: { path: "cam_setup.point_of_view.third_person_over_hip_pov", name: "Third-Person Over-the-Hip POV", definition: "Is this an over-the-hip third-person view, framing the character from the hip up?" },
  third_person_over_shoulder_pov: { path: "cam_setup.point_of_view.third_person_over_shoulder_pov", name: "Third-Person Over-the-Shoulder POV", definition: "Is this an over-the-shoulder POV where the camera is positioned behind the character, showing their upper body and the scene ahead?" },
  third_person_side_view_game_pov: { path: "cam_setup.point_of_view.third_person_side_view_game_pov", name: "Third-Person Side View Game POV", definition: "Is this a side-view gaming video where the camera is placed to the side, capturing the scene or character in profile?" },
  third_person_top_down_game_pov: { path: "cam_setup.point_of_view.third_person_top_down_game_pov", name: "Third-Person Top-Down Game POV", definition: "Is this a gaming video with a top-down or oblique top-down view, where the camera is placed directly above the character and environment, looking downward to show mostly the tops of objects with limited sides?" },
  shot_size_end_with_close_up: { path: "cam_setup.shot_size.end_with.shot_size_end_with_close_up", name: "Shot Size End With Close Up", definition: "Does the video end with a close-up shot that highlights a distinct part of the subject or scene while still preserving some surrounding context?" },
  shot_size_end_with_extreme_close_up: { path: "cam_setup.shot_size.end_with.shot_size_end_with_extreme_close_up", name: "Shot Size End With Extreme Close Up", definition: "Does the video end with an extreme close-up shot that isolates a very small detail of the subject or scene?" },
  shot_size_end_with_extreme_wide: { path: "cam_setup.shot_size.end_with.shot_size_end_with_extreme_wide", name: "Shot Size End With Extreme Wide", definition: "Does the video end with an extreme wide shot, emphasizing the vast environment over any subjects?" },
  shot_size_end_with_full: { path: "cam_setup.shot_size.end_with.shot_size_end_with_full", name: "Shot Size End With Full (Subject Only)", definition: "Does the video end with a full shot that frames the entire body of the salient subject without showing excessive surrounding scenery?" },
  shot_size_end_with_medium: { path: "cam_setup.shot_size.end_with.shot_size_end_with_medium", name: "Shot Size End With Medium (Subject Only)", definition: "Does the video end with a medium shot that frames about half of the subject?" },
  shot_size_end_with_medium_close_up: { path: "cam_setup.shot_size.end_with.shot_size_end_with_medium_close_up", name: "Shot Size End With Medium Close Up (Human Only)", definition: "Does the video end with a medium close-up shot that frames the human subject from the chest upward?" },
  shot_size_end_with_medium_full: { path: "cam_setup.shot_size.end_with.shot_size_end_with_medium_full", name: "Shot Size End With Medium Full (Human Only)", definition: "Does the video end with a medium full shot that frames the human subject from the mid-thigh (or knee) upward?" },
  shot_size_end_with_wide: { path: "cam_setup.shot_size.end_with.shot_size_end_with_wide", name: "Shot Size End With Wide", definition: "Does the video end either with a wide shot of scenery, or by framing the entire body of the salient subject with ample background context?" },
  shot_size_is_close_up: { path: "cam_setup.shot_size.is_always.shot_size_is_close_up", name: "Shot Size Is Close Up", definition: "Does the video maintain a close-up shot throughout, consistently highlighting a distinct part of the subject or scene while still preserving some surrounding context?" },
  shot_size_is_extreme_close_up: { path: "cam_setup.shot_size.is_always.shot_size_is_extreme_close_up", name: "Shot Size Is Extreme Close Up", definition: "Does the video maintain an extreme close-up shot throughout, consistently isolating a very small detail of the subject or scene?" },
  shot_size_is_extreme_wide: { path: "cam_setup.shot_size.is_always.shot_size_is_extreme_wide", name: "Shot Size Is Extreme Wide", definition: "Does the video maintain an extreme wide shot throughout, consistently emphasizing the vast environment over any subjects?" },
  shot_size_is_full: { path: "cam_setup.shot_size.is_always.shot_size_is_full", name: "Shot Size Is Full", definition: "Does the video maintain a full shot throughout, consistently framing the entire body of the salient subject without showing excessive surrounding scenery?" },
  shot_size_is_medium: { path: "cam_setup.shot_size.is_always.shot_size_is_medium", name: "Shot Size Is Medium", definition: "Does the video maintain a medium shot throughout, consistently framing about half of the human subject?" },
  shot_size_is_medium_close_up: { path: "cam_setup.shot_size.is_always.shot_size_is_medium_close_up", name: "Shot Size Is Medium Close Up", definition: "Does the video maintain a medium close-up shot throughout, consistently framing the human subject from the chest upward?" },
  shot_size_is_medium_full: { path: "cam_setup.shot_size.is_always.shot_size_is_medium_full", name: "Shot Size Is Medium Full", definition: "Does the video maintain a medium full shot throughout, consistently framing the human subject from mid-thigh (or knee) upward?" },
  shot_size_is_wide: { path: "cam_setup.shot_size.is_always.shot_size_is_wide", name: "Shot Size Is Wide", definition: "Does the video maintain a wide shot throughout, consistently showing wide scenery or framing the entire body of the salient subject while keeping ample background context?" },
  is_shot_size_applicable: { path: "cam_setup.shot_size.is_shot_size_applicable", name: "Is Shot Size Applicable", definition: "Can the shot size be meaningfully classified or described?" },
  shot_size_change: { path: "cam_setup.shot_size.shot_size_change", name: "Shot Size Change", definition: "Does the shot size change noticeably throughout the video?" },
  shot_size_change_from_large_to_small: { path: "cam_setup.shot_size.shot_size_change_from_large_to_small", name: "Shot Size Change From Large To Small", definition: "Does the shot size change noticeably from a wider to a tighter framing?" },
  shot_size_change_from_small_to_large: { path: "cam_setup.shot_size.shot_size_change_from_small_to_large", name: "Shot Size Change From Small To Large", definition: "Does the shot size change noticeably from a tighter to a wider framing?" },
  shot_size_start_with_close_up: { path: "cam_setup.shot_size.start_with.shot_size_start_with_close_up", name: "Shot Size Start With Close Up", definition: "Does the video start with a close-up shot that highlights a distinct part of the subject or scene while still preserving some surrounding context?" },
  shot_size_start_with_extreme_close_up: { path: "cam_setup.shot_size.start_with.shot_size_start_with_extreme_close_up", name: "Shot Size Start With Extreme Close Up", definition: "Does the video start with an extreme close-up shot that isolates a very small detail of the subject or scene?" },
  shot_size_start_with_extreme_wide: { path: "cam_setup.shot_size.start_with.shot_size_start_with_extreme_wide", name: "Shot Size Start With Extreme Wide", definition: "Does the video start with an extreme wide shot that emphasizes the vast environment over any subjects?" },
  shot_size_start_with_full: { path: "cam_setup.shot_size.start_with.shot_size_start_with_full", name: "Shot Size Start With Full (Subject Only)", definition: "Does the video start with a full shot, framing the entire body of the salient subject without showing excessive surrounding scenery?" },
  shot_size_start_with_medium: { path: "cam_setup.shot_size.start_with.shot_size_start_with_medium", name: "Shot Size Start With Medium (Subject Only)", definition: "Does the video start with a medium shot that frames about half of the subject?" },
  shot_size_start_with_medium_close_up: { path: "cam_setup.shot_size.start_with.shot_size_start_with_medium_close_up", name: "Shot Size Start With Medium Close Up (Human Only)", definition: "Does the video start with a medium close-up shot that frames the human subject from the chest upward?" },
  shot_size_start_with_medium_full: { path: "cam_setup.shot_size.start_with.shot_size_start_with_medium_full", name: "Shot Size Start With Medium Full (Human Only)", definition: "Does the video start with a medium-full shot that frames the human subject from mid-thigh (or knee) upward?" },
  shot_size_start_with_wide: { path: "cam_setup.shot_size.start_with.shot_size_start_with_wide", name: "Shot Size Start With Wide", definition: "Does the video start either with a wide shot of scenery or by framing the entire body of the salient subject with ample background context?" },
  subject_disappearing: { path: "cam_setup.shot_size.subject_disappearing", name: "Is Subject Disappearing", definition: "Does the video show the main subject disappearing or leaving the frame?" },
  subject_revealing: { path: "cam_setup.shot_size.subject_revealing", name: "Is Subject Revealing", definition: "Is it a revealing shot where the subject comes into view on screen?" },
  subject_switching: { path: "cam_setup.shot_size.subject_switching", name: "Subject Switch", definition: "Does the main subject change to another subject?" },
  is_just_change_of_subject_shot: { path: "cam_setup.shot_type.is_just_change_of_subject_shot", name: "Is Just Change Of Subject Shot", definition: "Does the video include a subject change, such as a revealing shot where a subject appears, or when a subject disappears or shifts to another?" },
  is_just_many_subject_no_focus_shot: { path: "cam_setup.shot_type.is_just_many_subject_no_focus_shot", name: "Is Just Many Subject No Focus Shot", definition: "Does the video feature multiple subjects in focus, with no single subject standing out as dominant?" },
  is_just_many_subject_one_focus_shot: { path: "cam_setup.shot_type.is_just_many_subject_one_focus_shot", name: "Is Just Many Subject One Focus Shot", definition: "Does the video feature multiple subjects, but one clearly stands out as the main focus?" },
  is_just_scenery_shot: { path: "cam_setup.shot_type.is_just_scenery_shot", name: "Is Just Scenery Shot", definition: "Does the video show scenery or environment without focusing on any subjects?" },
  has_single_dominant_subject: { path: "cam_setup.subject_framing.has_single_dominant_subject", name: "Has Single Dominant Subject", definition: "Does the video maintain a single or two dominant subjects throughout?" },
  has_subject_change: { path: "cam_setup.subject_framing.has_subject_change", name: "Has Subject Change", definition: "Does the subject change in the video, such as appearing, disappearing, or transitioning to another subject?" },
  is_framing_subject: { path: "cam_setup.subject_framing.is_framing_subject", name: "Is Framing Subject", definition: "Does the video include one or more salient subjects in the frame at any point?" },
  fast_motion: { path: "cam_setup.video_speed.fast_motion", name: "Fast-Motion", definition: "Is it a fast-motion video with forward playback moderately faster than real-time (about 1.5×–3×)?" },
  fast_motion_without_time_lapse: { path: "cam_setup.video_speed.fast_motion_without_time_lapse", name: "Fast-Motion", definition: "Is it a fast-motion video with forward playback speed slightly faster than real-time (about 1.5×–3×), but not a time-lapse where the speed is greatly accelerated over a long duration?" },
  regular_speed: { path: "cam_setup.video_speed.regular_speed", name: "Regular Speed", definition: "Is the playback forward at real-time speed without noticeable speed-up or slowdown?" },
  slow_motion: { path: "cam_setup.video_speed.slow_motion", name: "Slow-Motion", definition: "Is it a slow-motion video with forward playback slower than real-time?" },
  speed_ramp: { path: "cam_setup.video_speed.speed_ramp", name: "Speed-Ramp", definition: "Does the video show a speed ramp effect, where playback speed changes between faster and slower rates?" },
  stop_motion: { path: "cam_setup.video_speed.stop_motion", name: "Stop-Motion", definition: "Is it a stop-motion video using frame-by-frame changes to simulate motion?" },
  time_lapse: { path: "cam_setup.video_speed.time_lapse", name: "Time-Lapse", definition: "Is this a time-lapse video played forward at greatly accelerated speed (more than 3× real-time), showing time passing rapidly over a long period?" },
  time_reversed: { path: "cam_setup.video_speed.time_reversed", name: "Time-Reversed", definition: "Is this video played in reverse, with events playing backward in time?" },
};
