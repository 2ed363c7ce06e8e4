import { z } from "zod";
import { ClipPlacement, EXPORT_FORMATS, ExportStatus, Manifest, unknownFormatMessage } from "../dataset/formats";
import { Id, IsoDate, PersonRef } from "./common";

/** Dataset exports started from the lead's UI (server/resources/exports/route.ts); the files are those of exportDataset(). */

export const EXPORT_FORMAT_CHOICES = [...EXPORT_FORMATS, "all"] as const;
/** A format or "all"; a retired name ("reward-pairs") is refused with what replaced it. */
export const ExportFormatChoice = z.enum(EXPORT_FORMAT_CHOICES, {
  error: (issue) => unknownFormatMessage(typeof issue.input === "string" ? issue.input : "", EXPORT_FORMAT_CHOICES),
});
export type ExportFormatChoice = z.infer<typeof ExportFormatChoice>;

/**
 * POST /api/exports. `split` is the share of clips in the test split (0 = no test files), as `--split test=X` in
 * the CLI; `clips` how the clips are placed in the folder's videos/ (`--clips`). The output folder is never chosen
 * by the client: the server writes under DATA_DIR/exports/<job id>.
 */
export const StartExportRequest = z.strictObject({
  format: ExportFormatChoice,
  status: ExportStatus.default("approved"),
  split: z.number().min(0).max(1).default(0),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  clips: ClipPlacement.default("link"),
  project: z.string().trim().min(1).max(200).optional(),
});
export type StartExportRequest = z.input<typeof StartExportRequest>;
export type ExportJobOptions = z.output<typeof StartExportRequest>;

export const StartExportResponse = z.object({ id: Id });
export type StartExportResponse = z.infer<typeof StartExportResponse>;

export const EXPORT_JOB_STATES = ["queued", "running", "done", "failed"] as const;
export const ExportJobState = z.enum(EXPORT_JOB_STATES);
export type ExportJobState = z.infer<typeof ExportJobState>;

export const ExportProgress = z.object({
  /** Tasks read from the database so far (including those skipped for lack of an accepted version). */
  tasksRead: z.number().int().min(0),
  /** Tasks written to the files so far. */
  tasks: z.number().int().min(0),
  records: z.number().int().min(0),
  /** Tasks the export will read, when known up front (null: progress is shown without a total). */
  totalTasks: z.number().int().min(0).nullable(),
});
export type ExportProgress = z.infer<typeof ExportProgress>;

export const ExportJob = z.object({
  id: Id,
  createdBy: PersonRef,
  createdAt: IsoDate,
  startedAt: IsoDate.nullable(),
  finishedAt: IsoDate.nullable(),
  options: StartExportRequest,
  state: ExportJobState,
  progress: ExportProgress,
  /** The finished export's manifest (files with record counts and SHA-256, clips per split, spec versions). */
  manifest: Manifest.nullable(),
  skippedTasks: z.number().int().min(0).nullable(),
  error: z.string().nullable(),
});
export type ExportJob = z.infer<typeof ExportJob>;

/** GET /api/exports: newest first. */
export const ExportJobList = z.object({ jobs: z.array(ExportJob) });
export type ExportJobList = z.infer<typeof ExportJobList>;

/** The SSE event name of GET /api/exports/:id/progress; its data is an ExportJob as JSON. */
export const EXPORT_PROGRESS_EVENT = "job";

export const isFinished = (state: ExportJobState) => state === "done" || state === "failed";

/** The download URL of a file of a finished export (its manifest names the files). */
export const exportFileHref = (jobId: string, name: string) =>
  `/api/exports/${encodeURIComponent(jobId)}/files/${encodeURIComponent(name)}`;

/** The whole finished folder as one tar (records, dataset_info.json, manifest.json, clips in videos/). */
export const exportArchiveHref = (jobId: string) => `/api/exports/${encodeURIComponent(jobId)}/archive`;

/** The archive's file name, and its top folder once unpacked. */
export const exportArchiveName = (jobId: string) => `chai-export-${jobId.slice(0, 8)}.tar`;

/** Request paths of dataset exports (file downloads: exportFileHref). */
export const EXPORT_PATHS = {
  list: "/api/exports",
  one: (jobId: string) => `/api/exports/${encodeURIComponent(jobId)}`,
  /** Server-sent events, see EXPORT_PROGRESS_EVENT. */
  progress: (jobId: string) => `/api/exports/${encodeURIComponent(jobId)}/progress`,
} as const;
