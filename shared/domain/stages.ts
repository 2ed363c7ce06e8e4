import { z } from "zod";

/**
 * The stages of one task (video × aspect). The transitions between them (the stage machine) live in
 * shared/stage/machine.ts; this file only names them (in workflow order) so the schema, the API and the client share one list.
 */
export const STAGES = [
  "labelling",
  "drafting",
  "critiquing",
  "revising",
  "refining",
  "submitted",
  "in_review",
  "approved",
  "rejected",
] as const;
export const Stage = z.enum(STAGES);
export type Stage = z.infer<typeof Stage>;
export const STAGE_LABELS: Record<Stage, string> = {
  labelling: "Labelling",
  drafting: "Drafting",
  critiquing: "Critiquing",
  revising: "Revising",
  refining: "Refining",
  submitted: "Submitted",
  in_review: "In review",
  approved: "Approved",
  rejected: "Rejected",
};
