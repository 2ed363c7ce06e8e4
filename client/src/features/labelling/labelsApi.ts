import { request } from "../../app/api";
import type { LabelsResponse, PutLabelsBody, PutLabelsResponse } from "../../../../shared/api/labels";

const path = (taskId: string) => `/api/tasks/${encodeURIComponent(taskId)}/labels`;

export const labelsApi = {
  get: (taskId: string, signal?: AbortSignal) => request<LabelsResponse>("GET", path(taskId), { signal }),
  put: (taskId: string, body: PutLabelsBody) => request<PutLabelsResponse>("PUT", path(taskId), { body }),
};
