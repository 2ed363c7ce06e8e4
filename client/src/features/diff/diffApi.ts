import { TRAINING_PATHS, type DiffKind, type TaskDiff } from "../../../../shared/api/training";
import { get } from "../../app/api";

/** The side-by-side comparison of one task (server/resources/dashboard: GET /api/tasks/:id/diffs). */
export const diffApi = {
  diff: (taskId: string, query: { kind: DiffKind; k?: number; other?: string }, signal?: AbortSignal) =>
    get<TaskDiff>(TRAINING_PATHS.diffs(taskId), { query, signal }),
};
