import { and, eq, inArray, ne, or, type SQL } from "drizzle-orm";
import type { SessionUser } from "../../context";
import type { Db } from "../../db/index";
import { tasks, users } from "../../db/schema/index";
import type { Stage } from "../../../shared/domain/stages";
import type { TaskRelation } from "../../../shared/api/tasks";

export type { TaskRelation };

/** The task fields a visibility decision needs. */
export type TaskAccessFacts = { annotatorId: string | null; reviewerId: string | null; stage: Stage };

/** Stages in which a reviewer who is not the annotator may pick a task up from the queue. */
export const REVIEW_QUEUE_STAGES: readonly Stage[] = ["submitted"];

/**
 * How a user relates to a task, or null when they may not see it. Order matters: a lead who also annotated a
 * task is still "lead"; a reviewer never gets "reviewer" on their own work.
 */
export async function relationToTask(db: Db, user: SessionUser, task: TaskAccessFacts): Promise<TaskRelation | null> {
  if (user.role === "admin" || user.role === "lead") return user.role;
  if (task.annotatorId === user.id) return "annotator";
  if (user.role === "reviewer") {
    if (task.reviewerId === user.id) return "reviewer";
    if (REVIEW_QUEUE_STAGES.includes(task.stage) && task.annotatorId !== null) return "reviewer";
    return null;
  }
  if (user.role === "trainer" && task.annotatorId) {
    const [row] = await db.select({ role: users.role }).from(users).where(eq(users.id, task.annotatorId)).limit(1);
    return row?.role === "trainee" ? "trainer" : null;
  }
  return null;
}

/**
 * The same rule as relationToTask, as a WHERE clause over `tasks`, so list queries never load rows the caller may
 * not see. undefined = no restriction (lead/admin).
 */
export function visibleTasksWhere(db: Db, user: SessionUser): SQL | undefined {
  if (user.role === "admin" || user.role === "lead") return undefined;
  const own = eq(tasks.annotatorId, user.id);
  if (user.role === "reviewer") {
    return or(
      own,
      eq(tasks.reviewerId, user.id),
      and(inArray(tasks.stage, [...REVIEW_QUEUE_STAGES]), ne(tasks.annotatorId, user.id)),
    );
  }
  if (user.role === "trainer") {
    const trainees = db.select({ id: users.id }).from(users).where(eq(users.role, "trainee"));
    return or(own, inArray(tasks.annotatorId, trainees));
  }
  return own;
}

/** Whether a user may see anything of a video: lead/admin always, others when they may see one of its tasks. */
export function canSeeAllVideos(user: SessionUser): boolean {
  return user.role === "admin" || user.role === "lead";
}
