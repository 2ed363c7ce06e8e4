import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { inspectMedia, snapFrameRate } from "./mediaProbe";
import { probeVideo } from "./probe";

const CLIPS = path.resolve(import.meta.dirname, "../../demo/clips");
const Manifest = z.object({
  clips: z.array(z.object({ file: z.string(), durationSec: z.number(), fps: z.number(), width: z.number(), height: z.number() })),
});
const manifest = Manifest.parse(JSON.parse(fs.readFileSync(path.join(CLIPS, "manifest.json"), "utf8")));

describe("mediabunny probe", () => {
  it.each(manifest.clips.map((c) => [c.file, c] as const))("reads %s as the manifest describes it", async (file, expected) => {
    const result = await inspectMedia(path.join(CLIPS, file));
    expect(result).toMatchObject({ ok: true, codec: "vp9", mimeType: "video/webm" });
    if (!result.ok) return;
    expect(result.meta.durationSec).toBeCloseTo(expected.durationSec, 1);
    expect(result.meta).toMatchObject({ fps: expected.fps, width: expected.width, height: expected.height });
  });

  it("is probeVideo's default, so no ffprobe is needed", async () => {
    const meta = await probeVideo(path.join(CLIPS, "static.webm"));
    expect(meta).toMatchObject({ fps: 24, width: 640, height: 360 });
  });

  it("answers a file that is not a video with a message", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "chai-probe-")), "junk.webm");
    fs.writeFileSync(file, "definitely not a video");
    const result = await inspectMedia(file, "junk.webm");
    expect(result).toEqual({ ok: false, problem: "junk.webm is not a video we can read; convert it to WebM (VP9) or MP4 (H.264)." });
  });

  it("snaps measured frame rates to the container's rate", () => {
    expect(snapFrameRate(24.002)).toBe(24);
    expect(snapFrameRate(29.971)).toBe(29.97);
    expect(snapFrameRate(12.3456)).toBe(12.346);
    expect(snapFrameRate(0)).toBeNull();
  });
});
