import { z } from "zod";

/** The JSON body of every error response (mirrors server/http/errors.ts ErrorBody). */
export const ApiError = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ApiError = z.infer<typeof ApiError>;

/** Ids are UUIDs; validating them up front turns a bad id into a 400/404 instead of a database error. */
export const Id = z.uuid();
export type Id = z.infer<typeof Id>;

/** A person as other people see them: no email, no role authority beyond display. */
export const PersonRef = z.object({ id: Id, name: z.string() });
export type PersonRef = z.infer<typeof PersonRef>;

/** Timestamps travel as ISO 8601 strings. */
export const IsoDate = z.string();

/** The address of one task; its sub-resources (labels, catches, rounds…) hang below it. Paths of each resource sit next to its schemas. */
export const taskPath = (taskId: string) => `/api/tasks/${encodeURIComponent(taskId)}`;
