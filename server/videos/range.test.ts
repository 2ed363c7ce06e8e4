import { describe, expect, it } from "vitest";
import { decideRange } from "./range";

describe("decideRange", () => {
  it("serves everything without a Range header or with one it does not understand", () => {
    expect(decideRange(undefined, 100)).toEqual({ kind: "full" });
    expect(decideRange("items=0-1", 100)).toEqual({ kind: "full" });
    expect(decideRange("bytes=0-1,5-6", 100)).toEqual({ kind: "full" });
    expect(decideRange("bytes=9-3", 100)).toEqual({ kind: "full" });
  });
  it("handles closed, open-ended and suffix ranges", () => {
    expect(decideRange("bytes=0-9", 100)).toEqual({ kind: "partial", start: 0, end: 9 });
    expect(decideRange("bytes=90-", 100)).toEqual({ kind: "partial", start: 90, end: 99 });
    expect(decideRange("bytes=90-1000", 100)).toEqual({ kind: "partial", start: 90, end: 99 });
    expect(decideRange("bytes=-10", 100)).toEqual({ kind: "partial", start: 90, end: 99 });
    expect(decideRange("bytes=-1000", 100)).toEqual({ kind: "partial", start: 0, end: 99 });
  });
  it("refuses ranges that select nothing", () => {
    expect(decideRange("bytes=100-", 100)).toEqual({ kind: "unsatisfiable" });
    expect(decideRange("bytes=-0", 100)).toEqual({ kind: "unsatisfiable" });
    expect(decideRange("bytes=0-", 0)).toEqual({ kind: "unsatisfiable" });
  });
});
