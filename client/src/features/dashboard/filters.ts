import { addDays, type DashboardFilter, type DashboardQuery } from "../../../../shared/api/dashboard";
import { Aspect, type CatchKind, type ErrorType } from "../../../../shared/domain";
import type { Stage } from "../../../../shared/domain/stages";
import type { TaskListFilter } from "../../../../shared/api/tasks";
import { tasksHref } from "../../app/router";

/**
 * The dashboard's filters as they live in the URL (the API's own query keys, so a shared link shows the same
 * figures), and the links from each figure to the tasks behind it (the leads' task list, /tasks).
 */

const KEYS = ["projectId", "personId", "from", "to"] as const;
export type DashboardSearch = { [K in (typeof KEYS)[number]]?: string };

/** Pure: the filters of a URL query string, as written; the server checks them and answers a bad one in words. */
export function parseDashboardSearch(search: string): DashboardSearch {
  const p = new URLSearchParams(search);
  const out: DashboardSearch = {};
  for (const key of KEYS) {
    const v = p.get(key)?.trim();
    if (v) out[key] = v.slice(0, 100);
  }
  return out;
}

/** Pure: the dashboard's path for these filters, keys in a fixed order so equal filters give equal links. */
export function dashboardHref(filters: DashboardSearch & Partial<DashboardQuery>): string {
  const p = new URLSearchParams();
  for (const key of KEYS) {
    const v = filters[key];
    if (v) p.set(key, v);
  }
  const s = p.toString();
  return s ? `/dashboard?${s}` : "/dashboard";
}

// ---- The tasks behind a figure ------------------------------------------------------------------------------------

/** What every figure shares: the project, the person (the tasks' annotator), no gold tasks. */
const scope = (f: DashboardFilter): TaskListFilter => ({
  projectId: f.projectId ?? undefined,
  annotatorId: f.personId ?? undefined,
  gold: "false",
});
const range = (f: DashboardFilter) => ({ from: f.from, to: f.to });
const oneDay = (day: string) => ({ from: day, to: day });

export const behind = {
  errorType: (f: DashboardFilter, aspect: Aspect, errorType: ErrorType) =>
    tasksHref({ ...scope(f), aspect, event: "final", errorType, ...range(f) }),
  catches: (f: DashboardFilter, kind: CatchKind, day: string) => tasksHref({ ...scope(f), event: "catch", catchKind: kind, ...oneDay(day) }),
  /** A person's week (Monday to Sunday), within the dashboard's range. */
  annotatorWeek: (f: DashboardFilter, userId: string, week: string) => {
    const end = addDays(week, 6);
    return tasksHref({ ...scope(f), annotatorId: userId, event: "annotated", from: week < f.from ? f.from : week, to: end > f.to ? f.to : end });
  },
  /** A sub-aspect ("camera.movement") compares the labels of its aspect's overlapping tasks. */
  agreement: (f: DashboardFilter, subAspect: string) => {
    const aspect = Aspect.safeParse(subAspect.split(".")[0]);
    return tasksHref({ ...scope(f), overlap: "true", aspect: aspect.success ? aspect.data : undefined });
  },
  submitted: (f: DashboardFilter, day: string) => tasksHref({ ...scope(f), event: "submitted", ...oneDay(day) }),
  stage: (f: DashboardFilter, stage: Stage) => tasksHref({ ...scope(f), event: "left_stage", leftStage: stage, ...range(f) }),
};
