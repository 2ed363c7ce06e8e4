import { Hono } from "hono";
import { currentUser, requireRole, requireUser } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import { badRequest, forbidden, notFound } from "../../http/errors";
import { describeIssues } from "../../http/issues";
import type { z } from "zod";
import { leaderboardFor, personFigures } from "../../review/figures";
import { payoutsCsv } from "../../review/payouts";
import { mayOpen } from "../me/policy";
import { Id } from "../../../shared/api/common";
import { FiguresQuery, LeaderboardQuery, PayoutQuery, type LeaderboardResponse, type PersonFiguresResponse } from "../../../shared/api/review";

function parseQuery<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: readonly z.core.$ZodIssue[] } } }, query: Record<string, string>): T {
  // An empty parameter (a cleared field) means "not given".
  const params = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ""));
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues, "query"), parsed.error.issues);
  return parsed.data;
}

/**
 * Figures and payouts, mounted at /api:
 *   GET /figures/people/:id?from&to            a person's figures (themselves, or a lead/admin)
 *   GET /figures/leaderboard?period=week|month&at=YYYY-MM-DD   (leads and admins)
 *   GET /payouts.csv?from&to&rate[&projectId]  the payout file of a period (leads and admins)
 */
export function figuresRoutes(deps: AppDeps) {
  const { db } = deps.database;
  return new Hono<AppEnv>()
    .get("/figures/people/:id", requireUser, async (c) => {
      const user = currentUser(c);
      const id = Id.safeParse(c.req.param("id"));
      if (!id.success) throw notFound("No such person.");
      if (id.data !== user.id && !mayOpen(user, "figures")) throw forbidden("Only leads see other people's figures.");
      const q = parseQuery(FiguresQuery, c.req.query());
      const body: PersonFiguresResponse = await personFigures(db, id.data, q);
      return c.json(body);
    })
    .get("/figures/leaderboard", requireRole("lead", "admin"), async (c) => {
      const q = parseQuery(LeaderboardQuery, c.req.query());
      const body: LeaderboardResponse = await leaderboardFor(db, q.period, q.at);
      return c.json(body);
    })
    .get("/payouts.csv", requireRole("lead", "admin"), async (c) => {
      const q = parseQuery(PayoutQuery, c.req.query());
      const csv = await payoutsCsv(db, q);
      c.header("Content-Type", "text/csv; charset=utf-8");
      c.header("Content-Disposition", `attachment; filename="payouts_${q.from}_${q.to}.csv"`);
      c.header("Cache-Control", "no-store");
      return c.body(csv);
    });
}
