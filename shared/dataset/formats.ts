import { z } from "zod";
import { Aspect, CatchKind, CatchStatus, Decision, RoundStatus } from "../domain";
import { CritiqueItem } from "../critique/items";
import { LabelValue } from "../labels";
import { Stage } from "../domain/stages";
import { CaptionFacts, EMPTY_FACTS } from "../captionFacts";
import { VersionProvenance } from "./chaiTool";

/**
 * The dataset export formats: one zod schema per record layout, so the exporter's tests, the importer and any
 * downstream checker validate against the same definitions. Records are JSON Lines, one object per line.
 */

export const EXPORT_FORMATS = [
  "chai",
  "caption-sft",
  "caption-dpo",
  "reward-yesno",
  "critique-gen",
  "trl-caption-sft",
  "trl-caption-preference",
  "ablation-inaccurate",
  "ablation-incomplete",
  "ablation-nonconstructive",
  "chai-tool",
  "camerabench",
] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** Names an older version exported, and what replaced each: asking for one is an error in these words. */
export const RETIRED_FORMATS: Readonly<Record<string, string>> = {
  "reward-pairs":
    '"reward-pairs" was replaced: its string prompt with a literal <video> is plain text to TRL. Use ' +
    '"trl-caption-preference" (TRL conversational preference, the clip as a typed video part) or "caption-dpo" ' +
    "(LLaMA-Factory DPO).",
};

/** The message for a format name that is not one of ours (retired names say what replaced them). */
export function unknownFormatMessage(name: string, choices: readonly string[] = EXPORT_FORMATS): string {
  return RETIRED_FORMATS[name] ?? `The format must be one of: ${choices.join(", ")}.`;
}

/** The three degraded critique sets (server/dataset/ablation.ts says how each is made). */
export const ABLATION_FORMATS = ["ablation-inaccurate", "ablation-incomplete", "ablation-nonconstructive"] as const;
export type AblationFormat = (typeof ABLATION_FORMATS)[number];
export const isAblationFormat = (f: ExportFormat): f is AblationFormat => (ABLATION_FORMATS as readonly string[]).includes(f);

/** Formats written in LLaMA-Factory's sharegpt layout (and therefore listed in dataset_info.json). */
export const SHAREGPT_FORMATS: readonly ExportFormat[] = [
  "caption-sft",
  "caption-dpo",
  "reward-yesno",
  "critique-gen",
  ...ABLATION_FORMATS,
];

/** The sharegpt formats LLaMA-Factory reads as preference data (`ranking: true`, chosen/rejected columns). */
export const RANKING_FORMATS: readonly ExportFormat[] = ["caption-dpo"];

/** TRL's trainers read `images`/`image` only: said in the manifest and the README, in these words. */
export const TRL_VIDEO_NOTE =
  "TRL's trainers read images from an `images`/`image` column only; no code in trl reads `videos`. The `videos` " +
  "column (paths relative to the export folder) is for your own collator or processor: Qwen-VL processors take " +
  "video, and their chat templates render a {\"type\": \"video\"} part.";

export type FormatGuide = {
  /** One line: what a record of the format holds. */
  carries: string;
  /** The LLaMA-Factory stage its dataset_info.json entry trains, when it has one. */
  llamaFactoryStage: "sft" | "dpo" | null;
  /** The TRL trainer the layout is made for, when it is one of TRL's. */
  trlTrainer: string | null;
};

/** What each format carries and for whom: the manifest, the CLI help and the export page read this one table. */
export const FORMAT_GUIDE: Record<ExportFormat, FormatGuide> = {
  chai: {
    carries:
      "One full record per task (clip × aspect): labels, facts, pre-caption, score, critique items and text, rounds, " +
      "post-caption, verdict, catches, rejected versions; people as pseudonyms. Not a training layout: the source of the others.",
    llamaFactoryStage: null,
    trlTrainer: null,
  },
  "caption-sft": {
    carries: "LLaMA-Factory sharegpt SFT: <video> + the aspect's instruction → the approved post-caption.",
    llamaFactoryStage: "sft",
    trlTrainer: null,
  },
  "caption-dpo": {
    carries:
      "LLaMA-Factory sharegpt DPO (ranking): <video> + instruction; chosen = post-caption, rejected = pre-caption " +
      "(only where the critique changed the caption).",
    llamaFactoryStage: "dpo",
    trlTrainer: null,
  },
  "reward-yesno": {
    carries: 'LLaMA-Factory sharegpt SFT for a yes/no reward model: post-caption → "Yes", a corrected pre-caption → "No".',
    llamaFactoryStage: "sft",
    trlTrainer: null,
  },
  "critique-gen": {
    carries: "LLaMA-Factory sharegpt SFT for a critique model: pre-caption → the human critique; post-caption → the no-errors sentinel.",
    llamaFactoryStage: "sft",
    trlTrainer: null,
  },
  "trl-caption-sft": {
    carries:
      "TRL conversational prompt/completion: the clip as a typed video part + instruction → the post-caption; " +
      "`videos` holds the clip for your collator.",
    llamaFactoryStage: null,
    trlTrainer: "SFTTrainer",
  },
  "trl-caption-preference": {
    carries:
      "TRL conversational preference with explicit prompt (typed video + text parts); chosen = post-caption, " +
      "rejected = pre-caption; `videos` holds the clip for your collator.",
    llamaFactoryStage: null,
    trlTrainer: "DPOTrainer (RewardTrainer prepends the prompt)",
  },
  "ablation-inaccurate": {
    carries: "critique-gen with each critique made wrong: every item's claim moved to another item's (or another) span of the caption.",
    llamaFactoryStage: "sft",
    trlTrainer: null,
  },
  "ablation-incomplete": {
    carries: "critique-gen with each critique cut short: half its items (at least one) dropped.",
    llamaFactoryStage: "sft",
    trlTrainer: null,
  },
  "ablation-nonconstructive": {
    carries: "critique-gen with each critique's fixes removed: items say what is wrong, never how to fix it.",
    llamaFactoryStage: "sft",
    trlTrainer: null,
  },
  "chai-tool": {
    carries:
      "The CHAI authors' annotation tool export (chai-tool/): per clip video_id, video_url and captions by aspect, each " +
      "a status and caption_data (rejected: negative_example), as its export.py writes them; with its statistics file.",
    llamaFactoryStage: null,
    trlTrainer: null,
  },
  camerabench: {
    carries:
      "CameraBench's per-label lists (camerabench/): one file per CameraBench label with its positive and negative " +
      "clip file names, plus all_labels.json and label_names.json, from the camera, spatial and scene primitives; " +
      "clips are in videos/.",
    llamaFactoryStage: null,
    trlTrainer: null,
  },
};

/** LLaMA-Factory's dataset name (the key in the export's dataset_info.json) of a sharegpt file. */
export const llamaFactoryDatasetName = (format: ExportFormat, split: Split) => `chai_${format.replace(/-/g, "_")}_${split}`;

/** The folder of the export that holds the clips; every record names its clip relative to the export folder. */
export const CLIPS_FOLDER = "videos";

/** How clips are placed in the export's videos/ folder: a hard link (a copy across file systems), a copy, a symlink. */
export const CLIP_PLACEMENTS = ["link", "copy", "symlink"] as const;
export const ClipPlacement = z.enum(CLIP_PLACEMENTS);
export type ClipPlacement = z.infer<typeof ClipPlacement>;

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
  /** The CHAI annotation tool's workflow fields of this version, when it was imported from the tool; older files: null. */
  provenance: VersionProvenance.nullable().default(null),
});

/**
 * `chai`: one record per task (a video × aspect worked by one annotator, so normally one per (video, aspect)),
 * from its final accepted version. Field order here is the order written.
 */
export const ChaiRecord = z.strictObject({
  video: z.string().min(1).max(4096),
  video_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Where the clip came from, by its own name (an upload's file name, an imported record's URL); older files: null. */
  video_source: z.string().min(1).max(4096).nullable().default(null),
  project: z.string().max(200),
  aspect: Aspect,
  spec_version: z.string().min(1).max(200),
  stage: Stage,
  created_at: iso,
  submitted_at: iso.nullable(),
  reviewed_at: iso.nullable(),
  annotator: Pseudonym.nullable(),
  primitives: z.array(ChaiPrimitive),
  /** The subjects and setting named in the labelling step; older exports without it read as none. */
  facts: CaptionFacts.default(EMPTY_FACTS),
  pre_caption: text,
  pre_caption_model: z.strictObject({ provider: z.string().max(200), model: z.string().max(200) }).nullable(),
  score: z.number().int().min(1).max(5).nullable(),
  critique: ChaiCritique,
  rounds: z.array(ChaiRound),
  post_caption: text,
  author: Pseudonym,
  author_role: z.enum(["annotator", "reviewer"]),
  version_created_at: iso,
  /** The final version's CHAI annotation tool workflow fields (as on a negative); older files: null. */
  provenance: VersionProvenance.nullable().default(null),
  verdict: Decision.nullable(),
  reviews: z.array(ChaiReview),
  catches: z.array(ChaiCatch),
  negatives: z.array(ChaiNegative),
});
export type ChaiRecord = z.infer<typeof ChaiRecord>;

/** LLaMA-Factory's video placeholder in sharegpt content (its VIDEO_PLACEHOLDER default). */
export const VIDEO_TOKEN = "<video>";
const countVideoTokens = (s: string) => s.split(VIDEO_TOKEN).length - 1;

export const ShareGptMessage = z.strictObject({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string().min(1),
});

const clipPaths = z.array(z.string().min(1)).min(1);

/**
 * LLaMA-Factory's sharegpt layout with videos: alternating user/assistant messages, and as many `<video>` tokens
 * across the messages as there are entries in `videos` (LLaMA-Factory refuses the sample otherwise).
 */
export const ShareGptRecord = z
  .strictObject({
    messages: z.array(ShareGptMessage).min(2),
    videos: clipPaths,
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

const AssistantMessage = z.strictObject({ role: z.literal("assistant"), content: z.string().min(1) });

/**
 * LLaMA-Factory's sharegpt preference layout (`ranking: true`): the messages end on a user turn (an odd count),
 * `chosen` and `rejected` are single assistant message objects, and the `<video>` count matches `videos` for
 * prompt+chosen and prompt+rejected alike (the answers carry none). chosen = post-caption, rejected = pre-caption.
 */
export const CaptionDpoRecord = z
  .strictObject({
    messages: z.array(ShareGptMessage).min(1),
    chosen: AssistantMessage,
    rejected: AssistantMessage,
    videos: clipPaths,
  })
  .refine((r) => r.messages.length % 2 === 1 && r.messages.at(-1)?.role === "user", {
    message: "the messages must end on a user turn (an odd count)",
    path: ["messages"],
  })
  .refine((r) => r.messages.reduce((n, m) => n + countVideoTokens(m.content), 0) === r.videos.length, {
    message: "the number of <video> tokens must equal the number of videos",
    path: ["messages"],
  })
  .refine((r) => countVideoTokens(r.chosen.content) + countVideoTokens(r.rejected.content) === 0, {
    message: "the answers carry no <video> token",
  })
  .refine((r) => r.chosen.content !== r.rejected.content, { message: "chosen and rejected must differ" });
export type CaptionDpoRecord = z.infer<typeof CaptionDpoRecord>;

/** TRL's typed content parts: the clip is a `{type: "video"}` part, never a `<video>` string. */
export const TrlTextPart = z.strictObject({ type: z.literal("text"), text: z.string().min(1) });
export const TrlVideoPart = z.strictObject({ type: z.literal("video") });
const noLiteralToken = (p: { text: string }) => !p.text.includes(VIDEO_TOKEN);

export const TrlUserMessage = z.strictObject({
  role: z.literal("user"),
  content: z.array(z.union([TrlVideoPart, TrlTextPart.refine(noLiteralToken, "a text part carries no <video> token")])).min(1),
});
export const TrlAssistantMessage = z.strictObject({ role: z.literal("assistant"), content: z.array(TrlTextPart).length(1) });
export type TrlUserMessage = z.infer<typeof TrlUserMessage>;
export type TrlAssistantMessage = z.infer<typeof TrlAssistantMessage>;

const videoParts = (prompt: TrlUserMessage[]) => prompt.reduce((n, m) => n + m.content.filter((p) => p.type === "video").length, 0);

/** TRL conversational prompt-completion (SFTTrainer): the prompt's video parts match `videos`, one each. */
export const TrlCaptionSftRecord = z
  .strictObject({
    prompt: z.array(TrlUserMessage).length(1),
    completion: z.array(TrlAssistantMessage).length(1),
    videos: clipPaths,
  })
  .refine((r) => videoParts(r.prompt) === r.videos.length, { message: "one video part per entry of videos", path: ["prompt"] });
export type TrlCaptionSftRecord = z.infer<typeof TrlCaptionSftRecord>;

/**
 * TRL conversational preference with an explicit prompt (DPOTrainer's recommended layout): chosen and rejected hold
 * only the assistant turn. chosen = post-caption, rejected = pre-caption.
 */
export const TrlCaptionPreferenceRecord = z
  .strictObject({
    prompt: z.array(TrlUserMessage).length(1),
    chosen: z.array(TrlAssistantMessage).length(1),
    rejected: z.array(TrlAssistantMessage).length(1),
    videos: clipPaths,
  })
  .refine((r) => videoParts(r.prompt) === r.videos.length, { message: "one video part per entry of videos", path: ["prompt"] })
  .refine((r) => r.chosen[0]?.content[0]?.text !== r.rejected[0]?.content[0]?.text, { message: "chosen and rejected must differ" });
export type TrlCaptionPreferenceRecord = z.infer<typeof TrlCaptionPreferenceRecord>;

/** The schema of each format's records. */
export const RECORD_SCHEMAS: Record<ExportFormat, z.ZodType> = {
  chai: ChaiRecord,
  "caption-sft": CaptionSftRecord,
  "caption-dpo": CaptionDpoRecord,
  "reward-yesno": RewardYesNoRecord,
  "critique-gen": CritiqueGenRecord,
  "trl-caption-sft": TrlCaptionSftRecord,
  "trl-caption-preference": TrlCaptionPreferenceRecord,
  "ablation-inaccurate": CritiqueGenRecord,
  "ablation-incomplete": CritiqueGenRecord,
  "ablation-nonconstructive": CritiqueGenRecord,
  // A folder of JSON files in the tool's layout (shared/dataset/chaiTool.ts), not JSON Lines records of ours.
  "chai-tool": z.unknown(),
  // CameraBench's label files (server/dataset/cameraBenchLabels.ts), not JSON Lines records of ours.
  camerabench: z.unknown(),
};

/** The file a format's split is written to, inside the output folder. */
export const exportFileName = (format: ExportFormat, split: Split) => `${format}.${split}.jsonl`;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const ManifestFile = z.strictObject({
  name: z.string(),
  format: ExportFormat,
  /** "all": a folder format of another tool (it has no split of its own). */
  split: z.enum([...SPLITS, "all"]),
  records: z.number().int().min(0),
  bytes: z.number().int().min(0),
  sha256: sha256Hex,
  /** FORMAT_GUIDE's line for the format. */
  carries: z.string(),
  /** Who reads it: the dataset's name in dataset_info.json, and the TRL trainer it is laid out for. */
  for: z.strictObject({ llamafactory: z.string().nullable(), trl: z.string().nullable() }),
});
export type ManifestFile = z.infer<typeof ManifestFile>;

/** Why an ablation variant could not be made of a corrected record (it is then left out of that file). */
export const ABLATION_LEFT_OUT_REASONS = ["no_items", "too_few_items", "unchanged"] as const;
export const AblationLeftOut = z.strictObject({
  /** The critique is text only (e.g. imported from the released CHAI files): there are no items to degrade. */
  no_items: z.number().int().min(0),
  /** Too few items for the variant: one item cannot be cut short, nor made wrong when it quotes nothing. */
  too_few_items: z.number().int().min(0),
  /** The degraded critique reads the same as the full one (e.g. no item had a fix to remove). */
  unchanged: z.number().int().min(0),
});
export type AblationLeftOut = z.infer<typeof AblationLeftOut>;

export const Manifest = z.strictObject({
  tool: z.literal("chai-studio"),
  /** 2: clips placed in videos/, `carries`/`for` per file, ablation counts, the TRL note; no `video_root`. */
  manifest_version: z.literal(2),
  format: z.union([ExportFormat, z.literal("all")]),
  formats: z.array(ExportFormat),
  created_at: iso,
  status: ExportStatus,
  project: z.string().nullable(),
  split: z.strictObject({ test: z.number().min(0).max(1), seed: z.number().int(), by: z.literal("video_sha256") }),
  /** The clips, placed beside the records: every `videos`/`video` path is relative to the export folder. */
  clips: z.strictObject({
    folder: z.literal(CLIPS_FOLDER),
    placement: ClipPlacement,
    count: z.number().int().min(0),
    bytes: z.number().int().min(0),
    /** How each was placed: a hard link, a copy (also where a hard link was impossible), a symlink. */
    hardlinked: z.number().int().min(0),
    copied: z.number().int().min(0),
    symlinked: z.number().int().min(0),
    /** Clips whose file was not found in storage: their tasks are left out of every file. */
    missing: z.number().int().min(0),
    tasks_left_out: z.number().int().min(0),
  }),
  spec_versions: z.array(z.string()),
  perfect_caption_sentinel: z.literal(PERFECT_CAPTION_SENTINEL),
  /** Tasks exported (a record each in `chai`). */
  tasks: z.number().int().min(0),
  videos: z.strictObject({ train: z.number().int().min(0), test: z.number().int().min(0) }),
  files: z.array(ManifestFile),
  /** Per ablation format written: corrected records left out of it, by reason. The seed is `split.seed`. */
  ablation_left_out: z.partialRecord(z.enum(ABLATION_FORMATS), AblationLeftOut),
  trl_note: z.literal(TRL_VIDEO_NOTE),
  /** LLaMA-Factory's dataset registry for the sharegpt files. */
  dataset_info: z.strictObject({ name: z.string(), sha256: sha256Hex }),
});
export type Manifest = z.infer<typeof Manifest>;
