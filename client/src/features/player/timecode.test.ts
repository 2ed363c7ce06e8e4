import { describe, expect, it } from "vitest";
import { formatDuration, formatFps, formatTimecode } from "./timecode";

describe("formatTimecode", () => {
  it("formats HH:MM:SS:FF at an integer rate", () => {
    expect(formatTimecode(0, 24)).toBe("00:00:00:00");
    expect(formatTimecode(0.5, 24)).toBe("00:00:00:12");
    expect(formatTimecode(1, 24)).toBe("00:00:01:00");
    expect(formatTimecode(1 - 1 / 24, 24)).toBe("00:00:00:23");
    expect(formatTimecode(3661 + 5 / 25, 25)).toBe("01:01:01:05");
  });

  it("does not read a frame early because of float error", () => {
    expect(formatTimecode(0.49999999999, 24)).toBe("00:00:00:12");
    expect(formatTimecode(7 * (1 / 24), 24)).toBe("00:00:00:07");
  });

  it("labels NTSC rates at the nominal rate (non-drop-frame)", () => {
    expect(formatTimecode(1, 30000 / 1001)).toBe("00:00:00:29");
    expect(formatTimecode(2, 30000 / 1001)).toBe("00:00:01:29");
  });

  it("shows -- frames without a known rate and clamps nonsense", () => {
    expect(formatTimecode(75.4, null)).toBe("00:01:15:--");
    expect(formatTimecode(-3, 24)).toBe("00:00:00:00");
    expect(formatTimecode(Number.NaN, 24)).toBe("00:00:00:00");
  });
});

describe("formatDuration / formatFps", () => {
  it("reads well", () => {
    expect(formatDuration(4)).toBe("4.0 s");
    expect(formatDuration(65)).toBe("1:05");
    expect(formatDuration(3723)).toBe("1:02:03");
    expect(formatDuration(null)).toBe("—");
    expect(formatFps(24)).toBe("24 fps");
    expect(formatFps(30000 / 1001)).toBe("29.97 fps");
    expect(formatFps(null)).toBe("—");
  });
});
