import { TRAINING_PATHS, type DashboardData } from "../../../../shared/api/training";
import { get } from "../../app/api";

/** The leads' dashboard figures (GET /api/dashboard). */
export const dashboardApi = {
  figures: (signal?: AbortSignal) => get<DashboardData>(TRAINING_PATHS.dashboard, { signal }),
};
