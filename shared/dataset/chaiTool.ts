import { z } from "zod";
import type { Aspect } from "../domain";

/**
 * The export layout of the CHAI authors' annotation tool (sy77777en/video_annotation_folk @ f4f738f,
 * caption/export.py and caption/export.md): per video `{video_id, video_url, captions}`, `captions` keyed by a short
 * code — the tool's codes are our aspect names — each entry a `status` and, by status, `caption_data` and (rejected)
 * `negative_example`. server/dataset/chaiTool.ts maps it to and from our `chai` records.
 */

/** Each aspect's task id in the tool (its config `task` / `output_name`, and the raw output folder's name). */
export const CHAI_TOOL_TASK_IDS = {
  subject: "subject_description",
  scene: "scene_composition_dynamics",
  motion: "subject_motion_dynamics",
  spatial: "spatial_framing_dynamics",
  camera: "camera_framing_dynamics",
} as const satisfies Record<Aspect, string>;

/** Each aspect's task name in the tool (its config `name`; export.py's CONFIG_TO_CAPTION keys). */
export const CHAI_TOOL_TASK_NAMES = {
  subject: "Subject Description Caption",
  scene: "Scene Composition and Dynamics Caption",
  motion: "Subject Motion and Dynamics Caption",
  spatial: "Spatial Framing and Dynamics Caption",
  camera: "Camera Framing and Dynamics Caption",
} as const satisfies Record<Aspect, string>;

/** The order the tool writes a video's captions in: its all_configs.json. */
export const CHAI_TOOL_CAPTION_ORDER: readonly Aspect[] = ["camera", "subject", "motion", "scene", "spatial"];

/**
 * export.py's CONFIG_TO_CAPTION codes in its order: the five above, then the lighting project's three. Its
 * statistics iterate all eight (and count total_possible_tasks = videos × 8), so ours do too.
 */
export const CHAI_TOOL_STATISTICS_CODES = ["subject", "scene", "motion", "spatial", "camera", "color", "lighting", "effects"] as const;

export const CHAI_TOOL_STATUSES = ["not_completed", "completed_not_reviewed", "approved", "rejected", "error"] as const;
export const ChaiToolStatus = z.enum(CHAI_TOOL_STATUSES);
export type ChaiToolStatus = z.infer<typeof ChaiToolStatus>;

/** export.py: `perfect_precaption` when the initial rating is 5, else `improved_precaption`. */
export const WORKFLOW_PERFECT = "perfect_precaption";
export const WORKFLOW_IMPROVED = "improved_precaption";

/** The files of one export, `<ts>` = YYYYMMDD_HHMM (export.py save_export_files). */
export const CHAI_TOOL_FILES = {
  all: (ts: string) => `all_videos_with_captions_${ts}.json`,
  reviewed: (ts: string) => `reviewed_videos_${ts}.json`,
  notCompleted: (ts: string) => `not_completed_videos_${ts}.json`,
  statistics: (ts: string) => `comprehensive_statistics_${ts}.json`,
} as const;

const text = z.string().max(200_000);
/** The tool writes "" for a key missing from its raw file and null for one present but unset: both are read. */
const maybeText = text.nullable().optional();
const rating = z.number().int().min(1).max(5).nullable().optional();

/**
 * The tool's workflow provenance of one version that our tables do not otherwise hold, kept as the tool wrote it
 * (task_versions.provenance, and `provenance` in our `chai` record): the prompts, models and mode, the model's
 * polish as it returned it (the critique that stands may be the annotator's edit of it), the two ratings, and the
 * tool's own texts of the version's and the review's times (naive local time to the microsecond; our clock keeps
 * UTC milliseconds). A key absent = not known (our own work); a key present = the tool's value, null and "" included,
 * written back as is.
 */
export const VersionProvenance = z.strictObject({
  pre_caption_prompt: maybeText,
  pre_caption_llm: maybeText,
  pre_caption_mode: maybeText,
  gpt_feedback: maybeText,
  gpt_feedback_llm: maybeText,
  gpt_feedback_prompt: maybeText,
  feedback_rating_score: rating,
  gpt_caption_prompt: maybeText,
  gpt_caption_llm: maybeText,
  caption_rating_score: rating,
  timestamp: maybeText,
  review_timestamp: maybeText,
});
export type VersionProvenance = z.infer<typeof VersionProvenance>;
export const PROVENANCE_FIELDS = Object.keys(VersionProvenance.shape) as (keyof VersionProvenance)[];

/**
 * `caption_data` and `negative_example` as the tool writes them (extract_complete_workflow_data, plus the review
 * fields and `original_annotator`). Read leniently: every field may be missing (export.md's own examples omit many),
 * and fields the tool adds later pass through unread.
 */
export const ChaiToolCaptionData = z.looseObject({
  user: maybeText,
  timestamp: maybeText,
  workflow_type: maybeText,
  pre_caption: maybeText,
  pre_caption_prompt: maybeText,
  pre_caption_llm: maybeText,
  pre_caption_mode: maybeText,
  initial_caption_rating_score: rating,
  feedback_is_needed: z.boolean().nullable().optional(),
  initial_feedback: maybeText,
  gpt_feedback: maybeText,
  gpt_feedback_llm: maybeText,
  gpt_feedback_prompt: maybeText,
  feedback_rating_score: rating,
  final_feedback: maybeText,
  gpt_caption: maybeText,
  gpt_caption_prompt: maybeText,
  gpt_caption_llm: maybeText,
  caption_rating_score: rating,
  final_caption: maybeText,
  reviewer: maybeText,
  review_timestamp: maybeText,
  reviewer_double_check: z.boolean().nullable().optional(),
  original_annotator: maybeText,
});
export type ChaiToolCaptionData = z.infer<typeof ChaiToolCaptionData>;

/** One task of a video (the critique variants generate_critiques.py adds beside these pass through unread). */
export const ChaiToolTaskEntry = z.looseObject({
  status: ChaiToolStatus,
  caption_data: ChaiToolCaptionData.optional(),
  negative_example: ChaiToolCaptionData.optional(),
  error: z.string().max(20_000).optional(),
});
export type ChaiToolTaskEntry = z.infer<typeof ChaiToolTaskEntry>;

export const ChaiToolVideo = z.looseObject({
  video_id: z.string().min(1).max(4096),
  video_url: z.string().min(1).max(4096),
  /** Keyed by code; codes other than our aspects (the lighting project's) are kept but not imported. */
  captions: z.record(z.string().max(100), ChaiToolTaskEntry),
});
export type ChaiToolVideo = z.infer<typeof ChaiToolVideo>;

/** Whether an object is a tool video (the importer's test: it has `captions` and `video_id`). */
export const isChaiToolVideo = (obj: object): boolean => "captions" in obj && "video_id" in obj;

/**
 * The workflow fields as we write them, every key always present, in export.py's order. Strings we do not have
 * are null (the key is there, the value unknown), as the tool writes its unset fields.
 */
export type ChaiToolWorkflowOut = {
  user: string;
  timestamp: string;
  workflow_type: typeof WORKFLOW_PERFECT | typeof WORKFLOW_IMPROVED;
  pre_caption: string;
  pre_caption_prompt: string | null;
  pre_caption_llm: string | null;
  pre_caption_mode: string | null;
  initial_caption_rating_score: number | null;
  feedback_is_needed: boolean;
  initial_feedback: string | null;
  gpt_feedback: string | null;
  gpt_feedback_llm: string | null;
  gpt_feedback_prompt: string | null;
  feedback_rating_score: number | null;
  final_feedback: string | null;
  gpt_caption: string | null;
  gpt_caption_prompt: string | null;
  gpt_caption_llm: string | null;
  caption_rating_score: number | null;
  final_caption: string;
};

export type ChaiToolReviewOut = { reviewer: string; review_timestamp: string; reviewer_double_check: boolean };

export type ChaiToolCaptionDataOut = ChaiToolWorkflowOut & Partial<ChaiToolReviewOut> & { original_annotator?: string };

export type ChaiToolTaskEntryOut =
  | { status: "not_completed" }
  | { status: "completed_not_reviewed" | "approved"; caption_data: ChaiToolCaptionDataOut }
  | { status: "rejected"; caption_data: ChaiToolCaptionDataOut; negative_example?: ChaiToolWorkflowOut };

export type ChaiToolVideoOut = { video_id: string; video_url: string; captions: Partial<Record<Aspect, ChaiToolTaskEntryOut>> };

/** The tool's `<ts>`: YYYYMMDD_HHMM (it uses local time; we use UTC, as for every time we write). */
export function chaiToolStamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}`;
}

/**
 * A time as the tool writes it, Python's datetime.isoformat() of a naive time: "2025-06-29T11:45:00", with
 * ".ffffff" when there is a fraction. Ours are UTC; the tool's are the annotation server's local time.
 */
export function chaiToolTime(iso: string): string {
  const d = new Date(iso);
  const s = d.toISOString().slice(0, 19);
  const ms = d.getUTCMilliseconds();
  return ms === 0 ? s : `${s}.${String(ms).padStart(3, "0")}000`;
}

const TOOL_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A tool time → an ISO instant; null when unreadable. A naive time (the tool's) is read as UTC; the fraction is cut
 * to milliseconds (JavaScript's precision), so "…:00.123456" reads as "…:00.123".
 */
export function fromChaiToolTime(value: string | null | undefined): string | null {
  const m = value ? TOOL_TIME.exec(value.trim()) : null;
  if (!m) return null;
  const [, date, hm, sec, frac, zone] = m;
  const ms = (frac ?? "").padEnd(3, "0").slice(0, 3);
  const tz = !zone || zone === "Z" ? "Z" : zone.includes(":") ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const d = new Date(`${date}T${hm}${sec ?? ":00"}.${ms}${tz}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
