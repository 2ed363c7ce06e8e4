import { describe, expect, it } from "vitest";
import type { Label } from "../../../../shared/labels";
import type { Primitive, SubAspect, ValueKind } from "../../../../shared/captionSpec/schema";
import { clearLine, isPicked, labelForLine, linesOf, patchLabel, pick, setTime, startEndOf, type Line } from "./labelState";

function sub(id: string, value: ValueKind, names: string[]): SubAspect {
  const primitives: Primitive[] = names.map((n) => ({
    id: `${id}.${n}`,
    label: n,
    definition: n,
    rule: { applies: "a", doesNotApply: "b" },
    confusables: [],
    phrasing: n,
    avoid: [],
    keywords: [n],
    needsDescription: false,
    aspect: "camera",
    subAspect: id,
    value,
  }));
  return { id, label: id, description: "", value, optional: false, aspect: "camera", primitives };
}

const moves = sub("camera.movement", "yes_no", ["dolly_in", "pan_left"]);
const steady = sub("camera.steadiness", "one_of", ["static", "smooth"]);
const size = sub("camera.shot_size", "start_end", ["wide", "medium", "close_up"]);
const [moveLine, steadyLine, startLine, endLine] = linesOf([moves, steady, size]) as [Line, Line, Line, Line];
const p = (s: SubAspect, i: number) => s.primitives[i] as Primitive;
const ids = (labels: Label[]) => labels.map((l) => `${l.primitiveId}:${l.value.kind === "start_end" ? l.value.at : l.value.kind}`).sort();

describe("label editing", () => {
  it("gives a start→end sub-aspect two lines and the others one", () => {
    expect([moveLine.role, steadyLine.role, startLine.role, endLine.role]).toEqual(["value", "value", "start", "end"]);
  });

  it("toggles yes/no primitives independently", () => {
    let ls = pick([], moveLine, p(moves, 0));
    ls = pick(ls, moveLine, p(moves, 1));
    expect(ids(ls)).toEqual(["camera.movement.dolly_in:yes", "camera.movement.pan_left:yes"]);
    ls = pick(ls, moveLine, p(moves, 0));
    expect(ids(ls)).toEqual(["camera.movement.pan_left:yes"]);
  });

  it("keeps one choice in a one_of sub-aspect, and un-picks on a second press", () => {
    let ls = pick([], steadyLine, p(steady, 0));
    ls = pick(ls, steadyLine, p(steady, 1));
    expect(ids(ls)).toEqual(["camera.steadiness.smooth:selected"]);
    expect(pick(ls, steadyLine, p(steady, 1))).toEqual([]);
  });

  it("builds start→end pairs, storing an unchanged value once as both", () => {
    let ls = pick([], startLine, p(size, 0));
    ls = pick(ls, endLine, p(size, 2));
    expect(ids(ls)).toEqual(["camera.shot_size.close_up:end", "camera.shot_size.wide:start"]);
    expect(startEndOf(ls, size)).toEqual({ start: "camera.shot_size.wide", end: "camera.shot_size.close_up" });
    ls = pick(ls, endLine, p(size, 0));
    expect(ids(ls)).toEqual(["camera.shot_size.wide:both"]);
    expect(isPicked(ls, startLine, "camera.shot_size.wide") && isPicked(ls, endLine, "camera.shot_size.wide")).toBe(true);
    // Changing the start splits "both" back into a pair.
    ls = pick(ls, startLine, p(size, 1));
    expect(ids(ls)).toEqual(["camera.shot_size.medium:start", "camera.shot_size.wide:end"]);
    expect(ids(clearLine(ls, startLine))).toEqual(["camera.shot_size.wide:end"]);
  });

  it("keeps not sure, time range and note when a pick moves between start and end", () => {
    let ls = pick([], startLine, p(size, 0));
    ls = patchLabel(ls, "camera.shot_size.wide", { notSure: true, timeStart: 1, timeEnd: 2 });
    ls = pick(ls, endLine, p(size, 0));
    expect(ls).toEqual([
      { primitiveId: "camera.shot_size.wide", value: { kind: "start_end", at: "both" }, notSure: true, timeStart: 1, timeEnd: 2, note: null },
    ]);
  });

  it("sets time ranges from the playhead and never leaves them backwards", () => {
    let ls = pick([], moveLine, p(moves, 0));
    ls = setTime(ls, "camera.movement.dolly_in", "start", 2.34567);
    ls = setTime(ls, "camera.movement.dolly_in", "end", 5);
    expect(ls[0]).toMatchObject({ timeStart: 2.346, timeEnd: 5 });
    ls = setTime(ls, "camera.movement.dolly_in", "start", 6);
    expect(ls[0]).toMatchObject({ timeStart: 6, timeEnd: null });
  });

  it("finds the label a line's keys act on: the focused pick, else the line's pick", () => {
    let ls = pick([], moveLine, p(moves, 1));
    expect(labelForLine(ls, moveLine, "camera.movement.dolly_in")?.primitiveId).toBe("camera.movement.pan_left");
    ls = pick(ls, startLine, p(size, 0));
    ls = pick(ls, endLine, p(size, 2));
    expect(labelForLine(ls, endLine, null)?.primitiveId).toBe("camera.shot_size.close_up");
    expect(labelForLine(ls, startLine, "camera.shot_size.close_up")?.primitiveId).toBe("camera.shot_size.wide");
  });
});
