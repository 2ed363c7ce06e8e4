import {
  DRAFT_BATCH_PATHS,
  DraftBatch,
  DraftBatchList,
  StartDraftBatchResponse,
  type DraftBatchState,
  type StartDraftBatchRequest,
} from "../../../../shared/api/draftBatches";
import { get, post, request } from "../../app/api";

/** Batch drafting's calls (paths and schemas from shared/api/draftBatches.ts; the server gates them to leads and admins). */
export const draftBatchesApi = {
  list: (signal?: AbortSignal) => get(DRAFT_BATCH_PATHS.list, { schema: DraftBatchList, signal }),
  one: (id: string, signal?: AbortSignal) => get(DRAFT_BATCH_PATHS.one(id), { schema: DraftBatch, signal }),
  start: (body: StartDraftBatchRequest) => post(DRAFT_BATCH_PATHS.list, body, { schema: StartDraftBatchResponse }),
  cancel: (id: string) => request<void>("DELETE", DRAFT_BATCH_PATHS.one(id)),
};

/** A batch that may still change: waiting for a worker, or drafting. */
export const isUnfinished = (state: DraftBatchState) => state === "queued" || state === "running";

export const BATCH_STATE_LABELS: Record<DraftBatchState, string> = {
  queued: "Waiting",
  running: "Drafting",
  done: "Finished",
  failed: "Failed",
  cancelled: "Cancelled",
};
