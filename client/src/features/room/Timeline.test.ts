import { describe, expect, it } from "vitest";
import { assignLanes } from "./Timeline";

describe("timeline lanes", () => {
  it("puts overlapping ranges on separate lanes and reuses a lane once it is free", () => {
    const lanes = assignLanes([
      { id: "a", start: 0, end: 2 },
      { id: "b", start: 1, end: 3 },
      { id: "c", start: 2, end: 4 },
      { id: "d", start: 2.5, end: 2.6 },
    ]);
    expect(Object.fromEntries(lanes)).toEqual({ a: 0, b: 1, c: 0, d: 2 });
  });
});
