import { Hono } from "hono";
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { currentUser, requireUser } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import type { Db } from "../../db/index";
import { projects, tasks, users, videos } from "../../db/schema/index";
import { badRequest, forbidden, notFound } from "../../http/errors";
import { REVIEW_QUEUE_STAGES, taskAccess, visibleTasksWhere } from "./policy";
import { toTaskSummary } from "./presenter";
import { toVideoMeta } from "../videos/presenter";
import { Id } from "../../../shared/api/common";
import { TaskListQuery, type TaskDetail, type TaskListResponse } from "../../../shared/api/tasks";
import type { SessionUser } from "../../context";

const annotator = alias(users, "annotator_user");
const reviewer = alias(users, "reviewer_user");

/** The task list query with the joins every list row needs. */
function selectTaskRows(db: Db) {
  return db
    .select({
      task: tasks,
      annotatorName: annotator.displayName,
      reviewerName: reviewer.displayName,
      videoTitle: videos.title,
      videoDurationSec: videos.durationSec,
      videoFps: videos.fps,
    })
    .from(tasks)
    .innerJoin(videos, eq(videos.id, tasks.videoId))
    .leftJoin(annotator, eq(annotator.id, tasks.annotatorId))
    .leftJoin(reviewer, eq(reviewer.id, tasks.reviewerId));
}

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
      if (!parsed.success) throw badRequest("Invalid task filter.", parsed.error.issues);
      const q = parsed.data;
      const user = currentUser(c);
      const filters: (SQL | undefined)[] = [
        visibleTasksWhere(db, user),
        q.aspect ? eq(tasks.aspect, q.aspect) : undefined,
        q.stage ? eq(tasks.stage, q.stage) : undefined,
        q.annotatorId ? eq(tasks.annotatorId, q.annotatorId) : undefined,
        q.reviewerId ? eq(tasks.reviewerId, q.reviewerId) : undefined,
        q.projectId ? eq(tasks.projectId, q.projectId) : undefined,
        q.videoId ? eq(tasks.videoId, q.videoId) : undefined,
      ];
      const rows = await selectTaskRows(db)
        .where(and(...filters.filter((f): f is SQL => f !== undefined)))
        .orderBy(...taskOrder(user, q))
        .limit(q.limit);
      const body: TaskListResponse = rows.map(toTaskSummary);
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
      const body: TaskDetail = {
        ...toTaskSummary(row),
        video: toVideoMeta(video),
        projectName: project?.name ?? "",
        relation: access.relation,
        abilities: access.abilities,
      };
      return c.json(body);
    });
}
