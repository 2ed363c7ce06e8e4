import { z } from "zod";
import type { Aspect, Role } from "../domain";
import { Id } from "./common";

/**
 * The leads' dashboard (GET /api/dashboard): its query (project, person, a range of days) and its figures. The
 * person is always the annotator of the task behind a figure: error types of their tasks' final versions, catches
 * found in their work, their precision and recall, clips they worked that another annotator also labelled, and the
 * stage moves of their tasks. Gold tasks (answer keys) are never counted.
 */

// ---- Days ---------------------------------------------------------------------------------------------------------

/** A calendar day (UTC), "YYYY-MM-DD"; ranges of days are inclusive at both ends. */
export const IsoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "must be a date written YYYY-MM-DD, like 2026-03-01" })
  .refine(isCalendarDay, { error: "is not a day of the calendar" });

/** "2026-02-30" is no day ("Invalid Date" or rolled over to March); a wrong shape is the regex's to report. */
function isCalendarDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return true;
  const d = dayStart(s);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Midnight UTC at the start of the day. */
export const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);
export const dayOf = (d: Date) => d.toISOString().slice(0, 10);
export const addDays = (day: string, n: number) => dayOf(new Date(dayStart(day).getTime() + n * 86_400_000));
/** Days from `from` to `to`, both counted (1 for one day). */
export const daysIn = (from: string, to: string) => Math.round((dayStart(to).getTime() - dayStart(from).getTime()) / 86_400_000) + 1;

// ---- Query --------------------------------------------------------------------------------------------------------

export const DEFAULT_RANGE_DAYS = 90;
/** A year and a day at most, so one request never reads the whole history. */
export const MAX_RANGE_DAYS = 366;

export const DashboardQuery = z.strictObject({
  projectId: Id.optional(),
  /** The annotator of the tasks behind every figure. */
  personId: Id.optional(),
  from: IsoDay.optional(),
  to: IsoDay.optional(),
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;

/** The query with its defaults filled in: what the figures were computed over. */
export type DashboardFilter = { projectId: string | null; personId: string | null; from: string; to: string };

/**
 * The dashboard query for a given today: `to` defaults to today, `from` to the DEFAULT_RANGE_DAYS days ending at
 * `to`; then from ≤ to and at most MAX_RANGE_DAYS days.
 */
export function dashboardFilterSchema(today: string) {
  return DashboardQuery.transform(
    (q): DashboardFilter => {
      const to = q.to ?? today;
      return { projectId: q.projectId ?? null, personId: q.personId ?? null, from: q.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1)), to };
    },
  ).superRefine((f, ctx) => {
    if (f.from > f.to) ctx.addIssue({ code: "custom", path: ["from"], message: `The range starts (${f.from}) after it ends (${f.to}).` });
    else if (daysIn(f.from, f.to) > MAX_RANGE_DAYS) {
      ctx.addIssue({ code: "custom", path: ["to"], message: `The range may cover at most ${MAX_RANGE_DAYS} days; ${f.from} to ${f.to} covers ${daysIn(f.from, f.to)}.` });
    }
  });
}

// ---- Figures ------------------------------------------------------------------------------------------------------

/** Who and what a lead may filter the dashboard by. */
export type DashboardChoices = {
  projects: { id: string; name: string }[];
  /** People who annotate: annotators and trainees, and anyone who annotated a task. */
  people: { id: string; name: string; role: Role }[];
};

export type DashboardData = {
  filter: DashboardFilter;
  choices: DashboardChoices;
  errorTypesPerAspect: { aspect: Aspect; errorType: string; count: number }[];
  catchesOverTime: { day: string; kind: string; count: number }[];
  annotatorTrends: { userId: string; name: string; week: string; precision: number | null; recall: number | null; tasks: number }[];
  /** Over all dates: labels are compared per clip whenever they were made (project and person still apply). */
  agreement: { subAspect: string; alpha: number | null; units: number }[];
  throughput: {
    tasksPerHour: { hour: string; count: number }[];
    minutesPerStage: { stage: string; minutes: number; samples: number }[];
  };
};

export const DASHBOARD_PATHS = { figures: "/api/dashboard" } as const;
