import { z } from "zod";

/**
 * What a caption needs and primitives cannot say: who and what the clip's subjects are, as short noun phrases, and
 * the setting. The annotator writes them in the labelling step (next to the primitives), the draft prompt carries
 * them, and the rules provider fills its phrasings' `<subject>` and `<setting>` slots from them — never a slot left
 * as text. One set per task, saved with the labels.
 */

export const MAX_SUBJECTS = 8;
export const MAX_SUBJECT_PHRASE = 120;
export const MAX_SETTING = 200;

/** Angle brackets, braces and square brackets are the phrasing grammar's; a fact never carries them (nor a
 *  control character). */
const NO_GRAMMAR = /^[^<>{}[\]\p{Cc}]*$/u;

export const PRONOUNS = ["he", "she", "it", "they"] as const;
export const Pronoun = z.enum(PRONOUNS);
export type Pronoun = z.infer<typeof Pronoun>;

export const SubjectFact = z.strictObject({
  /** The noun phrase the captions use for it, lower-case unless a proper name: "the man in the grey coat",
   *  "two striped orange posts". */
  phrase: z
    .string()
    .trim()
    .min(1, "a subject needs a noun phrase")
    .max(MAX_SUBJECT_PHRASE, `a subject's noun phrase is at most ${MAX_SUBJECT_PHRASE} characters`)
    .regex(NO_GRAMMAR, "a subject's noun phrase cannot contain < > { } [ ] or control characters"),
  /** Whether the phrase names more than one thing ("two posts", "a pair of dogs"): decides the verb's number. */
  plural: z.boolean(),
  /** How the caption refers back to it. "they" for plural subjects. */
  pronoun: Pronoun,
});
export type SubjectFact = z.infer<typeof SubjectFact>;

export const CaptionFacts = z
  .strictObject({
    /** In order of prominence; the first is the one `<subject>` names. */
    subjects: z.array(SubjectFact).max(MAX_SUBJECTS, `at most ${MAX_SUBJECTS} subjects`),
    /** Where the clip takes place, as a phrase that starts with its preposition: "on a pebble beach at low tide". */
    setting: z
      .string()
      .trim()
      .max(MAX_SETTING, `the setting is at most ${MAX_SETTING} characters`)
      .regex(NO_GRAMMAR, "the setting cannot contain < > { } [ ] or control characters")
      .nullable(),
  })
  .refine((f) => f.subjects.every((s) => !s.plural || s.pronoun === "they"), {
    message: 'a plural subject is referred to as "they"',
    path: ["subjects"],
  });
export type CaptionFacts = z.infer<typeof CaptionFacts>;

export const EMPTY_FACTS: CaptionFacts = { subjects: [], setting: null };
