import type { ActionsResponse, ReviseResponse, RoundListResponse, ScoreResponse } from "../../../../shared/api/loop";
import { request } from "../../app/api";

const base = (taskId: string) => `/api/tasks/${encodeURIComponent(taskId)}`;

/** The CHAI loop's requests from the room (server side: shared/api/loop.ts). */
export const loopApi = {
  rounds: (taskId: string, signal?: AbortSignal) => request<RoundListResponse>("GET", `${base(taskId)}/rounds`, { signal }),
  actions: (taskId: string, signal?: AbortSignal) => request<ActionsResponse>("GET", `${base(taskId)}/actions`, { signal }),
  score: (taskId: string, score: number) => request<ScoreResponse>("PUT", `${base(taskId)}/score`, { body: { score } }),
  revise: (taskId: string) => request<ReviseResponse>("POST", `${base(taskId)}/revise`),
};
