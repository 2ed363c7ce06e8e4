import { z } from "zod";

/**
 * A primitive label as stored (one row of task_labels) and as sent over the API. How `value` is read depends on the
 * primitive's value kind (shared/captionSpec/schema.ts):
 *  - yes_no:    { kind: "yes" }                      the primitive holds (absent row = does not hold)
 *  - one_of:    { kind: "selected" }                 this is the sub-aspect's one chosen primitive
 *  - start_end: { kind: "start_end", at }            holds at the start, at the end, or both (unchanged)
 */
export const LabelValue = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("yes") }),
  z.strictObject({ kind: z.literal("selected") }),
  z.strictObject({ kind: z.literal("start_end"), at: z.enum(["start", "end", "both"]) }),
]);
export type LabelValue = z.infer<typeof LabelValue>;

export const MAX_LABEL_NOTE = 2000;

export const Label = z
  .strictObject({
    primitiveId: z.string().min(3).max(200),
    value: LabelValue,
    notSure: z.boolean().default(false),
    /** Optional time range in seconds within the clip. */
    timeStart: z.number().min(0).nullable().default(null),
    timeEnd: z.number().min(0).nullable().default(null),
    /** Free text: required for primitives that need a description (complex camera motion). */
    note: z.string().max(MAX_LABEL_NOTE).nullable().default(null),
  })
  .refine((l) => l.timeStart === null || l.timeEnd === null || l.timeEnd >= l.timeStart, {
    message: "timeEnd must not be before timeStart",
    path: ["timeEnd"],
  });
export type Label = z.infer<typeof Label>;

/** A stored label with who labelled it and when. */
export type StoredLabel = Label & { labelledBy: string; labelledByName: string; labelledAt: string };

/** Just the label, without who and when (or any other extra fields): what editors edit and prompts read. */
export const bareLabel = (l: Label): Label => ({
  primitiveId: l.primitiveId,
  value: l.value,
  notSure: l.notSure,
  timeStart: l.timeStart,
  timeEnd: l.timeEnd,
  note: l.note,
});
