import { z } from "zod";
import { Id } from "./common";
import { GenerateTasksResponse } from "./projects";
import { VideoMeta } from "./videos";

/**
 * Clip uploads: the tus 1.0 protocol (resumable uploads) at UPLOAD_PATHS.tus, served by @tus/server and spoken by
 * tus-js-client. The upload's metadata carries `projectId`, `filename` and `filetype`; the final PATCH answers with
 * an UploadOutcome as JSON (tus allows a body there; tus-js-client hands it to onSuccess as lastResponse).
 */
export const UPLOAD_PATHS = {
  tus: "/api/uploads",
  /** GET ?projectId=: the project's clips, newest first. */
  clips: "/api/uploads/clips",
} as const;

/** The largest clip accepted (2 GiB): long enough for any critique clip, small enough for one disk write. */
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

/** The container types accepted, with the file extensions that carry them. */
export const UPLOAD_TYPES: Record<string, readonly string[]> = { "video/webm": [".webm"], "video/mp4": [".mp4", ".m4v"] };

/** The metadata a client sends with a new upload (tus Upload-Metadata). */
export const UploadMetadata = z.object({
  projectId: Id.describe("the project the clip belongs to"),
  filename: z.string().trim().min(1, "Give the file's name.").max(255, "The file name is longer than 255 characters."),
  filetype: z.string().optional(),
});
export type UploadMetadata = z.infer<typeof UploadMetadata>;

/**
 * What became of a finished upload: a new clip, a clip already known by its content hash (in this or another
 * project), or a file refused with the reason (not a video, a codec browsers cannot play). `tasks` are the clip's
 * tasks in the upload's project: how many the upload made (one per aspect; none again for a duplicate) and how many
 * it has.
 */
export const UploadOutcome = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("created"), message: z.string(), video: VideoMeta, tasks: GenerateTasksResponse }),
  z.object({ kind: z.literal("duplicate"), message: z.string(), video: VideoMeta, tasks: GenerateTasksResponse }),
  z.object({ kind: z.literal("refused"), message: z.string() }),
]);
export type UploadOutcome = z.infer<typeof UploadOutcome>;

export const ProjectClipsQuery = z.object({ projectId: Id });
export const ProjectClipsResponse = z.array(VideoMeta);
export type ProjectClipsResponse = z.infer<typeof ProjectClipsResponse>;
