import {
  NO,
  PERFECT_CAPTION_SENTINEL,
  YES,
  type ChaiRecord,
  type ExportFormat,
  type RewardPairRecord,
  type ShareGptRecord,
} from "../../shared/dataset/formats";
import { captionPrompt, critiquePrompt, rewardYesNoPrompt } from "../../shared/dataset/prompts";

/**
 * The training formats, derived from a `chai` record alone (pure): whatever the record holds, the derived files
 * hold, so an imported `chai` export re-exports every format identically.
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

export function captionSftRecords(r: ChaiRecord): ShareGptRecord[] {
  return nonEmpty(r.post_caption) ? [sharegpt(r.video, captionPrompt(r.aspect), r.post_caption)] : [];
}

/** score < 5: post → Yes, pre → No; score 5: the caption → Yes. */
export function rewardYesNoRecords(r: ChaiRecord): ShareGptRecord[] {
  if (!nonEmpty(r.post_caption)) return [];
  if (isPerfect(r)) return [sharegpt(r.video, rewardYesNoPrompt(r.aspect, r.post_caption), YES)];
  const out = [sharegpt(r.video, rewardYesNoPrompt(r.aspect, r.post_caption), YES)];
  if (nonEmpty(r.pre_caption)) out.push(sharegpt(r.video, rewardYesNoPrompt(r.aspect, r.pre_caption), NO));
  return out;
}

/** chosen = post-caption, rejected = pre-caption; nothing when the two are the same caption. */
export function rewardPairRecords(r: ChaiRecord): RewardPairRecord[] {
  if (isPerfect(r) || !nonEmpty(r.pre_caption) || !nonEmpty(r.post_caption)) return [];
  return [{ prompt: captionPrompt(r.aspect), chosen: r.post_caption, rejected: r.pre_caption, videos: [r.video] }];
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

/** Every record of one format for one `chai` record. */
export function deriveRecords(format: ExportFormat, r: ChaiRecord): unknown[] {
  switch (format) {
    case "chai":
      return [r];
    case "caption-sft":
      return captionSftRecords(r);
    case "reward-yesno":
      return rewardYesNoRecords(r);
    case "reward-pairs":
      return rewardPairRecords(r);
    case "critique-gen":
      return critiqueGenRecords(r);
  }
}
