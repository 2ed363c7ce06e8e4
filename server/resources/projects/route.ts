import { Hono } from "hono";
import { asc } from "drizzle-orm";
import { requireUser } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import { projects } from "../../db/schema/index";
import type { ProjectListResponse } from "../../../shared/api/tasks";

/** GET /api/projects: project names for filters (not sensitive; settings stay server-side). */
export function projectsRoutes(deps: AppDeps) {
  const { db } = deps.database;
  return new Hono<AppEnv>().get("/", requireUser, async (c) => {
    const rows = await db.select().from(projects).orderBy(asc(projects.name));
    const body: ProjectListResponse = rows.map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt.toISOString() }));
    return c.json(body);
  });
}
