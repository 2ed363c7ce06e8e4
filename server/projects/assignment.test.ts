import { describe, expect, it } from "vitest";
import { byWorkload, clipAspectKey, goldAttempts, overlapTwins, roundRobin, shareOf } from "./assignment";

describe("assignment", () => {
  it("round robin deals in turn", () => {
    expect(roundRobin(["t1", "t2", "t3", "t4", "t5"], ["a", "b"]).map((p) => p.annotatorId)).toEqual(["a", "b", "a", "b", "a"]);
    expect(roundRobin(["t1"], [])).toEqual([]);
  });

  it("by workload fills the least loaded first, ties to the earlier person", () => {
    const picks = byWorkload(["t1", "t2", "t3", "t4"], ["a", "b"], new Map([["a", 2]]));
    expect(picks.map((p) => p.annotatorId)).toEqual(["b", "b", "a", "b"]);
  });

  it("shares round and never exceed the total", () => {
    expect(shareOf(4, 50)).toBe(2);
    expect(shareOf(10, 1)).toBe(1);
    expect(shareOf(3, 100)).toBe(3);
    expect(shareOf(5, 0)).toBe(0);
  });

  it("overlap twins go to another annotator and skip pairs that exist", () => {
    const assigned = [
      { taskId: "1", videoId: "v1", aspect: "subject", annotatorId: "a" },
      { taskId: "2", videoId: "v2", aspect: "subject", annotatorId: "b" },
    ];
    expect(overlapTwins(assigned, ["a", "b"], 100, new Map())).toEqual([
      { videoId: "v1", aspect: "subject", annotatorId: "b" },
      { videoId: "v2", aspect: "subject", annotatorId: "a" },
    ]);
    expect(overlapTwins(assigned, ["a", "b"], 100, new Map([[clipAspectKey("v1", "subject"), 2]]))).toHaveLength(1);
    expect(overlapTwins(assigned, ["a"], 100, new Map())).toEqual([]);
  });

  it("gold attempts: the share of what was given, only gold not yet attempted", () => {
    const gold = [{ videoId: "v1", aspect: "subject" }, { videoId: "v2", aspect: "subject" }, { videoId: "v3", aspect: "scene" }];
    expect(goldAttempts(4, 50, gold, () => false)).toHaveLength(2);
    expect(goldAttempts(4, 50, gold, (v) => v === "v1")).toEqual([gold[1], gold[2]]);
    expect(goldAttempts(0, 50, gold, () => false)).toEqual([]);
  });
});
