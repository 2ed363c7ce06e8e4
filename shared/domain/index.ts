import { z } from "zod";
import { labelledEnum } from "./enum";

/**
 * The product's enums and their display labels, one home each (stages live in ./stages.ts). The database schema,
 * the API schemas and the client all import the lists from here; the labels are what the client shows.
 */

/** People's roles. A trainee is an annotator in training: their work is scored against gold, not paid. */
export const { values: ROLES, schema: Role, labels: ROLE_LABELS } = labelledEnum({
  annotator: "Annotator", trainee: "Trainee", reviewer: "Reviewer", trainer: "Trainer", lead: "Lead", admin: "Admin",
});
export type Role = z.infer<typeof Role>;

/** The five aspects of the caption specification, in the order they are captioned (later ones read earlier ones). */
export const { values: ASPECTS, schema: Aspect, labels: ASPECT_LABELS } = labelledEnum({
  subject: "Subject", scene: "Scene", motion: "Motion", spatial: "Spatial", camera: "Camera",
});
export type Aspect = z.infer<typeof Aspect>;

/** Error types a critique item can name. The labels are also the wording of the rendered critique text (and so of
 * exported records and model prompts). */
export const { values: ERROR_TYPES, schema: ErrorType, labels: ERROR_TYPE_LABELS } = labelledEnum({
  hallucination: "Hallucination", wrong_term: "Wrong term", missing_information: "Missing information",
  left_right: "Left/right", temporal_order: "Temporal order", subjective_language: "Subjective language",
  other: "Other",
});
export type ErrorType = z.infer<typeof ErrorType>;

/** What a reviewer can catch. */
export const { values: CATCH_KINDS, schema: CatchKind, labels: CATCH_KIND_LABELS } = labelledEnum({
  false_flag: "False flag", missed_error: "Missed error", non_constructive: "Non-constructive item",
  residual_error: "Residual error (post-caption)",
});
export type CatchKind = z.infer<typeof CatchKind>;

/** How a reviewer closes a review. */
export const { values: DECISIONS, schema: Decision, labels: DECISION_LABELS } = labelledEnum({
  approve: "Approve", fix_and_approve: "Fix and approve", reject_and_redo: "Reject and redo",
});
export type Decision = z.infer<typeof Decision>;

/** A catch is open until disputed; a lead's resolution of the dispute becomes its status. */
export const { values: CATCH_STATUSES, schema: CatchStatus, labels: CATCH_STATUS_LABELS } = labelledEnum({
  open: "Open", disputed: "Disputed", upheld: "Upheld", overturned: "Overturned",
});
export type CatchStatus = z.infer<typeof CatchStatus>;

/** How a lead resolves a disputed catch. */
export const RESOLUTIONS = ["upheld", "overturned"] as const;
export const Resolution = z.enum(RESOLUTIONS);
export type Resolution = z.infer<typeof Resolution>;

/** The state of one revision round of the model. */
export const ROUND_STATUSES = ["running", "done", "failed", "cancelled"] as const;
export const RoundStatus = z.enum(ROUND_STATUSES);
export type RoundStatus = z.infer<typeof RoundStatus>;
