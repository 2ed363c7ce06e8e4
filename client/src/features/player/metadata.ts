import type { VideoMeta, VideoMetadataPatch } from "../../../../shared/api/videos";

/** What the browser measured once the clip's metadata loaded. */
export type MeasuredMetadata = { durationSec: number; width: number; height: number };

/** Pure: the fields still unknown on the server that the browser measured, i.e. what PATCH /metadata should fill. */
export function metadataToFill(video: VideoMeta, measured: MeasuredMetadata): VideoMetadataPatch | null {
  const patch: VideoMetadataPatch = {};
  if (video.durationSec === null && Number.isFinite(measured.durationSec) && measured.durationSec > 0) {
    patch.durationSec = measured.durationSec;
  }
  if (video.width === null && measured.width > 0) patch.width = measured.width;
  if (video.height === null && measured.height > 0) patch.height = measured.height;
  return Object.keys(patch).length > 0 ? patch : null;
}
