import {
  NO,
  PERFECT_CAPTION_SENTINEL,
  YES,
  isAblationFormat,
  type AblationFormat,
  type CaptionDpoRecord,
  type ChaiRecord,
  type ExportFormat,
  type ShareGptRecord,
  type TrlCaptionPreferenceRecord,
  type TrlCaptionSftRecord,
  type TrlUserMessage,
} from "../../shared/dataset/formats";
import { captionInstruction, captionPrompt, critiquePrompt, rewardYesNoPrompt } from "../../shared/dataset/prompts";
import { ABLATION_VARIANT, degradeCritique, type LeftOutReason } from "./ablation";

/**
 * The training formats, derived from a `chai` record (and, for the ablation sets, the export's seed) alone (pure):
 * whatever the record holds, the derived files hold, so an imported `chai` export re-exports every format
 * identically. Every record names its clip by the `chai` record's `video`, a path relative to the export folder.
 */

const sharegpt = (video: string, user: string, assistant: string): ShareGptRecord => ({
  messages: [
    { role: "user", content: user },
    { role: "assistant", content: assistant },
  ],
  videos: [video],
});

/** Score 5 (or a caption the critique left unchanged): there is one caption, and it is correct. */
function isPerfect(r: ChaiRecord): boolean {
  return r.score === 5 || r.pre_caption.trim() === r.post_caption.trim();
}

const nonEmpty = (s: string) => s.trim().length > 0;

/** A corrected record: two different captions, the post-caption the better one. */
const hasPair = (r: ChaiRecord) => !isPerfect(r) && nonEmpty(r.pre_caption) && nonEmpty(r.post_caption);

export function captionSftRecords(r: ChaiRecord): ShareGptRecord[] {
  return nonEmpty(r.post_caption) ? [sharegpt(r.video, captionPrompt(r.aspect), r.post_caption)] : [];
}

/** LLaMA-Factory DPO: chosen = post-caption, rejected = pre-caption; nothing when the two are the same caption. */
export function captionDpoRecords(r: ChaiRecord): CaptionDpoRecord[] {
  if (!hasPair(r)) return [];
  return [
    {
      messages: [{ role: "user", content: captionPrompt(r.aspect) }],
      chosen: { role: "assistant", content: r.post_caption },
      rejected: { role: "assistant", content: r.pre_caption },
      videos: [r.video],
    },
  ];
}

/** score < 5: post → Yes, pre → No; score 5: the caption → Yes. */
export function rewardYesNoRecords(r: ChaiRecord): ShareGptRecord[] {
  if (!nonEmpty(r.post_caption)) return [];
  if (isPerfect(r)) return [sharegpt(r.video, rewardYesNoPrompt(r.aspect, r.post_caption), YES)];
  const out = [sharegpt(r.video, rewardYesNoPrompt(r.aspect, r.post_caption), YES)];
  if (nonEmpty(r.pre_caption)) out.push(sharegpt(r.video, rewardYesNoPrompt(r.aspect, r.pre_caption), NO));
  return out;
}

const trlPrompt = (r: ChaiRecord): TrlUserMessage[] => [
  { role: "user", content: [{ type: "video" }, { type: "text", text: captionInstruction(r.aspect) }] },
];
const trlAnswer = (text: string) => [{ role: "assistant" as const, content: [{ type: "text" as const, text }] }];

/** TRL conversational prompt-completion: the clip and instruction → the post-caption. */
export function trlCaptionSftRecords(r: ChaiRecord): TrlCaptionSftRecord[] {
  return nonEmpty(r.post_caption) ? [{ prompt: trlPrompt(r), completion: trlAnswer(r.post_caption), videos: [r.video] }] : [];
}

/** TRL conversational preference (explicit prompt): chosen = post-caption, rejected = pre-caption. */
export function trlCaptionPreferenceRecords(r: ChaiRecord): TrlCaptionPreferenceRecord[] {
  if (!hasPair(r)) return [];
  return [{ prompt: trlPrompt(r), chosen: trlAnswer(r.post_caption), rejected: trlAnswer(r.pre_caption), videos: [r.video] }];
}

/** The critique the annotator stands behind: the polished text when there is one. */
export function finalCritiqueText(r: ChaiRecord): string {
  return (r.critique.polished_text ?? r.critique.text).trim();
}

/** pre-caption → its critique; post-caption → the perfect-caption sentinel. */
export function critiqueGenRecords(r: ChaiRecord): ShareGptRecord[] {
  if (!nonEmpty(r.post_caption)) return [];
  const perfect = sharegpt(r.video, critiquePrompt(r.aspect, r.post_caption), PERFECT_CAPTION_SENTINEL);
  if (isPerfect(r)) return [perfect];
  const critique = finalCritiqueText(r);
  return nonEmpty(r.pre_caption) && critique ? [sharegpt(r.video, critiquePrompt(r.aspect, r.pre_caption), critique), perfect] : [perfect];
}

export type Derived = {
  records: unknown[];
  /** Ablation sets only: why this corrected record could not be degraded (it then has no record in the file). */
  leftOut?: LeftOutReason;
};

/**
 * critique-gen with the pre-caption's critique degraded (./ablation.ts). Records critique-gen gives no critique
 * pair (perfect captions) keep exactly critique-gen's records, so the sets differ from it only where a critique is.
 */
export function ablationRecords(format: AblationFormat, r: ChaiRecord, seed: number): Derived {
  const full = critiqueGenRecords(r);
  if (full.length < 2) return { records: full };
  const degraded = degradeCritique(ABLATION_VARIANT[format], r, seed);
  if (!degraded.ok) return { records: [], leftOut: degraded.reason };
  return { records: [sharegpt(r.video, critiquePrompt(r.aspect, r.pre_caption), degraded.text), full[1]] };
}

export type DeriveContext = {
  /** The export's seed (the split's): the ablation sets' choices depend on it. */
  seed: number;
};

/** Every record of one format for one `chai` record. */
export function deriveRecords(format: ExportFormat, r: ChaiRecord, ctx: DeriveContext): Derived {
  if (isAblationFormat(format)) return ablationRecords(format, r, ctx.seed);
  switch (format) {
    case "chai":
      return { records: [r] };
    case "caption-sft":
      return { records: captionSftRecords(r) };
    case "caption-dpo":
      return { records: captionDpoRecords(r) };
    case "reward-yesno":
      return { records: rewardYesNoRecords(r) };
    case "critique-gen":
      return { records: critiqueGenRecords(r) };
    case "trl-caption-sft":
      return { records: trlCaptionSftRecords(r) };
    case "trl-caption-preference":
      return { records: trlCaptionPreferenceRecords(r) };
    case "chai-tool":
    case "camerabench":
      // Folder formats: exportDataset hands the `chai` records to their writers (./chaiToolExport.ts,
      // ./cameraBenchLabels.ts).
      return { records: [] };
  }
}
