import { get, put } from "../../app/api";
import { LABEL_PATHS, type LabelsResponse, type PutLabelsBody, type PutLabelsResponse } from "../../../../shared/api/labels";

/** A task's labels (shared/api/labels.ts declares the shapes as types only, so the bodies are not re-checked here). */
export const labelsApi = {
  get: (taskId: string, signal?: AbortSignal) => get<LabelsResponse>(LABEL_PATHS.labels(taskId), { signal }),
  put: (taskId: string, body: PutLabelsBody) => put<PutLabelsResponse>(LABEL_PATHS.labels(taskId), body),
};
