import { describe, expect, it } from "vitest";
import { renderCritique, type CritiqueItem } from "../../shared/critique/items";
import { degradeCritique, type AblationVariant } from "./ablation";

const item = (id: string, t: number, what: string, fix: string, quote: string | null): CritiqueItem => ({
  id,
  errorType: quote ? "wrong_term" : "missing_information",
  primitiveId: null,
  what,
  fix,
  anchor: quote ? { start: "AAAA", end: "AAAB", quote } : null,
  timeStart: t,
  timeEnd: t + 1,
  createdBy: "p_0000000000000000",
  createdAt: `2026-01-01T00:00:0${t}.000Z`,
});

const PRE = "The camera zooms in on a man at a desk, then pans left across the room.";
const ITEMS = [
  item("a", 1, "It is a dolly, not a zoom.", 'Write "dollies in toward".', "zooms in on"),
  item("b", 3, "The pan is to the right.", 'Write "pans right".', "pans left"),
  item("c", 5, "The hold at the end is not mentioned.", 'Add "then holds".', null),
  item("d", 6, "The man looks up.", 'Add "as he looks up".', null),
];
const record = (items: CritiqueItem[], sha = "a".repeat(64)) => ({ video_sha256: sha, aspect: "camera" as const, pre_caption: PRE, critique: { items } });
const lines = (text: string) => text.split("\n");

describe("ablation critiques", () => {
  it("inaccurate: every place gets another item's claim, the spans and times stay", () => {
    const d = degradeCritique("inaccurate", record(ITEMS), 0);
    if (!d.ok) throw new Error(d.reason);
    expect(d.items.map((i) => i.id)).toEqual(ITEMS.map((i) => i.id));
    expect(d.items.map((i) => i.anchor?.quote ?? null)).toEqual(ITEMS.map((i) => i.anchor?.quote ?? null));
    expect(d.items.map((i) => i.timeStart)).toEqual(ITEMS.map((i) => i.timeStart));
    // A rotation: the claims are the same four, none where it was.
    expect(d.items.map((i) => i.what).sort()).toEqual(ITEMS.map((i) => i.what).sort());
    d.items.forEach((i, n) => expect(i.what).not.toBe(ITEMS[n]?.what));
    expect(d.text).toBe(renderCritique(d.items));
  });

  it("inaccurate: a single quoted item is moved to another span of the caption; one quoting nothing is left out", () => {
    const one = ITEMS[0]!;
    const d = degradeCritique("inaccurate", record([one]), 0);
    if (!d.ok) throw new Error(d.reason);
    const quote = d.items[0]?.anchor?.quote ?? "";
    expect(quote).not.toBe("zooms in on");
    expect(quote.split(" ")).toHaveLength(3);
    expect(PRE).toContain(quote);
    // Not overlapping the real span.
    const at = PRE.indexOf(quote);
    expect(at + quote.length <= PRE.indexOf("zooms in on") || at >= PRE.indexOf("zooms in on") + "zooms in on".length).toBe(true);
    expect(d.items[0]).toMatchObject({ what: one.what, fix: one.fix, timeStart: one.timeStart });
    expect(degradeCritique("inaccurate", record([ITEMS[2]!]), 0)).toEqual({ ok: false, reason: "too_few_items" });
  });

  it("incomplete: half the items (at least one) are dropped, the rest keep their order; one item is left out", () => {
    const d = degradeCritique("incomplete", record(ITEMS), 0);
    if (!d.ok) throw new Error(d.reason);
    expect(d.items).toHaveLength(2);
    const kept = d.items.map((i) => ITEMS.findIndex((x) => x.id === i.id));
    expect(kept).toEqual([...kept].sort());
    const three = degradeCritique("incomplete", record(ITEMS.slice(0, 3)), 0);
    expect(three.ok && three.items.length).toBe(2);
    const two = degradeCritique("incomplete", record(ITEMS.slice(0, 2)), 0);
    expect(two.ok && two.items.length).toBe(1);
    expect(degradeCritique("incomplete", record(ITEMS.slice(0, 1)), 0)).toEqual({ ok: false, reason: "too_few_items" });
  });

  it("nonconstructive: every fix removed, what is wrong kept; a critique without fixes is left out as unchanged", () => {
    const d = degradeCritique("nonconstructive", record(ITEMS), 0);
    if (!d.ok) throw new Error(d.reason);
    expect(d.items.every((i) => i.fix === "")).toBe(true);
    expect(d.text).not.toContain("Fix:");
    expect(lines(d.text)).toHaveLength(ITEMS.length);
    ITEMS.forEach((i) => expect(d.text).toContain(i.what));
    const noFixes = ITEMS.map((i) => ({ ...i, fix: "" }));
    expect(degradeCritique("nonconstructive", record(noFixes), 0)).toEqual({ ok: false, reason: "unchanged" });
  });

  it("leaves out a critique without items, and one whose claims are all the same", () => {
    for (const v of ["inaccurate", "incomplete", "nonconstructive"] as AblationVariant[]) {
      expect(degradeCritique(v, record([]), 0)).toEqual({ ok: false, reason: "no_items" });
    }
    const same = [ITEMS[2]!, { ...ITEMS[2]!, id: "e", timeStart: 5, timeEnd: 6 }];
    expect(degradeCritique("inaccurate", record(same), 0)).toEqual({ ok: false, reason: "unchanged" });
  });

  it("is deterministic: the same record and seed give the same critique; the clip, aspect and seed change it", () => {
    const pick = (variant: AblationVariant, seed: number, sha = "a".repeat(64)) => {
      const d = degradeCritique(variant, record(ITEMS, sha), seed);
      return d.ok ? d.text : d.reason;
    };
    expect(pick("incomplete", 3)).toBe(pick("incomplete", 3));
    expect(pick("inaccurate", 3)).toBe(pick("inaccurate", 3));
    // Over a few seeds and clips the choices vary (a fixed answer would mean the seed is ignored).
    const seen = new Set([0, 1, 2, 3, 4, 5, 6, 7].map((s) => pick("incomplete", s)));
    expect(seen.size).toBeGreaterThan(1);
    const clips = new Set(["a", "b", "c", "d", "e", "f"].map((c) => pick("inaccurate", 0, c.repeat(64))));
    expect(clips.size).toBeGreaterThan(1);
    const byAspect = (a: "camera" | "motion", seed: number) => {
      const d = degradeCritique("incomplete", { ...record(ITEMS), aspect: a }, seed);
      return d.ok ? d.text : d.reason;
    };
    expect([0, 1, 2, 3, 4, 5, 6, 7].some((s) => byAspect("camera", s) !== byAspect("motion", s))).toBe(true);
  });
});
