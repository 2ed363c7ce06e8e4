import { Hono } from "hono";
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { currentUser, requireUser } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import { projects, tasks, videos } from "../../db/schema/index";
import { badRequest, forbidden, notFound } from "../../http/errors";
import { REVIEW_QUEUE_STAGES, taskAccess, visibleTasksWhere } from "./policy";
import { presentTasks } from "./presenter";
import { selectTaskRows } from "./rows";
import { toVideoMeta } from "../videos/presenter";
import { Id } from "../../../shared/api/common";
import { LEAD_TASK_FILTERS, TaskListQuery, type TaskDetail, type TaskListResponse } from "../../../shared/api/tasks";
import { describeIssues } from "../../http/issues";
import { overlapWhere, taskEventWhere } from "../../dashboard/taskEvents";
import { mayOpen } from "../me/policy";
import type { SessionUser } from "../../context";

/**
 * Order: a reviewer's queue (and any list of submitted work) oldest-submitted first, so nothing waits forever;
 * everything else most recently touched first.
 */
function taskOrder(user: SessionUser, query: TaskListQuery): SQL[] {
  const queue = user.role === "reviewer" || (query.stage !== undefined && REVIEW_QUEUE_STAGES.includes(query.stage));
  return queue
    ? [sql`${tasks.submittedAt} asc nulls last`, asc(tasks.createdAt), asc(tasks.id)]
    : [desc(tasks.updatedAt), asc(tasks.videoId), asc(tasks.id)];
}

export function tasksRoutes(deps: AppDeps) {
  const { db } = deps.database;
  return new Hono<AppEnv>()
    .use(requireUser)
    .get("/", async (c) => {
      // An empty parameter (a cleared <select>) means "no filter", not a bad value.
      const params = Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ""));
      const parsed = TaskListQuery.safeParse(params);
      if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues, "task filter"), parsed.error.issues);
      const q = parsed.data;
      const user = currentUser(c);
      // The filters behind the dashboard belong to the leads' task list page; others keep their own lists.
      const leadOnly = LEAD_TASK_FILTERS.filter((k) => q[k] !== undefined);
      if (leadOnly.length > 0 && !mayOpen(user, "tasks")) throw forbidden(`Only leads and admins may filter tasks by ${leadOnly.join(", ")}.`);
      const filters: (SQL | undefined)[] = [
        visibleTasksWhere(db, user),
        q.aspect ? eq(tasks.aspect, q.aspect) : undefined,
        q.stage ? eq(tasks.stage, q.stage) : undefined,
        q.annotatorId ? eq(tasks.annotatorId, q.annotatorId) : undefined,
        q.reviewerId ? eq(tasks.reviewerId, q.reviewerId) : undefined,
        q.projectId ? eq(tasks.projectId, q.projectId) : undefined,
        q.videoId ? eq(tasks.videoId, q.videoId) : undefined,
        q.gold ? eq(tasks.isGold, q.gold === "true") : undefined,
        q.overlap ? overlapWhere(db) : undefined,
        taskEventWhere(db, q),
      ];
      const rows = await selectTaskRows(db)
        .where(and(...filters.filter((f): f is SQL => f !== undefined)))
        .orderBy(...taskOrder(user, q))
        .limit(q.limit);
      const body: TaskListResponse = await presentTasks(db, rows);
      return c.json(body);
    })
    .get("/:id", async (c) => {
      const id = Id.safeParse(c.req.param("id"));
      if (!id.success) throw notFound("No such task.");
      const user = currentUser(c);
      const [row] = await selectTaskRows(db).where(eq(tasks.id, id.data)).limit(1);
      if (!row) throw notFound("No such task.");
      const access = await taskAccess(db, user, row.task);
      if (!access) throw forbidden("You may not see this task.");
      const [video] = await db.select().from(videos).where(eq(videos.id, row.task.videoId)).limit(1);
      const [project] = await db
        .select({ name: projects.name })
        .from(projects)
        .where(eq(projects.id, row.task.projectId))
        .limit(1);
      if (!video) throw notFound("The task's video is missing.");
      const [summary] = await presentTasks(db, [row]);
      if (!summary) throw notFound("No such task.");
      const body: TaskDetail = {
        ...summary,
        video: toVideoMeta(video),
        projectName: project?.name ?? "",
        relation: access.relation,
        abilities: access.abilities,
      };
      return c.json(body);
    });
}
