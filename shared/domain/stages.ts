import type { z } from "zod";
import { labelledEnum } from "./enum";

/**
 * The stages of one task (video × aspect). The transitions between them (the stage machine) live in
 * shared/stage/machine.ts; this file only names them (in workflow order) so the schema, the API and the client share one list.
 */
export const { values: STAGES, schema: Stage, labels: STAGE_LABELS } = labelledEnum({
  labelling: "Labelling", drafting: "Drafting", critiquing: "Critiquing", revising: "Revising", refining: "Refining",
  submitted: "Submitted", in_review: "In review", approved: "Approved", rejected: "Rejected",
});
export type Stage = z.infer<typeof Stage>;
