import { z } from "zod";

/**
 * The stages of one task (video × aspect). The transitions between them (the stage machine) live in
 * shared/stageMachine.ts; this file only names them so the database schema and the API can share one list.
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
