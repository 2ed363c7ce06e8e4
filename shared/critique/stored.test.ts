import { describe, expect, it } from "vitest";
import type { CritiqueItem } from "./items";
import { parseStoredItems } from "./stored";

const item: CritiqueItem = {
  id: "a",
  errorType: "wrong_term",
  primitiveId: null,
  what: "the camera moves forward",
  fix: 'write "dollies in"',
  anchor: { start: "AAAA", end: "BBBB", quote: "zooms" },
  timeStart: 1,
  timeEnd: 2,
  createdBy: "u1",
  createdAt: "2026-01-01T00:00:00.000Z",
};

describe("parseStoredItems", () => {
  it("returns valid stored items as they are, in order", () => {
    const b = { ...item, id: "b", anchor: null };
    expect(parseStoredItems([item, b])).toEqual([item, b]);
    // A round trip through JSON (what jsonb does) changes nothing.
    expect(parseStoredItems(JSON.parse(JSON.stringify([item])))).toEqual([item]);
  });

  it("skips entries that are not valid items and keeps the rest", () => {
    const stored: unknown[] = [
      null,
      "a",
      { id: "x" },
      { ...item, id: "bad-type", errorType: "typo" },
      { ...item, id: "extra", extra: true },
      { ...item, id: "backwards", timeStart: 3, timeEnd: 1 },
      item,
    ];
    expect(parseStoredItems(stored)).toEqual([item]);
  });

  it("reads a value that is not a list as no items", () => {
    expect(parseStoredItems(null)).toEqual([]);
    expect(parseStoredItems(undefined)).toEqual([]);
    expect(parseStoredItems({ 0: item })).toEqual([]);
  });
});
