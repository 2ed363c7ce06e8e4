import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { extractFrames, ffmpegAvailable, frameTimes, probeDuration, sampleFrames } from "./frames";

const hasFfmpeg = spawnSync("ffmpeg", ["-version"], { stdio: "ignore" }).status === 0;

describe.runIf(hasFfmpeg)("sampled frames (ffmpeg)", () => {
  it("extracts N JPEG frames of a clip as base64", async () => {
    expect(await ffmpegAvailable()).toBe(true);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-frames-test-"));
    const clip = path.join(dir, "clip.webm");
    const made = spawnSync("ffmpeg", ["-loglevel", "error", "-f", "lavfi", "-i", "testsrc=duration=2:size=160x120:rate=10", "-c:v", "libvpx", "-y", clip]);
    expect(made.status).toBe(0);
    const frames = await extractFrames(clip, 2, 4);
    expect(frames).toHaveLength(4);
    for (const f of frames) {
      expect(f.mime).toBe("image/jpeg");
      // JPEG start-of-image marker.
      expect(Buffer.from(f.base64, "base64").subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    }
    // Each frame carries when it was taken: the fps filter at 4/2 s emits frame k at k·0.5 s.
    expect(frames.map((f) => f.atSec)).toEqual([0, 0.5, 1, 1.5]);
    // An unknown duration is probed, so the times are still known.
    expect(await probeDuration(clip)).toBeCloseTo(2, 1);
    const probed = await sampleFrames(clip, null, 4);
    expect(probed.durationSec).toBeCloseTo(2, 1);
    expect(probed.frames.map((f) => f.atSec)).toEqual(frameTimes(4, probed.durationSec ?? 0));
    await expect(extractFrames(path.join(dir, "missing.webm"), 2, 4)).rejects.toThrow(/ffmpeg exited/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
