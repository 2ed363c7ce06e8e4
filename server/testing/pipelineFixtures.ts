import type { CaptionFacts } from "../../shared/captionFacts";
import type { Aspect } from "../../shared/domain";
import type { Label } from "../../shared/labels";
import type { AspectFile, AspectSpec, Primitive, Spec, SubAspect, SubAspectFile } from "../../shared/captionSpec/schema";

/**
 * Specs and labels for tests and benchmarks: a small caption specification (the real one lives in spec/ and is
 * loaded by server/captionSpec), built in the loaded form where primitives carry their aspect, sub-aspect and value
 * kind; and complete label sets picked by kind from any spec, since the real one grows while people edit it.
 */

type P = Pick<Primitive, "id" | "label" | "phrasing"> & Partial<Pick<Primitive, "avoid" | "needsDescription">>;

function sub(id: string, label: string, value: SubAspectFile["value"], primitives: P[]): SubAspectFile {
  return {
    id,
    label,
    description: `${label} of the clip.`,
    value,
    optional: false,
    primitives: primitives.map((p) => ({
      id: p.id,
      label: p.label,
      definition: `Definition of ${p.label.toLowerCase()}.`,
      rule: { applies: `When ${p.label.toLowerCase()} is seen.`, doesNotApply: "Otherwise." },
      confusables: [],
      phrasing: p.phrasing,
      avoid: p.avoid ?? [],
      keywords: [p.label.toLowerCase()],
      needsDescription: p.needsDescription ?? false,
    })),
  };
}

const FILES: AspectFile[] = [
  {
    aspect: "subject",
    label: "Subject",
    description: "Who or what the clip is about.",
    policy: { covers: ["subject type"], style: ["Name each subject once."], dependsOn: [] },
    subAspects: [sub("subject.type", "Subject type", "one_of", [{ id: "subject.type.person", label: "Person", phrasing: "a person" }])],
  },
  {
    aspect: "scene",
    label: "Scene",
    description: "Where the clip takes place.",
    policy: { covers: ["scene type"], style: ["Be literal."], dependsOn: [] },
    subAspects: [sub("scene.type", "Scene type", "one_of", [{ id: "scene.type.exterior", label: "Exterior", phrasing: "an exterior scene" }])],
  },
  {
    aspect: "motion",
    label: "Motion",
    description: "What the subjects do.",
    policy: { covers: ["subject actions in time order"], style: ["Refer to subjects as the Subject caption does."], dependsOn: ["subject"] },
    subAspects: [
      sub("motion.action", "Subject action", "yes_no", [
        { id: "motion.action.walk", label: "Walk", phrasing: "the man walks forward" },
        { id: "motion.action.wave", label: "Wave", phrasing: "the man waves" },
      ]),
    ],
  },
  {
    aspect: "spatial",
    label: "Spatial",
    description: "Where things are in the frame.",
    policy: { covers: ["shot size"], style: ["Give start and end states."], dependsOn: ["subject", "scene"] },
    subAspects: [
      sub("spatial.shot_size", "Shot size", "start_end", [
        { id: "spatial.shot_size.wide", label: "Wide shot", phrasing: "the shot is a wide shot" },
        { id: "spatial.shot_size.close_up", label: "Close-up", phrasing: "the shot is a close-up" },
      ]),
    ],
  },
  {
    aspect: "camera",
    label: "Camera",
    description: "How the camera behaves.",
    policy: {
      covers: ["steadiness", "movement", "height"],
      style: ["Use precise cinematography terms.", "Give times for movements that do not span the clip."],
      dependsOn: [],
    },
    subAspects: [
      sub("camera.steadiness", "Steadiness", "one_of", [
        { id: "camera.steadiness.static", label: "Static", phrasing: "the camera is static" },
        { id: "camera.steadiness.smooth", label: "Smooth", phrasing: "the camera moves smoothly" },
      ]),
      sub("camera.movement", "Movement", "yes_no", [
        { id: "camera.movement.dolly_in", label: "Dolly in", phrasing: "the camera dollies in toward the man", avoid: ["zoom in", "zooms in"] },
        { id: "camera.movement.pan_left", label: "Pan left", phrasing: "the camera pans left" },
        { id: "camera.movement.complex", label: "Complex move", phrasing: "the camera makes a complex move", needsDescription: true },
      ]),
      sub("camera.height", "Camera height", "start_end", [
        { id: "camera.height.eye_level", label: "Eye level", phrasing: "the camera is at eye level" },
        { id: "camera.height.high", label: "High", phrasing: "the camera is high above the ground" },
      ]),
    ],
  },
];

export function fixtureSpec(): Spec {
  const aspects: AspectSpec[] = FILES.map((f) => ({
    ...f,
    subAspects: f.subAspects.map((s) => ({
      ...s,
      aspect: f.aspect,
      primitives: s.primitives.map((p) => ({ ...p, aspect: f.aspect, subAspect: s.id, value: s.value })),
    })),
  }));
  const primitives: Record<string, Primitive> = {};
  for (const a of aspects) for (const s of a.subAspects) for (const p of s.primitives) primitives[p.id] = p;
  return { name: "Fixture spec", version: "1.0.0+fixture00000", semver: "1.0.0", contentHash: "fixture", aspects, primitives };
}

/** A label with the defaults the Label schema would fill in. */
export function label(primitiveId: string, value: Label["value"], over: Partial<Label> = {}): Label {
  return { primitiveId, value, notSure: false, timeStart: null, timeEnd: null, note: null, ...over };
}

export const ASPECT_FIXTURE: Aspect = "camera";

const plain = (sub: SubAspect) => sub.primitives.filter((p) => !p.needsDescription);

/** Facts that satisfy every aspect's finishing rule (shared/labelValidation.ts factsProblems). */
export const COMPLETE_FACTS: CaptionFacts = {
  subjects: [{ phrase: "a man in a grey coat", plural: false, pronoun: "he" }],
  setting: "on a quiet street",
};

/** One valid, complete label set for an aspect (a start→end pair that changes where it can). */
export function completeLabels(aspect: AspectSpec): Label[] {
  const out: Label[] = [];
  const base = { notSure: false, timeStart: null, timeEnd: null, note: null };
  for (const sub of aspect.subAspects) {
    const [first, second] = plain(sub);
    if (!first) continue;
    if (sub.value === "yes_no") out.push({ ...base, primitiveId: first.id, value: { kind: "yes" } });
    if (sub.value === "one_of") out.push({ ...base, primitiveId: first.id, value: { kind: "selected" } });
    if (sub.value === "start_end") {
      if (second) {
        out.push({ ...base, primitiveId: first.id, value: { kind: "start_end", at: "start" } });
        out.push({ ...base, primitiveId: second.id, value: { kind: "start_end", at: "end" } });
      } else out.push({ ...base, primitiveId: first.id, value: { kind: "start_end", at: "both" } });
    }
  }
  return out;
}

/** The spec's camera aspect (no dependencies), or the first aspect. */
export function pickAspect(spec: Spec): AspectSpec {
  const a = spec.aspects.find((x) => x.aspect === "camera") ?? spec.aspects[0];
  if (!a) throw new Error("the spec has no aspects");
  return a;
}
