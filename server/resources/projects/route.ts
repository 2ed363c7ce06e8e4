import { Hono, type Context } from "hono";
import { asc } from "drizzle-orm";
import { z } from "zod";
import { currentUser, requireUser } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import { projects } from "../../db/schema/index";
import { badRequest, forbidden } from "../../http/errors";
import { readJson } from "../../http/readJson";
import { describeError } from "../../collab/logSafe";
import { loggerFor } from "../../observability/logger";
import { mayDoApp, mayOpen } from "../me/policy";
import { Id } from "../../../shared/api/common";
import type { ProjectListResponse } from "../../../shared/api/tasks";
import { AssignRequest, CreateProjectRequest, UpdateProjectRequest, firstIssue } from "../../../shared/api/projects";
import { projectProgress } from "../../projects/progress";
import { assignBulk, assignManual, createProject, generateTasks, listProjectTasks, projectDetail, updateProject, type ProjectDeps } from "../../projects/repository";
import type { AppAction } from "../../../shared/api/abilities";
import type { SessionUser } from "../../auth/sessionUser";

/** A JSON body checked by its schema; a bad one is a 400 whose message says what is wrong, in words. */
async function body<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<z.infer<S>> {
  // readJson caps the size and parses; the schema is applied here so its own messages reach the person.
  const raw = await readJson(c, z.unknown());
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw badRequest(firstIssue(parsed.error), parsed.error.issues);
  return parsed.data;
}

function projectId(c: Context<AppEnv>): string {
  const id = Id.safeParse(c.req.param("id"));
  if (!id.success) throw badRequest("The project id is not valid.");
  return id.data;
}

/** The policy (server/resources/me/policy.ts) decides: the projects page to look, an app action to change. */
function allowed(c: Context<AppEnv>, action?: AppAction): SessionUser {
  const user = currentUser(c);
  if (!mayOpen(user, "projects")) throw forbidden("Only leads and admins see projects.");
  if (action === "edit_projects" && !mayDoApp(user, action)) throw forbidden("Only an admin changes a project's settings.");
  if (action === "assign_tasks" && !mayDoApp(user, action)) throw forbidden("You may not assign tasks.");
  return user;
}

/**
 * GET /api/projects: project names for filters (anyone signed in; settings stay behind the admin pages).
 * The rest is the projects admin: settings (admins edit, leads view), tasks per clip × aspect and their assignment.
 */
export function projectsRoutes(deps: AppDeps) {
  const { db } = deps.database;
  const log = loggerFor(deps.config).child({ component: "projects" });
  const services: ProjectDeps = {
    db,
    currentSpecVersion: async () => (await deps.loop.deps.loadSpec()).spec.version,
    // Not awaited: connections whose rights changed are closed and rejoin on their own (as after a stage change).
    revalidate: (taskId) =>
      void deps.rooms.revalidate(taskId).catch((err: unknown) => log.error({ taskId, err: describeError(err) }, "revalidating the task's room failed")),
  };
  return new Hono<AppEnv>()
    .get("/", requireUser, async (c) => {
      const rows = await db.select().from(projects).orderBy(asc(projects.name));
      const list: ProjectListResponse = rows.map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt.toISOString() }));
      return c.json(list);
    })
    .post("/", requireUser, async (c) => {
      const user = allowed(c, "edit_projects");
      return c.json(await createProject(services, user, await body(c, CreateProjectRequest)), 201);
    })
    .get("/:id", requireUser, async (c) => {
      allowed(c);
      return c.json(await projectDetail(services, projectId(c)));
    })
    .patch("/:id", requireUser, async (c) => {
      const user = allowed(c, "edit_projects");
      const id = projectId(c);
      return c.json(await updateProject(services, user, id, await body(c, UpdateProjectRequest)));
    })
    .get("/:id/tasks", requireUser, async (c) => {
      allowed(c);
      return c.json(await listProjectTasks(db, projectId(c)));
    })
    .get("/:id/progress", requireUser, async (c) => {
      allowed(c);
      return c.json(await projectProgress(db, projectId(c)));
    })
    .post("/:id/tasks/generate", requireUser, async (c) => {
      const user = allowed(c, "assign_tasks");
      return c.json(await generateTasks(services, user, projectId(c)));
    })
    .post("/:id/assign", requireUser, async (c) => {
      const user = allowed(c, "assign_tasks");
      const id = projectId(c);
      const req = await body(c, AssignRequest);
      return c.json(req.mode === "manual" ? await assignManual(services, user, id, req) : await assignBulk(services, user, id, req));
    });
}
