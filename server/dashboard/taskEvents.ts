import { and, eq, exists, gt, gte, lt, ne, sql, type SQL } from "drizzle-orm";
import { alias, type PgColumn } from "drizzle-orm/pg-core";
import type { Db } from "../db";
import { auditLog, catches, taskLabels, taskVersions, tasks } from "../db/schema";
import { addDays, dayStart } from "../../shared/api/dashboard";
import type { TaskListQuery } from "../../shared/api/tasks";

/**
 * "The tasks behind this figure": the dashboard's events (shared/api/tasks.ts TASK_EVENTS) as WHERE clauses over
 * `tasks`, for the leads' task list. Each one counts a task the way server/dashboard/queries.ts counts it.
 */

/** The stage-change audit action the loop writes (server/loop/taskFacts.ts). */
export const STAGE_ACTION = "task.stage";

const v = alias(taskVersions, "ev_version");
const later = alias(taskVersions, "ev_later");
const other = alias(tasks, "ev_other");

/** [from 00:00, the day after `to` 00:00) on a timestamp column; an open end when a day is missing. */
export function inDays(column: PgColumn, from: string | undefined, to: string | undefined): SQL | undefined {
  return and(from ? gte(column, dayStart(from)) : undefined, to ? lt(column, dayStart(addDays(to, 1))) : undefined);
}

/** The stage changes of the outer `tasks` row (the audit log names a task by its id as text). */
const stageChangeOfTask = and(eq(auditLog.action, STAGE_ACTION), eq(auditLog.entityType, "task"), eq(auditLog.entityId, sql`${tasks.id}::text`));

type EventFilter = Pick<TaskListQuery, "event" | "from" | "to" | "errorType" | "catchKind" | "leftStage">;

/** The event filter as a condition on `tasks`; undefined when the query names no event. */
export function taskEventWhere(db: Db, q: EventFilter): SQL | undefined {
  switch (q.event) {
    case undefined:
      return undefined;
    case "final":
      // The final version: not rejected, and no newer version that is not rejected.
      return exists(
        db
          .select({ one: sql`1` })
          .from(v)
          .where(
            and(
              eq(v.taskId, tasks.id),
              eq(v.negative, "no"),
              inDays(v.createdAt, q.from, q.to),
              q.errorType ? sql`${v.critique} @> ${JSON.stringify([{ errorType: q.errorType }])}::jsonb` : undefined,
              sql`not exists (${db
                .select({ one: sql`1` })
                .from(later)
                .where(and(eq(later.taskId, v.taskId), eq(later.negative, "no"), gt(later.createdAt, v.createdAt)))})`,
            ),
          ),
      );
    case "annotated":
      // The annotator's first version of the task.
      return exists(
        db
          .select({ one: sql`1` })
          .from(v)
          .where(
            and(
              eq(v.taskId, tasks.id),
              eq(v.authorRole, "annotator"),
              inDays(v.createdAt, q.from, q.to),
              sql`not exists (${db
                .select({ one: sql`1` })
                .from(later)
                .where(and(eq(later.taskId, v.taskId), eq(later.authorRole, "annotator"), lt(later.createdAt, v.createdAt)))})`,
            ),
          ),
      );
    case "submitted":
      return exists(
        db
          .select({ one: sql`1` })
          .from(auditLog)
          .where(and(stageChangeOfTask, sql`${auditLog.data}->>'to' = 'submitted'`, inDays(auditLog.at, q.from, q.to))),
      );
    case "left_stage":
      return exists(
        db
          .select({ one: sql`1` })
          .from(auditLog)
          .where(and(stageChangeOfTask, sql`${auditLog.data}->>'from' = ${q.leftStage ?? ""}`, inDays(auditLog.at, q.from, q.to))),
      );
    case "catch":
      return exists(
        db
          .select({ one: sql`1` })
          .from(catches)
          .where(
            and(
              eq(catches.taskId, tasks.id),
              ne(catches.status, "overturned"),
              q.catchKind ? eq(catches.kind, q.catchKind) : undefined,
              inDays(catches.createdAt, q.from, q.to),
            ),
          ),
      );
  }
}

/**
 * Tasks in the agreement sample (server/eval/agreement.ts): labelled, on a clip and aspect that another non-gold
 * task also labelled.
 */
export function overlapWhere(db: Db): SQL {
  const labelled = (taskId: PgColumn) =>
    exists(db.select({ one: sql`1` }).from(taskLabels).where(eq(taskLabels.taskId, taskId)));
  return and(
    labelled(tasks.id),
    exists(
      db
        .select({ one: sql`1` })
        .from(other)
        .where(and(eq(other.videoId, tasks.videoId), eq(other.aspect, tasks.aspect), ne(other.id, tasks.id), eq(other.isGold, false), labelled(other.id))),
    ),
  ) as SQL;
}
