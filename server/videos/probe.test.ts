import { describe, expect, it } from "vitest";
import { parseFfprobe, parseRate } from "./probe";

describe("ffprobe parsing", () => {
  it("reads fractional frame rates", () => {
    expect(parseRate("24/1")).toBe(24);
    expect(parseRate("30000/1001")).toBeCloseTo(29.97, 2);
    expect(parseRate("0/0")).toBeNull();
    expect(parseRate(undefined)).toBeNull();
  });

  it("takes duration from the stream, else the container", () => {
    const out = { streams: [{ width: 640, height: 360, r_frame_rate: "24/1" }], format: { duration: "4.000000" } };
    expect(parseFfprobe(out)).toEqual({ durationSec: 4, fps: 24, width: 640, height: 360 });
    expect(parseFfprobe({ streams: [] })).toBeNull();
    expect(parseFfprobe("junk")).toBeNull();
  });
});
