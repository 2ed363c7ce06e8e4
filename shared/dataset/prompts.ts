import type { Aspect } from "../domain";

/**
 * The fixed instructions of the training formats. They are data of the export format: changing a sentence here
 * changes every exported file, so they only change with a deliberate format change.
 */

const ASPECT_TEXT: Record<Aspect, string> = {
  subject: "the subjects",
  scene: "the scene",
  motion: "the motion",
  spatial: "the spatial layout",
  camera: "the camera work",
};

/** Caption generation's instruction alone: TRL's layouts carry the clip as a typed part beside it. */
export function captionInstruction(aspect: Aspect): string {
  return `Describe ${ASPECT_TEXT[aspect]} of this video (${aspect} caption), following the caption specification.`;
}

/** Caption generation: the clip → the caption of one aspect (LLaMA-Factory's `<video>` placeholder first). */
export function captionPrompt(aspect: Aspect): string {
  return `<video>${captionInstruction(aspect)}`;
}

/** Yes/no reward: is this caption of the aspect correct for the clip? */
export function rewardYesNoPrompt(aspect: Aspect, caption: string): string {
  return (
    `<video>Here is a ${aspect} caption of this video:\n\n${caption}\n\n` +
    `Does this caption describe ${ASPECT_TEXT[aspect]} of the video accurately and completely? Answer Yes or No.`
  );
}

/** Critique generation: the clip and a caption → a critique of the caption. */
export function critiquePrompt(aspect: Aspect, caption: string): string {
  return (
    `<video>Here is a ${aspect} caption of this video:\n\n${caption}\n\n` +
    "Critique this caption against the video: for each error, say what is wrong and how to fix it."
  );
}
