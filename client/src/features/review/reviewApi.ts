import {
  CatchListResponse,
  CatchView,
  DecisionListResponse,
  DecisionResponse,
  REVIEW_PATHS,
  StartReviewResponse,
  type CatchRequest,
  type DecisionRequest,
  type DisputeRequest,
  type ResolveRequest,
} from "../../../../shared/api/review";
import type { Resolution } from "../../../../shared/domain";
import { get, post } from "../../app/api";

/** The review endpoints the side panel uses. */
export const reviewApi = {
  catches: (taskId: string, signal?: AbortSignal) => get(REVIEW_PATHS.taskCatches(taskId), { schema: CatchListResponse, signal }),
  addCatch: (taskId: string, body: CatchRequest) => post(REVIEW_PATHS.taskCatches(taskId), body, { schema: CatchView }),
  dispute: (catchId: string, reason: string) => post(REVIEW_PATHS.dispute(catchId), { reason } satisfies DisputeRequest, { schema: CatchView }),
  resolve: (catchId: string, resolution: Resolution, note: string) =>
    post(REVIEW_PATHS.resolve(catchId), { resolution, note } satisfies ResolveRequest, { schema: CatchView }),
  startReview: (taskId: string) => post(REVIEW_PATHS.startReview(taskId), undefined, { schema: StartReviewResponse }),
  decide: (taskId: string, body: DecisionRequest) => post(REVIEW_PATHS.decision(taskId), body, { schema: DecisionResponse }),
  decisions: (taskId: string, signal?: AbortSignal) => get(REVIEW_PATHS.decisions(taskId), { schema: DecisionListResponse, signal }),
};
