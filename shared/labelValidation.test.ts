import { describe, expect, it } from "vitest";
import type { Aspect } from "./domain";
import { FACTS_NEEDED, factsProblems, validateLabels, type LabelSpec } from "./labelValidation";
import { EMPTY_FACTS, type CaptionFacts } from "./captionFacts";
import { Label } from "./labels";
import type { AspectSpec, Primitive, SubAspect, ValueKind } from "./captionSpec/schema";

/** A small hand-made spec: the rules do not depend on the real spec's content, only on its shape. */
function subAspect(
  aspect: Aspect,
  id: string,
  value: ValueKind,
  names: string[],
  extra: { optional?: boolean; describe?: string[] } = {},
): SubAspect {
  const primitives: Primitive[] = names.map((name) => ({
    id: `${id}.${name}`,
    label: name.replace(/_/g, " "),
    definition: `definition of ${name}`,
    rule: { applies: "when it does", doesNotApply: "when it does not" },
    confusables: [],
    phrasing: name,
    avoid: [],
    keywords: [name],
    needsDescription: extra.describe?.includes(name) ?? false,
    aspect,
    subAspect: id,
    value,
  }));
  return { id, label: id.split(".")[1] ?? id, description: "", value, optional: extra.optional ?? false, aspect, primitives };
}

function makeSpec(): LabelSpec {
  const camera: AspectSpec = {
    aspect: "camera",
    label: "Camera",
    description: "",
    policy: { covers: ["x"], style: ["y"], dependsOn: [] },
    subAspects: [
      subAspect("camera", "camera.steadiness", "one_of", ["static", "smooth", "unsteady"]),
      subAspect("camera", "camera.movement", "yes_no", ["dolly_in", "zoom_in", "complex_move"], { describe: ["complex_move"] }),
      subAspect("camera", "camera.shot_size", "start_end", ["wide", "medium", "close_up"]),
      subAspect("camera", "camera.overlay", "yes_no", ["text_overlay"], { optional: true }),
    ],
  };
  const subject: AspectSpec = {
    ...camera,
    aspect: "subject",
    label: "Subject",
    subAspects: [subAspect("subject", "subject.count", "one_of", ["one", "two"])],
  };
  const aspects = [camera, subject];
  const primitives: Record<string, Primitive> = {};
  for (const a of aspects) for (const s of a.subAspects) for (const p of s.primitives) primitives[p.id] = p;
  return { aspects, primitives };
}

const spec = makeSpec();
const L = (input: Record<string, unknown>): Label => Label.parse(input);
const yes = (id: string, extra: Record<string, unknown> = {}) => L({ primitiveId: id, value: { kind: "yes" }, ...extra });
const selected = (id: string) => L({ primitiveId: id, value: { kind: "selected" } });
const pair = (id: string, at: "start" | "end" | "both") => L({ primitiveId: id, value: { kind: "start_end", at } });

/** A complete, valid camera label set. */
const complete = (): Label[] => [
  selected("camera.steadiness.smooth"),
  yes("camera.movement.dolly_in"),
  pair("camera.shot_size.wide", "start"),
  pair("camera.shot_size.close_up", "end"),
];

const codes = (labels: Label[], durationSec?: number) =>
  validateLabels(labels, spec, { aspect: "camera", durationSec }).problems.map((p) => p.code).sort();

describe("validateLabels", () => {
  it("accepts a complete, consistent set and lets labelling finish", () => {
    const v = validateLabels(complete(), spec, { aspect: "camera", durationSec: 10 });
    expect(v.problems).toEqual([]);
    expect(v).toMatchObject({ canSave: true, canFinish: true, unanswered: [] });
  });

  it("accepts an unchanged start→end value given once as both", () => {
    const labels = [selected("camera.steadiness.static"), yes("camera.movement.zoom_in"), pair("camera.shot_size.medium", "both")];
    expect(codes(labels)).toEqual([]);
  });

  it("rejects primitives the spec does not have, or of another aspect", () => {
    expect(codes([...complete(), yes("camera.movement.teleport")])).toEqual(["unknown_primitive"]);
    const v = validateLabels([...complete(), selected("subject.count.one")], spec, { aspect: "camera" });
    expect(v.problems).toMatchObject([{ code: "wrong_aspect", severity: "error", primitiveId: "subject.count.one" }]);
    expect(v.canSave).toBe(false);
  });

  it("rejects a value of the wrong kind for the primitive", () => {
    const labels = complete().filter((l) => l.primitiveId !== "camera.steadiness.smooth");
    expect(codes([...labels, yes("camera.steadiness.smooth")])).toEqual(["unanswered", "wrong_value_kind"]);
    expect(codes([...complete(), selected("camera.movement.zoom_in")])).toEqual(["wrong_value_kind"]);
  });

  it("rejects the same primitive twice", () => {
    expect(codes([...complete(), yes("camera.movement.dolly_in")])).toEqual(["duplicate"]);
  });

  it("allows one choice only in a one_of sub-aspect", () => {
    const v = validateLabels([...complete(), selected("camera.steadiness.static")], spec, { aspect: "camera" });
    expect(v.problems).toMatchObject([{ code: "one_of_multiple", subAspect: "camera.steadiness", severity: "error" }]);
  });

  it("allows one value at the start and one at the end of a start→end pair", () => {
    expect(codes([...complete(), pair("camera.shot_size.medium", "start")])).toEqual(["start_multiple"]);
    expect(codes([...complete(), pair("camera.shot_size.medium", "both")])).toEqual(["end_multiple", "start_multiple"]);
  });

  it("says that an end value needs a start", () => {
    const labels = complete().filter((l) => l.primitiveId !== "camera.shot_size.wide");
    const v = validateLabels(labels, spec, { aspect: "camera" });
    expect(v.problems).toHaveLength(1);
    expect(v.problems[0]).toMatchObject({ code: "end_without_start", severity: "error" });
    expect(v.problems[0]?.message).toMatch(/an end value needs a start/);
  });

  it("lets a start without an end be saved but not finished", () => {
    const labels = complete().filter((l) => l.primitiveId !== "camera.shot_size.close_up");
    const v = validateLabels(labels, spec, { aspect: "camera" });
    expect(v.problems.map((p) => [p.code, p.severity])).toEqual([["start_without_end", "warning"]]);
    expect(v).toMatchObject({ canSave: true, canFinish: false });
  });

  it("says that a complex move needs a description", () => {
    const v = validateLabels([...complete(), yes("camera.movement.complex_move")], spec, { aspect: "camera" });
    expect(v.problems).toMatchObject([{ code: "needs_description", primitiveId: "camera.movement.complex_move" }]);
    expect(v.problems[0]?.message).toMatch(/a complex move needs a description/i);
    expect(codes([...complete(), yes("camera.movement.complex_move", { note: "   " })])).toEqual(["needs_description"]);
    expect(codes([...complete(), yes("camera.movement.complex_move", { note: "arcs left, then cranes up" })])).toEqual([]);
  });

  it("keeps time ranges within the clip when its duration is known", () => {
    const timed = yes("camera.movement.zoom_in", { timeStart: 2, timeEnd: 12 });
    expect(codes([...complete(), timed], 10)).toEqual(["time_out_of_range"]);
    expect(codes([...complete(), timed], undefined)).toEqual([]);
    expect(codes([...complete(), yes("camera.movement.zoom_in", { timeStart: 2, timeEnd: 10 })], 10)).toEqual([]);
    expect(codes([...complete(), yes("camera.movement.zoom_in", { timeStart: 11, timeEnd: null })], 10)).toEqual([
      "time_out_of_range",
    ]);
  });

  it("reports required sub-aspects as unanswered: a warning for saving, a blocker for finishing", () => {
    const v = validateLabels([yes("camera.movement.dolly_in")], spec, { aspect: "camera" });
    expect(v.unanswered).toEqual(["camera.steadiness", "camera.shot_size"]);
    expect(v.problems.every((p) => p.severity === "warning")).toBe(true);
    expect(v).toMatchObject({ canSave: true, canFinish: false });
    // The optional overlay sub-aspect is never unanswered.
    expect(v.unanswered).not.toContain("camera.overlay");
  });

  it("treats an empty set as unanswered, not as an error; an empty yes/no sub-aspect means none hold", () => {
    const v = validateLabels([], spec, { aspect: "camera" });
    expect(v.canSave).toBe(true);
    expect(v.unanswered).toEqual(["camera.steadiness", "camera.shot_size"]);
  });

  it("checks the facts an aspect needs when they are given: warnings that block finishing, never saving", () => {
    const named: CaptionFacts = { subjects: [{ phrase: "a green cart", plural: false, pronoun: "it" }], setting: "on a floor" };
    expect(validateLabels(complete(), spec, { aspect: "camera", durationSec: 10, facts: EMPTY_FACTS })).toMatchObject({ canSave: true, canFinish: true });
    const codes = (aspect: Aspect, facts: CaptionFacts) => factsProblems(facts, aspect).map((p) => `${p.severity}:${p.code}`);
    expect(codes("subject", EMPTY_FACTS)).toEqual(["warning:needs_subject"]);
    expect(codes("motion", EMPTY_FACTS)).toEqual(["warning:needs_subject"]);
    expect(codes("spatial", { subjects: [], setting: "on a floor" })).toEqual(["warning:needs_subject"]);
    expect(codes("scene", { subjects: named.subjects, setting: "  " })).toEqual(["warning:needs_setting"]);
    expect(codes("camera", EMPTY_FACTS)).toEqual([]);
    for (const aspect of Object.keys(FACTS_NEEDED) as Aspect[]) expect(codes(aspect, named)).toEqual([]);
  });
});
