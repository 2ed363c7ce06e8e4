import { z } from "zod";
import { Aspect } from "../domain";
import { PRIMITIVE_ID } from "./schema";

/**
 * The lint lexicon (spec/lexicon.yaml): words and phrases a caption or critique should not use, and the confusable
 * pairs the linter checks beyond each primitive's own `confusables`. Terms are matched case-insensitively, on word
 * boundaries and with their inflections (zoom → zooms, zoomed, zooming), so write them in their base form.
 */

const text = z.string().trim().min(1);
const term = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9' -]+$/i, "must be plain words (letters, digits, apostrophes, spaces, hyphens)");
const primitiveId = z.string().regex(PRIMITIVE_ID, "must be a primitive id like aspect.sub_aspect.name");

/** A word to avoid, with the fix to suggest. `aspects` limits it to captions of those aspects (all when absent). */
export const LexiconTerm = z.strictObject({
  term,
  suggestion: text,
  aspects: z.array(Aspect).optional(),
});
export type LexiconTerm = z.infer<typeof LexiconTerm>;

/** A loose term and the precise alternatives. `means` lists the primitives the loose term is usually meant for:
 *  when one of those is labelled and the text uses that primitive's own words, the term is not flagged. */
export const ImpreciseTerm = LexiconTerm.extend({
  means: z.array(primitiveId).default([]),
});
export type ImpreciseTerm = z.infer<typeof ImpreciseTerm>;

/** Two primitives people mix up (dolly in ↔ zoom in); checked in both directions. */
export const ConfusablePair = z.strictObject({
  a: primitiveId,
  b: primitiveId,
  /** Why they are confused / how to tell them apart; shown with the finding. */
  note: text,
});
export type ConfusablePair = z.infer<typeof ConfusablePair>;

export const LexiconFile = z.strictObject({
  /** Subjective, emotional or evaluative words: a caption says what is visible, not how it feels. */
  subjective: z.array(LexiconTerm).min(1),
  /** Hedges: say what is seen, or leave it out. */
  hedges: z.array(LexiconTerm).min(1),
  /** Loose terms with precise alternatives. */
  imprecise: z.array(ImpreciseTerm).default([]),
  confusablePairs: z.array(ConfusablePair).default([]),
});
export type LexiconFile = z.infer<typeof LexiconFile>;

/** The loaded lexicon is the validated file. */
export type Lexicon = LexiconFile;
