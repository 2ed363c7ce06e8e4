import type { videos } from "../../db/schema/index";
import type { VideoMeta } from "../../../shared/api/videos";

export type VideoRow = typeof videos.$inferSelect;

export function videoFileUrl(id: string): string {
  return `/api/videos/${id}/file`;
}

/** The public view of a video row: never its storage kind or path on disk. */
export function toVideoMeta(v: VideoRow): VideoMeta {
  return {
    id: v.id,
    projectId: v.projectId,
    title: v.title,
    description: v.description,
    mimeType: v.mimeType,
    sizeBytes: v.sizeBytes,
    durationSec: v.durationSec,
    fps: v.fps,
    width: v.width,
    height: v.height,
    sha256: v.sha256,
    fileUrl: videoFileUrl(v.id),
    createdAt: v.createdAt.toISOString(),
  };
}
