import { Hono } from "hono";
import { eq } from "drizzle-orm";
import { currentUser, requireUser } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import { tasks } from "../../db/schema/index";
import { badRequest } from "../../http/errors";
import { describeIssues } from "../../http/issues";
import { NextTaskQuery, type NextTaskResponse } from "../../../shared/api/tasks";
import { nextTaskId } from "./next";
import { presentTasks } from "./presenter";
import { selectTaskRows } from "./rows";

/**
 * GET /api/tasks/next?after=<id>: the next task waiting on the caller (server/resources/tasks/next.ts), so handing a
 * task in goes straight to the next one. Mounted before the task routes so "next" is never read as a task id.
 */
export function nextTaskRoutes(deps: AppDeps) {
  const { db } = deps.database;
  return new Hono<AppEnv>().get("/next", requireUser, async (c) => {
    const q = NextTaskQuery.safeParse(c.req.query());
    if (!q.success) throw badRequest(describeIssues(q.error.issues, "query"), q.error.issues);
    const id = await nextTaskId(db, currentUser(c), q.data.after);
    if (!id) return c.json({ task: null } satisfies NextTaskResponse);
    const [row] = await selectTaskRows(db)
      .where(eq(tasks.id, id))
      .limit(1);
    const [task] = row ? await presentTasks(db, [row]) : [];
    return c.json({ task: task ?? null } satisfies NextTaskResponse);
  });
}
