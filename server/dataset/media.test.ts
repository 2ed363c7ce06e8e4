import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { clipRecordPath, placeClip } from "./media";

const dirs: string[] = [];
const tmp = (root = os.tmpdir()) => {
  const d = fs.mkdtempSync(path.join(root, "chai-media-"));
  dirs.push(d);
  return d;
};

describe("placing clips in an export", () => {
  const SHA = "ab".repeat(32);

  it("names a clip by its content, keeping a plain extension", () => {
    expect(clipRecordPath(SHA, "sub/My Clip.MP4")).toBe(`videos/${SHA}.mp4`);
    expect(clipRecordPath(SHA, `${SHA}.webm`)).toBe(`videos/${SHA}.webm`);
    expect(clipRecordPath(SHA, "clip")).toBe(`videos/${SHA}`);
    expect(clipRecordPath(SHA, "clip.tar.gz;rm")).toBe(`videos/${SHA}`);
  });

  it("hard-links on one file system, copies on request, symlinks on request, and keeps what is already placed", async () => {
    const store = tmp();
    const source = path.join(store, "clip.webm");
    fs.writeFileSync(source, "clip bytes");
    const out = tmp();
    const dest = (name: string) => path.join(out, name, "videos", `${SHA}.webm`);

    expect(await placeClip(source, dest("a"), "link")).toBe("hardlink");
    expect(fs.statSync(dest("a")).ino).toBe(fs.statSync(source).ino);
    expect(await placeClip(source, dest("a"), "link")).toBe("hardlink");

    expect(await placeClip(source, dest("b"), "copy")).toBe("copy");
    expect(fs.statSync(dest("b")).ino).not.toBe(fs.statSync(source).ino);
    expect(fs.readFileSync(dest("b"), "utf8")).toBe("clip bytes");

    expect(await placeClip(source, dest("c"), "symlink")).toBe("symlink");
    expect(fs.readlinkSync(dest("c"))).toBe(source);
    // A folder exported again with another placement gets that placement.
    expect(await placeClip(source, dest("c"), "link")).toBe("hardlink");
    expect(fs.lstatSync(dest("c")).isSymbolicLink()).toBe(false);
  });

  // /dev/shm is a tmpfs on Linux: a hard link from there to the temp folder crosses file systems.
  const shm = fs.existsSync("/dev/shm") && fs.statSync("/dev/shm").dev !== fs.statSync(os.tmpdir()).dev;
  it.runIf(shm)("copies when a hard link would cross file systems", async () => {
    const store = tmp("/dev/shm");
    const source = path.join(store, "clip.mp4");
    fs.writeFileSync(source, "other bytes");
    const dest = path.join(tmp(), "videos", `${SHA}.mp4`);
    expect(await placeClip(source, dest, "link")).toBe("copy");
    expect(fs.readFileSync(dest, "utf8")).toBe("other bytes");
  });

  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
});
