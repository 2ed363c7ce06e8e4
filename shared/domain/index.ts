import { z } from "zod";

/** People's roles. A trainee is an annotator in training: their work is scored against gold, not paid. */
export const ROLES = ["annotator", "trainee", "reviewer", "trainer", "lead", "admin"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** The five aspects of the caption specification, in the order they are captioned (later ones read earlier ones). */
export const ASPECTS = ["subject", "scene", "motion", "spatial", "camera"] as const;
export const Aspect = z.enum(ASPECTS);
export type Aspect = z.infer<typeof Aspect>;

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

/** What a reviewer can catch. */
export const CATCH_KINDS = ["false_flag", "missed_error", "non_constructive", "residual_error"] as const;
export const CatchKind = z.enum(CATCH_KINDS);
export type CatchKind = z.infer<typeof CatchKind>;
