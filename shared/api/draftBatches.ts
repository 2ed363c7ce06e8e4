import { z } from "zod";
import { Aspect } from "../domain";
import { Id, IsoDate, PersonRef } from "./common";

/**
 * Batch drafting from the API (server/resources/draftBatches/route.ts): the model drafts every fully labelled task
 * of a project, as `npm run chai -- draft` does, as a durable job that any server process may run and another
 * finishes if that one dies.
 */

/** POST /api/draft-batches. `project` is its name or id. */
export const StartDraftBatchRequest = z.strictObject({
  project: z.string().trim().min(1).max(200),
  aspect: Aspect.optional(),
  /** Drafts generated at once. */
  concurrency: z.number().int().min(1).max(16).default(4),
});
export type StartDraftBatchRequest = z.input<typeof StartDraftBatchRequest>;

/** 202: the batch's id; `joined` when the same batch was already waiting or running (a second press joins it). */
export const StartDraftBatchResponse = z.object({ id: Id, joined: z.boolean() });
export type StartDraftBatchResponse = z.infer<typeof StartDraftBatchResponse>;

export const DRAFT_BATCH_STATES = ["queued", "running", "done", "failed", "cancelled"] as const;
export const DraftBatchState = z.enum(DRAFT_BATCH_STATES);
export type DraftBatchState = z.infer<typeof DraftBatchState>;

export const DraftBatchFailure = z.object({ taskId: Id, aspect: Aspect, error: z.string() });
export type DraftBatchFailure = z.infer<typeof DraftBatchFailure>;

/** Per task: what the batch planned and how far it got. Kept across a takeover by another process. */
export const DraftBatchProgress = z.object({
  /** Tasks to draft (known once the batch has looked at the project; 0 before). */
  total: z.number().int().min(0),
  /** Tasks finished, drafted or failed. */
  done: z.number().int().min(0),
  drafted: z.number().int().min(0),
  failed: z.number().int().min(0),
  /** Tasks left out: drafted already, or not fully labelled. */
  skippedDrafted: z.number().int().min(0),
  skippedUnlabelled: z.number().int().min(0),
  /** Tasks this batch moved to drafting and has not finished: taken up again after a crash, and by nobody else. */
  inFlight: z.array(Id),
  /** The most recent failures, newest last. */
  failures: z.array(DraftBatchFailure),
});
export type DraftBatchProgress = z.infer<typeof DraftBatchProgress>;

export const emptyDraftBatchProgress = (): DraftBatchProgress => ({
  total: 0,
  done: 0,
  drafted: 0,
  failed: 0,
  skippedDrafted: 0,
  skippedUnlabelled: 0,
  inFlight: [],
  failures: [],
});

export const DraftBatch = z.object({
  id: Id,
  project: z.object({ id: Id, name: z.string() }),
  aspect: Aspect.nullable(),
  createdBy: PersonRef.nullable(),
  createdAt: IsoDate,
  startedAt: IsoDate.nullable(),
  finishedAt: IsoDate.nullable(),
  state: DraftBatchState,
  progress: DraftBatchProgress,
  /** Workers that have run it: more than one when a process died mid-batch and another took it over. */
  attempts: z.number().int().min(0),
  error: z.string().nullable(),
});
export type DraftBatch = z.infer<typeof DraftBatch>;

/** GET /api/draft-batches: newest first. */
export const DraftBatchList = z.object({ batches: z.array(DraftBatch) });
export type DraftBatchList = z.infer<typeof DraftBatchList>;

export const DRAFT_BATCH_PATHS = {
  list: "/api/draft-batches",
  one: (id: string) => `/api/draft-batches/${encodeURIComponent(id)}`,
} as const;
