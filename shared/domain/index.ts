import { z } from "zod";

/**
 * The product's enums and their display labels, one home each (stages live in ./stages.ts). The database schema,
 * the API schemas and the client all import the lists from here; the labels are what the client shows.
 */

/** People's roles. A trainee is an annotator in training: their work is scored against gold, not paid. */
export const ROLES = ["annotator", "trainee", "reviewer", "trainer", "lead", "admin"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
export const ROLE_LABELS: Record<Role, string> = {
  annotator: "Annotator",
  trainee: "Trainee",
  reviewer: "Reviewer",
  trainer: "Trainer",
  lead: "Lead",
  admin: "Admin",
};

/** The five aspects of the caption specification, in the order they are captioned (later ones read earlier ones). */
export const ASPECTS = ["subject", "scene", "motion", "spatial", "camera"] as const;
export const Aspect = z.enum(ASPECTS);
export type Aspect = z.infer<typeof Aspect>;
export const ASPECT_LABELS: Record<Aspect, string> = {
  subject: "Subject",
  scene: "Scene",
  motion: "Motion",
  spatial: "Spatial",
  camera: "Camera",
};

/** Error types a critique item can name. */
export const ERROR_TYPES = [
  "hallucination",
  "wrong_term",
  "missing_information",
  "left_right",
  "temporal_order",
  "subjective_language",
  "other",
] as const;
export const ErrorType = z.enum(ERROR_TYPES);
export type ErrorType = z.infer<typeof ErrorType>;
/** Also the wording of the rendered critique text (and so of exported records and model prompts). */
export const ERROR_TYPE_LABELS: Record<ErrorType, string> = {
  hallucination: "Hallucination",
  wrong_term: "Wrong term",
  missing_information: "Missing information",
  left_right: "Left/right",
  temporal_order: "Temporal order",
  subjective_language: "Subjective language",
  other: "Other",
};

/** What a reviewer can catch. */
export const CATCH_KINDS = ["false_flag", "missed_error", "non_constructive", "residual_error"] as const;
export const CatchKind = z.enum(CATCH_KINDS);
export type CatchKind = z.infer<typeof CatchKind>;
export const CATCH_KIND_LABELS: Record<CatchKind, string> = {
  false_flag: "False flag",
  missed_error: "Missed error",
  non_constructive: "Non-constructive item",
  residual_error: "Residual error (post-caption)",
};

/** How a reviewer closes a review. */
export const DECISIONS = ["approve", "fix_and_approve", "reject_and_redo"] as const;
export const Decision = z.enum(DECISIONS);
export type Decision = z.infer<typeof Decision>;
export const DECISION_LABELS: Record<Decision, string> = {
  approve: "Approve",
  fix_and_approve: "Fix and approve",
  reject_and_redo: "Reject and redo",
};

/** A catch is open until disputed; a lead's resolution of the dispute becomes its status. */
export const CATCH_STATUSES = ["open", "disputed", "upheld", "overturned"] as const;
export const CatchStatus = z.enum(CATCH_STATUSES);
export type CatchStatus = z.infer<typeof CatchStatus>;
export const CATCH_STATUS_LABELS: Record<CatchStatus, string> = {
  open: "Open",
  disputed: "Disputed",
  upheld: "Upheld",
  overturned: "Overturned",
};

/** How a lead resolves a disputed catch. */
export const RESOLUTIONS = ["upheld", "overturned"] as const;
export const Resolution = z.enum(RESOLUTIONS);
export type Resolution = z.infer<typeof Resolution>;

/** The state of one revision round of the model. */
export const ROUND_STATUSES = ["running", "done", "failed", "cancelled"] as const;
export const RoundStatus = z.enum(ROUND_STATUSES);
export type RoundStatus = z.infer<typeof RoundStatus>;
