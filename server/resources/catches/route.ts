import { Hono } from "hono";
import { currentUser, requireRole, requireUser } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import { readJson } from "../../http/readJson";
import { disputedCatches, listCatches, recordCatch } from "../../review/catches";
import { badRequest } from "../../http/errors";
import { disputeCatch, resolveDispute } from "../../review/disputes";
import { CatchListQuery, CatchRequest, DisputeRequest, ResolveRequest, type CatchListResponse, type CatchView } from "../../../shared/api/review";

/**
 * Catches and their disputes, mounted at /api:
 *   POST /tasks/:id/catches    the task's reviewer, while in review; 201 new, 200 when the requestKey was seen
 *   GET  /tasks/:id/catches    anyone who may see the task (with each catch's dispute history)
 *   GET  /catches?status=disputed  catches awaiting a verdict, oldest dispute first (leads and admins)
 *   POST /catches/:id/dispute  {reason}: the person whose work was caught, within the dispute window
 *   POST /catches/:id/resolve  {resolution, note}: a lead or admin who is not a party
 */
export function catchesRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .post("/tasks/:id/catches", requireUser, async (c) => {
      const user = currentUser(c);
      const req = await readJson(c, CatchRequest);
      const { view, created } = await recordCatch(deps.loop.deps, user, c.req.param("id"), req);
      const body: CatchView = view;
      return c.json(body, created ? 201 : 200);
    })
    .get("/tasks/:id/catches", requireUser, async (c) => {
      const body: CatchListResponse = await listCatches(deps.database.db, currentUser(c), c.req.param("id"));
      return c.json(body);
    })
    .get("/catches", requireRole("lead", "admin"), async (c) => {
      const parsed = CatchListQuery.safeParse(c.req.query());
      if (!parsed.success) throw badRequest("Only status=disputed can be listed.", parsed.error.issues);
      const body: CatchListResponse = await disputedCatches(deps.database.db, currentUser(c));
      return c.json(body);
    })
    .post("/catches/:id/dispute", requireUser, async (c) => {
      const user = currentUser(c);
      const { reason } = await readJson(c, DisputeRequest);
      const body: CatchView = await disputeCatch(deps.loop.deps, user, c.req.param("id"), reason);
      return c.json(body);
    })
    .post("/catches/:id/resolve", requireRole("lead", "admin"), async (c) => {
      const user = currentUser(c);
      const { resolution, note } = await readJson(c, ResolveRequest);
      const body: CatchView = await resolveDispute(deps.loop.deps, user, c.req.param("id"), resolution, note);
      return c.json(body);
    });
}
