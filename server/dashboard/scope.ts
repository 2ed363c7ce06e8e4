import { and, eq, type SQL } from "drizzle-orm";
import { tasks } from "../db/schema";
import type { DashboardFilter } from "../../shared/api/dashboard";

/** The tasks a dashboard figure may count: never gold, and of the filter's project and annotator. */
export function dashboardTasksWhere(f: Pick<DashboardFilter, "projectId" | "personId">): SQL {
  return and(
    eq(tasks.isGold, false),
    f.projectId ? eq(tasks.projectId, f.projectId) : undefined,
    f.personId ? eq(tasks.annotatorId, f.personId) : undefined,
  ) as SQL;
}
