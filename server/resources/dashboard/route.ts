import { Hono } from "hono";
import { requireRole } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import { taskDiff } from "../../dashboard/diffs";
import { dashboardData } from "../../dashboard/queries";
import { badRequest } from "../../http/errors";
import { describeIssues } from "../../http/issues";
import { Id } from "../../../shared/api/common";
import { dashboardFilterSchema, dayOf } from "../../../shared/api/dashboard";
import { DiffQuery } from "../../../shared/api/training";

/**
 * Leads' views (mounted at /api), lead/admin only:
 *   GET /tasks/:id/diffs?kind=pre_post|rounds|versions|annotators[&k=][&other=]   the two sides of a comparison
 *   GET /dashboard[?projectId=][&personId=][&from=YYYY-MM-DD][&to=YYYY-MM-DD]        the dashboard's figures and
 *                                                                                  the filter's choices
 */
export function dashboardRoutes(deps: AppDeps) {
  const { db } = deps.database;
  return new Hono<AppEnv>()
    .get("/tasks/:id/diffs", requireRole("lead", "admin"), async (c) => {
      const id = Id.safeParse(c.req.param("id"));
      if (!id.success) throw badRequest("The id must be a UUID.");
      const q = DiffQuery.safeParse(c.req.query());
      if (!q.success) throw badRequest(describeIssues(q.error.issues, "query"), q.error.issues);
      return c.json(await taskDiff(db, id.data, q.data));
    })
    .get("/dashboard", requireRole("lead", "admin"), async (c) => {
      // An empty parameter (a cleared field) means "no filter", as on the task list.
      const params = Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ""));
      const q = dashboardFilterSchema(dayOf(new Date())).safeParse(params);
      if (!q.success) throw badRequest(describeIssues(q.error.issues, "query"), q.error.issues);
      return c.json(await dashboardData(db, q.data));
    });
}
