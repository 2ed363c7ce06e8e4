import type {
  CatchListResponse,
  CatchRequest,
  CatchView,
  DecisionRequest,
  DecisionResponse,
  StartReviewResponse,
} from "../../../../shared/api/review";
import type { Resolution } from "../../../../shared/domain";
import { request } from "../../app/api";

const task = (id: string) => `/api/tasks/${encodeURIComponent(id)}`;
const aCatch = (id: string) => `/api/catches/${encodeURIComponent(id)}`;

/** The review endpoints the side panel uses. */
export const reviewApi = {
  catches: (taskId: string, signal?: AbortSignal) => request<CatchListResponse>("GET", `${task(taskId)}/catches`, { signal }),
  addCatch: (taskId: string, body: CatchRequest) => request<CatchView>("POST", `${task(taskId)}/catches`, { body }),
  dispute: (catchId: string, reason: string) => request<CatchView>("POST", `${aCatch(catchId)}/dispute`, { body: { reason } }),
  resolve: (catchId: string, resolution: Resolution, note: string) =>
    request<CatchView>("POST", `${aCatch(catchId)}/resolve`, { body: { resolution, note } }),
  startReview: (taskId: string) => request<StartReviewResponse>("POST", `${task(taskId)}/review/start`),
  decide: (taskId: string, body: DecisionRequest) => request<DecisionResponse>("POST", `${task(taskId)}/decision`, { body }),
};
