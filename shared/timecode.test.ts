import { describe, expect, it } from "vitest";
import { formatTimecode, frameAt, parseTimecode, stepFrames, timeOfFrame } from "./timecode";

describe("timecode", () => {
  it("formats HH:MM:SS:FF", () => {
    expect(formatTimecode(0, 24)).toBe("00:00:00:00");
    expect(formatTimecode(1 - 1 / 24, 24)).toBe("00:00:00:23");
    expect(formatTimecode(3661 + 5 / 25, 25)).toBe("01:01:01:05");
    expect(formatTimecode(75.4, null)).toBe("00:01:15:--");
  });

  it("parses what it formats", () => {
    for (const fps of [24, 25, 30]) {
      for (const frame of [0, 1, 23, 24, 100, 3601]) {
        const t = timeOfFrame(frame, fps);
        const parsed = parseTimecode(formatTimecode(t, fps), fps);
        expect(parsed).not.toBeNull();
        expect(frameAt(parsed ?? -1, fps)).toBe(frame);
      }
    }
    expect(parseTimecode("00:00:01:24", 24)).toBeNull();
    expect(parseTimecode("nonsense", 24)).toBeNull();
    expect(parseTimecode("01:02:03", 24)).toBeCloseTo(62 + 3 / 24);
  });

  it("steps exactly one frame, and ten, from anywhere inside a frame", () => {
    const fps = 24;
    for (const start of [0, 0.01, 0.5, 1 / 24, 2 - 1e-9]) {
      const f = frameAt(start, fps);
      expect(frameAt(stepFrames(start, 1, fps, null), fps)).toBe(f + 1);
      expect(frameAt(stepFrames(start, 10, fps, null), fps)).toBe(f + 10);
      expect(frameAt(stepFrames(stepFrames(start, 10, fps, null), -10, fps, null), fps)).toBe(f);
    }
  });

  it("clamps at both ends of the clip", () => {
    expect(stepFrames(0, -1, 24, 4)).toBe(0);
    expect(stepFrames(3.99, 10, 24, 4)).toBeLessThan(4);
    expect(frameAt(stepFrames(3.99, 10, 24, 4), 24)).toBe(95);
  });
});
