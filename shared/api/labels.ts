import { z } from "zod";
import type { Aspect } from "../domain";
import type { LabelProblem } from "../labelValidation";
import { Label, type StoredLabel } from "../labels";
import type { Stage } from "../domain/stages";
import { taskPath } from "./common";
import { CaptionFacts } from "../captionFacts";

/** A task's label set is small (one aspect's primitives); the bound keeps a hostile body cheap to reject. */
export const MAX_LABELS = 500;

/** PUT /api/tasks/:id/labels — the whole label set; it replaces the stored one. `facts` (the subjects and setting)
 *  replace the stored ones too; a body without them leaves the stored facts as they are. */
export const PutLabelsBody = z.strictObject({
  labels: z.array(Label).max(MAX_LABELS, `at most ${MAX_LABELS} labels`),
  facts: CaptionFacts.optional(),
});
export type PutLabelsBody = z.input<typeof PutLabelsBody>;

export const TaskIdParam = z.object({ id: z.uuid("task id must be a UUID") });

/** GET (and PUT) /api/tasks/:id/labels → the stored set, with who labelled each and when. */
export type LabelsResponse = {
  taskId: string;
  aspect: Aspect;
  stage: Stage;
  /** The clip's length when known: time ranges must lie within it. */
  durationSec: number | null;
  /** Whether the caller may save labels now, and if not, why (shown read-only with the reason). */
  editable: boolean;
  readOnlyReason: string | null;
  labels: StoredLabel[];
  /** The newest labelledAt over the set, and who wrote it; null when nothing is labelled. */
  lastLabelled: { by: string; byName: string; at: string } | null;
  /** The subjects and setting named for this task (saved with the labels). */
  facts: CaptionFacts;
  /** The facts already named on the same clip's other tasks, newest first (none when nothing is named there), so
   *  every aspect's captions use the same noun phrases. */
  suggestedFacts: SuggestedFacts[];
};

/** Another task's facts on the same clip. `at` is when that task last changed (its labels or facts were saved). */
export type SuggestedFacts = { taskId: string; aspect: Aspect; facts: CaptionFacts; at: string };

/** PUT answers with the saved set plus the warnings that allow saving but block finishing. */
export type PutLabelsResponse = LabelsResponse & {
  warnings: LabelProblem[];
  changes: { added: number; changed: number; removed: number; unchanged: number };
  /** Whether the facts sent differ from the stored ones (and so were saved). */
  factsChanged: boolean;
};

/** The 400 a PUT gets when the set is invalid: error.details.problems lists every problem. */
export type LabelsInvalidDetails = { problems: LabelProblem[] };

/** Whether two labels say the same thing, who and when aside. A PUT leaves such rows untouched, so they keep
 *  their original labelledBy/labelledAt; the panel uses the same rule for its dirty state. */
export function sameLabel(a: Label, b: Label): boolean {
  return (
    a.primitiveId === b.primitiveId &&
    a.value.kind === b.value.kind &&
    (a.value.kind !== "start_end" || (b.value.kind === "start_end" && a.value.at === b.value.at)) &&
    a.notSure === b.notSure &&
    a.timeStart === b.timeStart &&
    a.timeEnd === b.timeEnd &&
    (a.note ?? null) === (b.note ?? null)
  );
}

/** Whether two label sets are the same set, in any order. */
export function sameLabelSet(a: readonly Label[], b: readonly Label[]): boolean {
  if (a.length !== b.length) return false;
  const byId = new Map(b.map((l) => [l.primitiveId, l]));
  return a.every((l) => {
    const other = byId.get(l.primitiveId);
    return other !== undefined && sameLabel(l, other);
  });
}

/** The facts as stored: a blank setting is no setting. Trimming is the schema's. */
export function normalizeFacts(f: CaptionFacts): CaptionFacts {
  const setting = f.setting?.trim() ?? "";
  return {
    subjects: f.subjects.map((s) => ({ phrase: s.phrase.trim(), plural: s.plural, pronoun: s.pronoun })),
    setting: setting === "" ? null : setting,
  };
}

/** Whether two sets of facts say the same thing (order of subjects counts: it is their prominence). */
export function sameFacts(a: CaptionFacts, b: CaptionFacts): boolean {
  const x = normalizeFacts(a);
  const y = normalizeFacts(b);
  return (
    x.setting === y.setting &&
    x.subjects.length === y.subjects.length &&
    x.subjects.every((s, i) => {
      const t = y.subjects[i];
      return t !== undefined && s.phrase === t.phrase && s.plural === t.plural && s.pronoun === t.pronoun;
    })
  );
}

/** Whether anything is named at all. */
export const hasFacts = (f: CaptionFacts): boolean => f.subjects.length > 0 || (f.setting ?? "").trim() !== "";

/** Request paths of a task's primitive labels. */
export const LABEL_PATHS = {
  labels: (taskId: string) => `${taskPath(taskId)}/labels`,
} as const;
