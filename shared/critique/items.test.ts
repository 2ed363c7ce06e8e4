import { describe, expect, it } from "vitest";
import { CritiqueItem, constructiveCount, constructiveProblems, formatClipTime, isConstructive, parseFix, renderCritique } from "./items";

const base: CritiqueItem = {
  id: "a",
  errorType: "wrong_term",
  primitiveId: "camera.movement.dolly_in",
  what: "the camera does not change focal length; it physically moves forward",
  fix: 'write "dollies in"',
  anchor: { start: "AAAA", end: "BBBB", quote: "zooms" },
  timeStart: 1.2,
  timeEnd: 2.0,
  createdBy: "u1",
  createdAt: "2026-01-01T00:00:00.000Z",
};

describe("critique", () => {
  it("renders one item per line in time order", () => {
    const missing: CritiqueItem = {
      ...base,
      id: "b",
      errorType: "missing_information",
      primitiveId: null,
      what: "The man's wave is not mentioned",
      fix: 'add "The man waves."',
      anchor: null,
      timeStart: 0.5,
      timeEnd: 0.5,
    };
    const untimed: CritiqueItem = { ...base, id: "c", timeStart: null, timeEnd: null, errorType: "other", anchor: null };
    expect(renderCritique([untimed, base, missing])).toBe(
      [
        `[00:00.5] Missing information: The man's wave is not mentioned. Fix: add "The man waves."`,
        `[00:01.2–00:02.0] Wrong term: "zooms" — the camera does not change focal length; it physically moves forward. Fix: write "dollies in".`,
        `Other: the camera does not change focal length; it physically moves forward. Fix: write "dollies in".`,
      ].join("\n"),
    );
  });

  it("formats clip times as mm:ss.t", () => {
    expect(formatClipTime(0)).toBe("00:00.0");
    expect(formatClipTime(61.25)).toBe("01:01.3");
    expect(formatClipTime(599.96)).toBe("10:00.0");
  });

  it("reads fixes", () => {
    expect(parseFix('write "dollies in"')).toEqual({ kind: "replace", text: "dollies in" });
    expect(parseFix("Replace with “pans left”.")).toEqual({ kind: "replace", text: "pans left" });
    expect(parseFix('replace it with "a close-up"')).toEqual({ kind: "replace", text: "a close-up" });
    expect(parseFix('→ "tilts up"')).toEqual({ kind: "replace", text: "tilts up" });
    expect(parseFix('-> "tilts up"')).toEqual({ kind: "replace", text: "tilts up" });
    expect(parseFix('should be "left"')).toEqual({ kind: "replace", text: "left" });
    expect(parseFix('change to "right"')).toEqual({ kind: "replace", text: "right" });
    expect(parseFix('replace "zooms in" with "dollies in"')).toEqual({ kind: "replace", text: "dollies in" });
    expect(parseFix('"zooms in" → "dollies in"')).toEqual({ kind: "replace", text: "dollies in" });
    expect(parseFix("delete")).toEqual({ kind: "delete" });
    expect(parseFix("Remove it.")).toEqual({ kind: "delete" });
    expect(parseFix('remove "beautiful"')).toEqual({ kind: "delete" });
    expect(parseFix('Add "The man waves at 3 s."')).toEqual({ kind: "insert", text: "The man waves at 3 s." });
    expect(parseFix("say the camera moves")).toEqual({ kind: "free", text: "say the camera moves" });
  });

  it("tells constructive items from others", () => {
    expect(isConstructive(base)).toBe(true);
    expect(constructiveProblems({ ...base, fix: "" })).toContain("It does not say how to fix it.");
    expect(constructiveProblems({ ...base, fix: "fix it" })).toContain("The fix is too vague to act on.");
    expect(constructiveProblems({ ...base, what: " " })).toContain("It does not say what is wrong.");
    expect(constructiveProblems({ ...base, fix: 'write "zooms"' })).toContain("The fix repeats the quoted text unchanged.");
    expect(isConstructive({ ...base, anchor: null, timeStart: null, timeEnd: null })).toBe(false);
  });

  it("validates items", () => {
    expect(CritiqueItem.safeParse(base).success).toBe(true);
    expect(CritiqueItem.safeParse({ ...base, timeEnd: 1 }).success).toBe(false);
    expect(CritiqueItem.safeParse({ ...base, errorType: "typo" }).success).toBe(false);
    expect(CritiqueItem.safeParse({ ...base, what: "x".repeat(2001) }).success).toBe(false);
  });
});

describe("constructiveCount", () => {
  it("counts only the constructive items, not every item", () => {
    const vague = { ...base, id: "b", fix: "fix it" };
    const noWhat = { ...base, id: "c", what: "  " };
    expect(isConstructive(base)).toBe(true);
    expect(isConstructive(vague)).toBe(false);
    expect(isConstructive(noWhat)).toBe(false);
    expect(constructiveCount([base, vague, noWhat, { ...base, id: "d" }])).toBe(2);
    expect(constructiveCount([])).toBe(0);
  });
});
