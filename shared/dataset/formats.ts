import { z } from "zod";
import { Aspect, CatchKind, CatchStatus, Decision, RoundStatus } from "../domain";
import { CritiqueItem } from "../critique/items";
import { LabelValue } from "../labels";
import { Stage } from "../domain/stages";

/**
 * The dataset export formats: one zod schema per record layout, so the exporter's tests, the importer and any
 * downstream checker validate against the same definitions. Records are JSON Lines, one object per line.
 */

export const EXPORT_FORMATS = ["chai", "caption-sft", "reward-yesno", "reward-pairs", "critique-gen"] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** Formats written in LLaMA-Factory's sharegpt layout (and therefore listed in dataset_info.json). */
export const SHAREGPT_FORMATS: readonly ExportFormat[] = ["caption-sft", "reward-yesno", "critique-gen"];

export const EXPORT_STATUSES = ["approved", "submitted", "all"] as const;
export const ExportStatus = z.enum(EXPORT_STATUSES);
export type ExportStatus = z.infer<typeof ExportStatus>;

export const SPLITS = ["train", "test"] as const;
export type Split = (typeof SPLITS)[number];

/**
 * The critique-generation target for a caption that needs no correction: the post-caption (and a pre-caption
 * scored 5) is mapped to this one fixed sentence, so a critique model learns to say "nothing to fix".
 */
export const PERFECT_CAPTION_SENTINEL = "No errors found: the caption is accurate and complete.";

/** Yes/no reward targets. */
export const YES = "Yes";
export const NO = "No";

/** A pseudonymous person id: "p_" + 16 hex of an HMAC of the user id (never an email or a name). */
export const Pseudonym = z.string().regex(/^p_[0-9a-f]{16}$/);

const iso = z.string().datetime({ offset: true });
const text = z.string().max(200_000);

export const ChaiCritique = z.strictObject({
  items: z.array(CritiqueItem),
  /** The rendered plain text (shared/critique.ts renderCritique) as submitted. */
  text,
  /** The polished critique text, when the annotator polished it. */
  polished_text: text.nullable(),
});
export type ChaiCritique = z.infer<typeof ChaiCritique>;

export const ChaiPrimitive = z.strictObject({
  primitive_id: z.string().min(3).max(200),
  value: LabelValue,
  not_sure: z.boolean(),
  time_start: z.number().min(0).nullable(),
  time_end: z.number().min(0).nullable(),
  note: z.string().max(2000).nullable(),
  labelled_by: Pseudonym,
});

export const ChaiRound = z.strictObject({
  n: z.number().int().min(1),
  status: RoundStatus,
  critique_items: z.array(CritiqueItem),
  critique_text: text,
  post_caption: text.nullable(),
  provider: z.string().max(200),
  model: z.string().max(200),
  prompt_hash: z.string().max(200),
  requested_by: Pseudonym.nullable(),
  started_at: iso,
  finished_at: iso.nullable(),
});

export const ChaiReview = z.strictObject({
  verdict: Decision,
  note: z.string().max(20_000),
  reviewer: Pseudonym,
  created_at: iso,
});

export const ChaiCatch = z.strictObject({
  kind: CatchKind,
  item_id: z.string().max(200).nullable(),
  quote: z.string().max(20_000).nullable(),
  time_start: z.number().nullable(),
  time_end: z.number().nullable(),
  note: z.string().max(20_000),
  status: CatchStatus,
  reviewer: Pseudonym,
  created_at: iso,
});

/** A rejected annotator version, kept as a negative example. */
export const ChaiNegative = z.strictObject({
  author: Pseudonym,
  author_role: z.enum(["annotator", "reviewer"]),
  pre_caption: text,
  score: z.number().int().min(1).max(5).nullable(),
  critique: ChaiCritique,
  post_caption: text,
  created_at: iso,
});

/**
 * `chai`: one record per task (a video × aspect worked by one annotator, so normally one per (video, aspect)),
 * from its final accepted version. Field order here is the order written.
 */
export const ChaiRecord = z.strictObject({
  video: z.string().min(1).max(4096),
  video_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  project: z.string().max(200),
  aspect: Aspect,
  spec_version: z.string().min(1).max(200),
  stage: Stage,
  created_at: iso,
  submitted_at: iso.nullable(),
  reviewed_at: iso.nullable(),
  annotator: Pseudonym.nullable(),
  primitives: z.array(ChaiPrimitive),
  pre_caption: text,
  pre_caption_model: z.strictObject({ provider: z.string().max(200), model: z.string().max(200) }).nullable(),
  score: z.number().int().min(1).max(5).nullable(),
  critique: ChaiCritique,
  rounds: z.array(ChaiRound),
  post_caption: text,
  author: Pseudonym,
  author_role: z.enum(["annotator", "reviewer"]),
  version_created_at: iso,
  verdict: Decision.nullable(),
  reviews: z.array(ChaiReview),
  catches: z.array(ChaiCatch),
  negatives: z.array(ChaiNegative),
});
export type ChaiRecord = z.infer<typeof ChaiRecord>;

const VIDEO_TOKEN = "<video>";
const countVideoTokens = (s: string) => s.split(VIDEO_TOKEN).length - 1;

export const ShareGptMessage = z.strictObject({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string().min(1),
});

/**
 * LLaMA-Factory's sharegpt layout with videos: alternating user/assistant messages, and as many `<video>` tokens
 * across the messages as there are entries in `videos` (LLaMA-Factory refuses the sample otherwise).
 */
export const ShareGptRecord = z
  .strictObject({
    messages: z.array(ShareGptMessage).min(2),
    videos: z.array(z.string().min(1)).min(1),
  })
  .refine((r) => r.messages.reduce((n, m) => n + countVideoTokens(m.content), 0) === r.videos.length, {
    message: "the number of <video> tokens must equal the number of videos",
    path: ["messages"],
  })
  .refine((r) => r.messages.at(-1)?.role === "assistant", { message: "the last message must be the assistant's" });
export type ShareGptRecord = z.infer<typeof ShareGptRecord>;

export const CaptionSftRecord = ShareGptRecord;
export type CaptionSftRecord = ShareGptRecord;

export const RewardYesNoRecord = ShareGptRecord.refine((r) => [YES, NO].includes(r.messages.at(-1)?.content ?? ""), {
  message: `the answer must be "${YES}" or "${NO}"`,
});
export type RewardYesNoRecord = ShareGptRecord;

export const CritiqueGenRecord = ShareGptRecord;
export type CritiqueGenRecord = ShareGptRecord;

/**
 * TRL's preference layout (standard, not conversational): `prompt`, `chosen`, `rejected` strings, plus the clip in
 * `videos` (the prompt carries one `<video>` token for it). chosen = post-caption, rejected = pre-caption.
 */
export const RewardPairRecord = z
  .strictObject({
    prompt: z.string().min(1),
    chosen: z.string().min(1),
    rejected: z.string().min(1),
    videos: z.array(z.string().min(1)).length(1),
  })
  .refine((r) => countVideoTokens(r.prompt) === r.videos.length, { message: "the prompt needs one <video> token" })
  .refine((r) => r.chosen !== r.rejected, { message: "chosen and rejected must differ" });
export type RewardPairRecord = z.infer<typeof RewardPairRecord>;

/** The schema of each format's records. */
export const RECORD_SCHEMAS: Record<ExportFormat, z.ZodType> = {
  chai: ChaiRecord,
  "caption-sft": CaptionSftRecord,
  "reward-yesno": RewardYesNoRecord,
  "reward-pairs": RewardPairRecord,
  "critique-gen": CritiqueGenRecord,
};

/** The file a format's split is written to, inside the output folder. */
export const exportFileName = (format: ExportFormat, split: Split) => `${format}.${split}.jsonl`;

export const ManifestFile = z.strictObject({
  name: z.string(),
  format: ExportFormat,
  split: z.enum(SPLITS),
  records: z.number().int().min(0),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const Manifest = z.strictObject({
  tool: z.literal("chai-studio"),
  manifest_version: z.literal(1),
  format: z.union([ExportFormat, z.literal("all")]),
  formats: z.array(ExportFormat),
  created_at: iso,
  status: ExportStatus,
  project: z.string().nullable(),
  split: z.strictObject({ test: z.number().min(0).max(1), seed: z.number().int(), by: z.literal("video_sha256") }),
  video_root: z.string().nullable(),
  spec_versions: z.array(z.string()),
  perfect_caption_sentinel: z.literal(PERFECT_CAPTION_SENTINEL),
  /** Tasks exported (a record each in `chai`). */
  tasks: z.number().int().min(0),
  videos: z.strictObject({ train: z.number().int().min(0), test: z.number().int().min(0) }),
  files: z.array(ManifestFile),
  /** LLaMA-Factory's dataset registry for the sharegpt files. */
  dataset_info: z.strictObject({ name: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
});
export type Manifest = z.infer<typeof Manifest>;
