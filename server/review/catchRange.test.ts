import { describe, expect, it } from "vitest";
import { CatchRequest } from "../../shared/api/review";
import { describeIssues } from "../http/issues";
import { outsideClip } from "./catches";

describe("a catch's time range", () => {
  it("must lie within the clip, said in words", () => {
    expect(outsideClip({ timeStart: 1, timeEnd: 3.9 }, 4)).toBeNull();
    expect(outsideClip({ timeStart: 1, timeEnd: 4.02 }, 4)).toBeNull();
    expect(outsideClip({ timeStart: 2, timeEnd: 9 }, 4)).toBe("The catch ends at 9.0 s, after the clip ends (4.0 s).");
    expect(outsideClip({ timeStart: 7 }, 4)).toBe("The catch starts at 7.0 s, after the clip ends (4.0 s).");
    expect(outsideClip({ timeStart: 70 }, null)).toBeNull();
  });

  it("refuses a reversed range with a message a reviewer understands", () => {
    const parsed = CatchRequest.safeParse({ requestKey: "k-12345678", kind: "missed_error", timeStart: 3, timeEnd: 1, note: "Missed the tilt." });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(describeIssues(parsed.error.issues, "catch")).toMatch(/end time is before its start time/);
  });
});
