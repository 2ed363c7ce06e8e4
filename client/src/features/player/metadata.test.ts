import { describe, expect, it } from "vitest";
import type { VideoMeta } from "../../../../shared/api/videos";
import { metadataToFill } from "./metadata";

const video: VideoMeta = {
  id: "55555555-5555-4555-8555-555555555555",
  projectId: "33333333-3333-4333-8333-333333333333",
  title: "clip",
  description: null,
  mimeType: "video/webm",
  sizeBytes: 1000,
  durationSec: null,
  fps: null,
  width: null,
  height: null,
  sha256: "x",
  fileUrl: "/api/videos/55555555-5555-4555-8555-555555555555/file",
  createdAt: "2026-01-01T00:00:00.000Z",
};

describe("metadataToFill", () => {
  it("fills only what the server does not know", () => {
    expect(metadataToFill(video, { durationSec: 4, width: 640, height: 360 })).toEqual({ durationSec: 4, width: 640, height: 360 });
    expect(metadataToFill({ ...video, durationSec: 4 }, { durationSec: 4.01, width: 640, height: 360 })).toEqual({ width: 640, height: 360 });
    expect(metadataToFill({ ...video, durationSec: 4, width: 640, height: 360 }, { durationSec: 4, width: 640, height: 360 })).toBeNull();
  });

  it("ignores measurements that are not real", () => {
    expect(metadataToFill(video, { durationSec: Number.POSITIVE_INFINITY, width: 0, height: 0 })).toBeNull();
  });
});
