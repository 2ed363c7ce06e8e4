import { z } from "zod";
import { Id, IsoDate } from "./common";

/** GET /api/videos/:id. Duration/fps/size are null until probed (ffprobe) or filled in by the first viewer. */
export const VideoMeta = z.object({
  id: Id,
  projectId: Id,
  title: z.string(),
  description: z.string().nullable(),
  mimeType: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  durationSec: z.number().nullable(),
  fps: z.number().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  sha256: z.string(),
  /** Where the client loads the clip from (supports HTTP Range). */
  fileUrl: z.string(),
  createdAt: IsoDate,
});
export type VideoMeta = z.infer<typeof VideoMeta>;

/**
 * PATCH /api/videos/:id/metadata: what a browser measured when the server could not probe the clip. Only fields
 * still null on the server are written; the bounds keep nonsense out.
 */
export const VideoMetadataPatch = z
  .object({
    durationSec: z.number().positive().max(24 * 3600),
    fps: z.number().positive().max(1000),
    width: z.number().int().positive().max(16384),
    height: z.number().int().positive().max(16384),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "Give at least one field." });
export type VideoMetadataPatch = z.infer<typeof VideoMetadataPatch>;

/** Request paths of videos. */
export const VIDEO_PATHS = {
  one: (videoId: string) => `/api/videos/${encodeURIComponent(videoId)}`,
  metadata: (videoId: string) => `/api/videos/${encodeURIComponent(videoId)}/metadata`,
} as const;
