import { describe, expect, it } from "vitest";
import path from "node:path";
import { testConfig } from "../testing/testConfig";
import { resolveVideoPath, videoMimeType } from "./storage";

describe("resolveVideoPath", () => {
  const config = testConfig({ videoRoot: "/srv/video" });

  it("resolves data and root storage inside their roots", () => {
    expect(resolveVideoPath(config, { storage: "data", path: "abc.webm" })).toBe(path.join(config.dataDir, "videos", "abc.webm"));
    expect(resolveVideoPath(config, { storage: "root", path: "batch/a.mp4" })).toBe("/srv/video/batch/a.mp4");
  });

  it("refuses paths that escape, absolute paths, NUL bytes and an unconfigured root", () => {
    expect(resolveVideoPath(config, { storage: "data", path: "../pglite/x" })).toBeNull();
    expect(resolveVideoPath(config, { storage: "root", path: "a/../../etc/passwd" })).toBeNull();
    expect(resolveVideoPath(config, { storage: "root", path: "/etc/passwd" })).toBeNull();
    expect(resolveVideoPath(config, { storage: "data", path: "a\0.webm" })).toBeNull();
    expect(resolveVideoPath(config, { storage: "data", path: "" })).toBeNull();
    expect(resolveVideoPath(testConfig(), { storage: "root", path: "a.webm" })).toBeNull();
  });
});

describe("videoMimeType", () => {
  it("knows WebM and MP4 only", () => {
    expect(videoMimeType("a.WEBM")).toBe("video/webm");
    expect(videoMimeType("a.mp4")).toBe("video/mp4");
    expect(videoMimeType("a.avi")).toBeNull();
  });
});
