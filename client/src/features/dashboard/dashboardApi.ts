import { DASHBOARD_PATHS, type DashboardData } from "../../../../shared/api/dashboard";
import { get } from "../../app/api";
import type { DashboardSearch } from "./filters";

/** The leads' dashboard figures and the filter's choices (GET /api/dashboard). */
export const dashboardApi = {
  figures: (query: DashboardSearch, signal?: AbortSignal) => get<DashboardData>(DASHBOARD_PATHS.figures, { query, signal }),
};
