import { and, asc, eq, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import type { SessionUser } from "../../auth/sessionUser";
import type { Db } from "../../db/index";
import { tasks } from "../../db/schema/index";
import { STAGES, type Stage } from "../../../shared/domain/stages";
import { WAITING_ON } from "../../../shared/stage/machine";

/** Stages that wait on a task's worker, and on a reviewer (shared/stage/machine.ts WAITING_ON). */
const stagesWaitingOn = (who: "annotator" | "reviewer"): Stage[] => STAGES.filter((s) => WAITING_ON[s] === who);

/**
 * Where "the next task" is looked for, for this person: their own work waiting on them (as its worker), and for a
 * reviewer the reviews waiting on them (taken by them, or submitted and not taken by anyone else, never their own).
 */
export function nextTaskWhere(user: SessionUser, after: string | undefined): SQL | undefined {
  const own = and(eq(tasks.annotatorId, user.id), inArray(tasks.stage, stagesWaitingOn("annotator")));
  const reviews =
    user.role === "reviewer" || user.role === "lead" || user.role === "admin"
      ? and(
          inArray(tasks.stage, stagesWaitingOn("reviewer")),
          ne(tasks.annotatorId, user.id),
          or(eq(tasks.reviewerId, user.id), and(eq(tasks.stage, "submitted"), isNull(tasks.reviewerId))),
        )
      : undefined;
  return and(reviews ? or(own, reviews) : own, after ? ne(tasks.id, after) : undefined);
}

/**
 * Order: work already under way before new work (a critique half written, a review started), then the stage's
 * place in the workflow from the end (finishing beats starting), then the oldest first so nothing waits forever.
 */
export function nextTaskOrder(): SQL[] {
  const started = sql`case when ${tasks.stage} in ('refining', 'critiquing', 'in_review') then 0 else 1 end`;
  const place = sql`array_position(array[${sql.join(
    [...STAGES].reverse().map((s) => sql`${s}`),
    sql`, `,
  )}]::text[], ${tasks.stage}::text)`;
  return [asc(started), asc(place), asc(tasks.createdAt), asc(tasks.id)];
}

/** The id of the next task waiting on this person, or null. */
export async function nextTaskId(db: Db, user: SessionUser, after: string | undefined): Promise<string | null> {
  const [row] = await db
    .select({ id: tasks.id })
    .from(tasks)
    .where(nextTaskWhere(user, after))
    .orderBy(...nextTaskOrder())
    .limit(1);
  return row?.id ?? null;
}
