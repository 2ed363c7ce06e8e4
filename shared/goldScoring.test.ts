import { describe, expect, it } from "vitest";
import type { CritiqueItem } from "./critique/items";
import { examOutcome, scoreAgainstGold, spanOverlap, timeOverlap } from "./goldScoring";

const DRAFT = "A man in a red coat walks left to right. The camera zooms in on his face.";

function item(id: string, over: Partial<CritiqueItem> & { quote?: string | null } = {}): CritiqueItem {
  const { quote, ...rest } = over;
  return {
    id,
    errorType: "wrong_term",
    primitiveId: null,
    what: "The camera moves toward him; it does not zoom.",
    fix: 'Write "dollies in".',
    anchor: quote ? { start: "AA==", end: "AA==", quote } : null,
    timeStart: 2,
    timeEnd: 3,
    createdBy: "u",
    createdAt: `2026-01-01T00:00:0${id.length % 10}Z`,
    ...rest,
  };
}

const gold = {
  preCaption: DRAFT,
  items: [
    item("g-zoom", { quote: "zooms in", primitiveId: "camera.movement.dolly_in", timeStart: 2, timeEnd: 3 }),
    item("g-dir", { quote: "left to right", errorType: "left_right", timeStart: 0, timeEnd: 1, fix: 'Write "right to left".' }),
    item("g-missing", { quote: null, errorType: "missing_information", timeStart: 4, timeEnd: 5, fix: 'Add "he turns away".' }),
  ],
};

describe("scoreAgainstGold", () => {
  it("an exact copy of the answer key scores 1 everywhere", () => {
    const r = scoreAgainstGold(gold, { preCaption: DRAFT, items: gold.items.map((g) => ({ ...g, id: `t-${g.id}` })) });
    expect(r).toMatchObject({ precision: 1, recall: 1, f1: 1, constructiveShare: 1, goldCount: 3, itemCount: 3 });
    expect(r.missed).toEqual([]);
    expect(r.falseItems).toEqual([]);
    expect(r.matched.map((m) => [m.goldId, m.itemId]).sort()).toEqual([
      ["g-dir", "t-g-dir"],
      ["g-missing", "t-g-missing"],
      ["g-zoom", "t-g-zoom"],
    ]);
    const zoom = r.matched.find((m) => m.goldId === "g-zoom");
    expect(zoom).toMatchObject({ sameType: true, samePrimitive: true, spanOverlap: 1, timeOverlap: 1 });
  });

  it("partial overlap: a wider span and a shifted time still match; a wrong guess is a false item", () => {
    const attempt = {
      preCaption: DRAFT,
      items: [
        // "camera zooms in on" contains the gold "zooms in": 8 of 18 characters.
        item("t-wide", { quote: "camera zooms in on", timeStart: 2.5, timeEnd: 4 }),
        // Time-only missing information, overlapping the gold range by half.
        item("t-miss", { quote: null, errorType: "missing_information", timeStart: 4.5, timeEnd: 6, fix: 'Add "he turns away".' }),
        // Not in the key at all: a false flag, and not constructive either.
        item("t-false", { quote: "red coat", errorType: "hallucination", timeStart: 0, timeEnd: 4, fix: "fix" }),
      ],
    };
    const r = scoreAgainstGold(gold, attempt, (id) => (id === "camera.movement.dolly_in" ? { primitiveId: id, label: "Dolly in", subAspect: "camera.movement" } : null));
    expect(r.matched.map((m) => m.goldId).sort()).toEqual(["g-missing", "g-zoom"]);
    const wide = r.matched.find((m) => m.goldId === "g-zoom");
    expect(wide?.itemId).toBe("t-wide");
    expect(wide?.spanOverlap).toBeCloseTo(8 / 18, 6);
    expect(wide?.samePrimitive).toBe(false);
    expect(r.precision).toBeCloseTo(2 / 3, 6);
    expect(r.recall).toBeCloseTo(2 / 3, 6);
    expect(r.f1).toBeCloseTo(2 / 3, 6);
    expect(r.constructiveShare).toBeCloseTo(2 / 3, 6);
    expect(r.missed.map((m) => m.id)).toEqual(["g-dir"]);
    expect(r.falseItems.map((f) => f.id)).toEqual(["t-false"]);
    expect(r.falseItems[0]?.quote).toBe("red coat");
  });

  it("no overlap: right type in the wrong place, or the right place with the wrong type, matches nothing", () => {
    const attempt = {
      preCaption: DRAFT,
      items: [
        item("t-elsewhere", { quote: "red coat", timeStart: 2, timeEnd: 3 }), // wrong_term on another span
        item("t-wrongtype", { quote: "zooms in", errorType: "subjective_language" }),
        item("t-late", { quote: null, errorType: "missing_information", timeStart: 8, timeEnd: 9 }),
      ],
    };
    const r = scoreAgainstGold(gold, attempt);
    expect(r.matched).toEqual([]);
    expect(r).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    expect(r.missed.map((m) => m.id)).toEqual(["g-zoom", "g-dir", "g-missing"]);
    expect(r.missed[0]?.spec).toBeNull();
    expect(r.falseItems).toHaveLength(3);
  });

  it("attaches the spec entry a missed item concerns", () => {
    const r = scoreAgainstGold(gold, { preCaption: DRAFT, items: [] }, (id) => ({ primitiveId: id, label: "Dolly in", subAspect: "camera.movement" }));
    expect(r).toMatchObject({ precision: 1, recall: 0, f1: 0, itemCount: 0 });
    expect(r.missed[0]?.spec).toEqual({ primitiveId: "camera.movement.dolly_in", label: "Dolly in", subAspect: "camera.movement" });
  });

  it("a perfect draft: no gold items and no critique is full marks", () => {
    expect(scoreAgainstGold({ preCaption: DRAFT, items: [] }, { preCaption: DRAFT, items: [] })).toMatchObject({ precision: 1, recall: 1, f1: 1 });
  });

  it("matches each item once, the better pair first", () => {
    const twoGold = { preCaption: DRAFT, items: [item("g1", { quote: "zooms in" }), item("g2", { quote: "zooms in on his face" })] };
    const r = scoreAgainstGold(twoGold, { preCaption: DRAFT, items: [item("t1", { quote: "zooms in on his face" })] });
    expect(r.matched).toHaveLength(1);
    expect(r.matched[0]?.goldId).toBe("g2");
    expect(r.recall).toBe(0.5);
    expect(r.precision).toBe(1);
  });

  it("compares quotes by words when the drafts differ", () => {
    const g = item("g", { quote: "zooms in" });
    const t = item("t", { quote: "slowly zooms in" });
    expect(spanOverlap(g, DRAFT, t, "The camera slowly zooms in.")).toBeCloseTo(2 / 3, 6);
    expect(spanOverlap(g, DRAFT, item("x", { quote: null }), DRAFT)).toBeNull();
  });

  it("widens points in time by the tolerance", () => {
    expect(timeOverlap(item("a", { timeStart: 1, timeEnd: null }), item("b", { timeStart: 1.8, timeEnd: null }))).toBeGreaterThan(0);
    expect(timeOverlap(item("a", { timeStart: 1, timeEnd: null }), item("b", { timeStart: 2.5, timeEnd: null }))).toBe(0);
    expect(timeOverlap(item("a", { timeStart: null, timeEnd: null }), item("b"))).toBeNull();
  });
});

describe("examOutcome", () => {
  const ids = ["a", "b"];
  it("is not started, in progress, then passed or failed on the mean F1", () => {
    expect(examOutcome(new Map(), ids, 0.7).status).toBe("not_started");
    expect(examOutcome(new Map([["a", 1]]), ids, 0.7)).toMatchObject({ status: "in_progress", meanF1: 0.5, attempted: 1 });
    expect(examOutcome(new Map([["a", 1], ["b", 0.5]]), ids, 0.7)).toMatchObject({ status: "passed", meanF1: 0.75 });
    expect(examOutcome(new Map([["a", 0.6], ["b", 0.6]]), ids, 0.7)).toMatchObject({ status: "failed" });
  });
});
