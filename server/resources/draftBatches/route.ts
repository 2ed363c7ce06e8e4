import { eq, or } from "drizzle-orm";
import { Hono } from "hono";
import { currentUser, requireRole } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import { projects } from "../../db/schema/index";
import { jobsFor } from "../../jobs/index";
import { badRequest, conflict, notFound } from "../../http/errors";
import { readJson } from "../../http/readJson";
import { Id } from "../../../shared/api/common";
import { StartDraftBatchRequest, type DraftBatchList, type StartDraftBatchResponse } from "../../../shared/api/draftBatches";

/**
 * Batch drafting from the API (mounted at /api/draft-batches), lead/admin only; `npm run chai -- draft` is the same
 * batch from a terminal. A batch is a durable job (server/loop/draftBatches.ts): any server process may run it.
 *   POST /      {project, aspect?, concurrency?} → 202 {id, joined}
 *   GET  /      the batches, newest first
 *   GET  /:id   one batch with its per-task progress (pollable, from any process)
 *   DELETE /:id cancels a waiting or running batch (204; 409 once it has ended)
 */
export function draftBatchesRoutes(deps: AppDeps) {
  const { db } = deps.database;
  const batches = () => jobsFor(deps).draftBatches;
  const batchOf = async (rawId: string) => {
    const id = Id.safeParse(rawId);
    if (!id.success) throw badRequest("The batch id must be a UUID.");
    const batch = await batches().get(id.data);
    if (!batch) throw notFound("No such draft batch.");
    return batch;
  };

  return new Hono<AppEnv>()
    .use("*", requireRole("lead", "admin"))
    .post("/", async (c) => {
      const user = currentUser(c);
      const req = await readJson(c, StartDraftBatchRequest);
      const byId = Id.safeParse(req.project);
      const [project] = await db
        .select({ id: projects.id, name: projects.name })
        .from(projects)
        .where(byId.success ? or(eq(projects.id, byId.data), eq(projects.name, req.project)) : eq(projects.name, req.project))
        .limit(1);
      if (!project) throw badRequest(`No project "${req.project}".`);
      const { batch, joined } = await batches().start(user, project, { aspect: req.aspect, concurrency: req.concurrency });
      return c.json({ id: batch.id, joined } satisfies StartDraftBatchResponse, 202);
    })
    .get("/", async (c) => c.json({ batches: await batches().list() } satisfies DraftBatchList))
    .get("/:id", async (c) => c.json(await batchOf(c.req.param("id"))))
    .delete("/:id", async (c) => {
      const batch = await batchOf(c.req.param("id"));
      if (!(await batches().cancel(currentUser(c), batch.id))) throw conflict(`The batch has already ended (${batch.state}).`);
      return c.body(null, 204);
    });
}
