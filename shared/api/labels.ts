import { z } from "zod";
import type { Aspect } from "../domain";
import type { LabelProblem } from "../labelValidation";
import { Label, type StoredLabel } from "../labels";
import type { Stage } from "../domain/stages";
import { taskPath } from "./common";

/** A task's label set is small (one aspect's primitives); the bound keeps a hostile body cheap to reject. */
export const MAX_LABELS = 500;

/** PUT /api/tasks/:id/labels — the whole label set; it replaces the stored one. */
export const PutLabelsBody = z.strictObject({
  labels: z.array(Label).max(MAX_LABELS, `at most ${MAX_LABELS} labels`),
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
};

/** PUT answers with the saved set plus the warnings that allow saving but block finishing. */
export type PutLabelsResponse = LabelsResponse & {
  warnings: LabelProblem[];
  changes: { added: number; changed: number; removed: number; unchanged: number };
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

/** Request paths of a task's primitive labels. */
export const LABEL_PATHS = {
  labels: (taskId: string) => `${taskPath(taskId)}/labels`,
} as const;
