import type { Aspect } from "../../shared/domain";
import type { Label } from "../../shared/labels";
import type { CaptionFacts } from "../../shared/captionFacts";

/**
 * True labels for the demo clips (demo/clips/manifest.json): every clip shows the same synthetic picture (a lettered
 * backdrop, striped orange posts; in the static and speed-ramp clips a green cart crossing left to right and a
 * spinning yellow wheel), and each clip has one known camera behaviour, its manifest `camera` field. Pure, so the
 * seed is deterministic and the sets are checked against the spec by the test.
 */

/** The camera behaviours the demo manifest names. */
export const DEMO_CAMERAS = ["static", "zoom_in", "pan_left", "truck_right", "pedestal_up", "roll_clockwise", "speed_ramp"] as const;
export type DemoCamera = (typeof DEMO_CAMERAS)[number];

export function demoCameraOf(value: string | undefined): DemoCamera {
  return DEMO_CAMERAS.find((c) => c === value) ?? "static";
}

type Pick = { id: string; start?: number; end?: number; note?: string };

const yes = (p: Pick): Label => label(p, { kind: "yes" });
const one = (id: string): Label => label({ id }, { kind: "selected" });
/** A start→end pair: one label when unchanged ("both"), else a start and an end label. */
const pair = (from: string, to: string = from): Label[] =>
  from === to ? [label({ id: from }, { kind: "start_end", at: "both" })] : [
    label({ id: from }, { kind: "start_end", at: "start" }),
    label({ id: to }, { kind: "start_end", at: "end" }),
  ];

function label(p: Pick, value: Label["value"]): Label {
  return { primitiveId: p.id, value, notSure: false, timeStart: p.start ?? null, timeEnd: p.end ?? null, note: p.note ?? null };
}

/** Clips with the moving cart (a subject in motion); the others show only the still picture. */
const hasCart = (camera: DemoCamera) => camera === "static" || camera === "speed_ramp";

/**
 * The clip's subjects and setting, the same on every aspect's task (the annotators reuse one another's phrases):
 * the cart clips show a green cart with a yellow wheel spinning near it and the posts behind; the others, the posts
 * in front of the lettered backdrop. The posts are several, so the captions must say "the posts stay", not "stays".
 */
export function demoFacts(camera: DemoCamera): CaptionFacts {
  const posts = { phrase: "the striped orange posts", plural: true, pronoun: "they" } as const;
  if (hasCart(camera)) {
    return {
      subjects: [{ phrase: "the green cart", plural: false, pronoun: "it" }, { phrase: "the yellow wheel", plural: false, pronoun: "it" }, posts],
      setting: "on the floor of a flat, computer-drawn scene in front of a lettered backdrop",
    };
  }
  return {
    subjects: [posts, { phrase: "the backdrop with lettered markers", plural: false, pronoun: "it" }],
    setting: "in a flat, computer-drawn scene",
  };
}

export function demoLabels(aspect: Aspect, camera: DemoCamera, durationSec: number): Label[] {
  const whole = { start: 0, end: durationSec };
  const cart = hasCart(camera);
  switch (aspect) {
    case "subject":
      return cart
        ? [yes({ id: "subject.type.vehicle" }), yes({ id: "subject.type.object" }), yes({ id: "subject.attributes.colour" })]
        : [yes({ id: "subject.type.object" }), yes({ id: "subject.attributes.colour" }), yes({ id: "subject.attributes.markings" })];
    case "scene":
      return [
        one("scene.type.synthetic"),
        one("scene.style.animation_2d"),
        one(cart ? "scene.dynamics.mostly_static" : "scene.dynamics.static"),
        one("scene.point_of_view.objective"),
      ];
    case "motion":
      return cart
        ? [yes({ id: "motion.dynamics.constant_pace", ...whole })]
        : [yes({ id: "motion.dynamics.stationary", ...whole })];
    case "spatial":
      return [
        ...(camera === "zoom_in" ? pair("spatial.shot_size.wide", "spatial.shot_size.full") : pair("spatial.shot_size.wide")),
        ...(camera === "zoom_in" ? [yes({ id: "spatial.shot_size_change.wide_to_tight", ...whole })] : []),
        // Without the cart, the posts and the lettered backdrop share the frame: the facts name them as subjects.
        one(cart ? "spatial.subject_framing.single_dominant" : "spatial.subject_framing.many_none_in_focus"),
        ...(cart ? pair("spatial.frame_position.left", "spatial.frame_position.right") : pair("spatial.frame_position.center")),
        ...pair("spatial.depth.middle_ground"),
        ...pair("spatial.camera_height_subject.at_subject"),
        ...(cart ? [yes({ id: "spatial.movement.crosses_left_to_right", ...whole })] : []),
      ];
    case "camera":
      return cameraLabels(camera, durationSec);
  }
}

function cameraLabels(camera: DemoCamera, durationSec: number): Label[] {
  const whole = { start: 0, end: durationSec };
  const moving = camera !== "static" && camera !== "speed_ramp";
  const move: Record<DemoCamera, Label[]> = {
    static: [],
    speed_ramp: [],
    zoom_in: [yes({ id: "camera.intrinsic.zoom_in", ...whole })],
    pan_left: [yes({ id: "camera.movement_rotation.pan_left", ...whole })],
    truck_right: [yes({ id: "camera.movement_translation.truck_right", ...whole })],
    // A level camera rising: up relative to itself and to the ground (CameraBench labels both).
    pedestal_up: [yes({ id: "camera.movement_translation.pedestal_up", ...whole }), yes({ id: "camera.movement_ground.up", ...whole })],
    // The roll takes 3 s, then the tilted frame holds: a Dutch angle that changes during the clip.
    roll_clockwise: [
      yes({ id: "camera.movement_rotation.roll_clockwise", start: 0, end: Math.min(3, durationSec) }),
      yes({ id: "camera.angle_dutch.dutch_varying", ...whole }),
    ],
  };
  // Regular speed for 1.5 s, then a ramp down to half speed.
  const speed =
    camera === "speed_ramp"
      ? [
          yes({ id: "camera.video_speed.speed_ramp", start: Math.min(1.5, durationSec), end: Math.min(2, durationSec) }),
          yes({ id: "camera.video_speed.slow_motion", start: Math.min(2, durationSec), end: durationSec }),
        ]
      : [yes({ id: "camera.video_speed.regular", ...whole })];
  return [
    ...pair("camera.focus_plane.middle_ground"),
    one("camera.depth_of_field.deep"),
    one(moving ? "camera.steadiness.smooth" : "camera.steadiness.static"),
    one(moving ? "camera.movement_magnitude.simple" : "camera.movement_magnitude.none"),
    one("camera.movement_speed.slow"),
    ...move[camera],
    ...speed,
    one("camera.lens_distortion.none"),
    ...(camera === "pedestal_up" ? pair("camera.height_ground.hip_level", "camera.height_ground.eye_level") : pair("camera.height_ground.eye_level")),
    ...pair("camera.angle.level"),
  ];
}
