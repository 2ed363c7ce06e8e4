import { Hono } from "hono";
import { currentUser, requireUser } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import { forbidden } from "../../http/errors";
import { readJson } from "../../http/readJson";
import { loadTask } from "../../loop/taskFacts";
import { relationToTask } from "../tasks/policy";
import { decide, listDecisions, startReview } from "../../review/decisions";
import { DecisionRequest, type DecisionResponse, type StartReviewResponse } from "../../../shared/api/review";

/**
 * Review decisions, mounted at /api/tasks:
 *   POST /:id/review/start          a reviewer takes a submitted task (never their own work)
 *   POST /:id/decision {decision, note}  approve | fix_and_approve | reject_and_redo
 *   GET  /:id/decisions             the task's decisions, oldest first
 */
export function reviewRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .use(requireUser)
    .post("/:id/review/start", async (c) => {
      const body: StartReviewResponse = await startReview(deps.loop.deps, currentUser(c), c.req.param("id"));
      return c.json(body);
    })
    .post("/:id/decision", async (c) => {
      const user = currentUser(c);
      const req = await readJson(c, DecisionRequest);
      const body: DecisionResponse = await decide(deps.loop.deps, user, c.req.param("id"), req.decision, req.note);
      return c.json(body, 201);
    })
    .get("/:id/decisions", async (c) => {
      const { db } = deps.database;
      const task = await loadTask(db, c.req.param("id"));
      if (!(await relationToTask(db, currentUser(c), task))) throw forbidden("You may not see this task.");
      return c.json(await listDecisions(db, task.id));
    });
}
