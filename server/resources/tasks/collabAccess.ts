import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/index";
import { batchLookups, perObject } from "../../db/batch";
import { tasks, users } from "../../db/schema/index";
import { uuidArray } from "../../db/arrayParam";
import type { VersionBrief } from "../../review/work";
import type { TaskAccessFacts, TaskWork } from "./policy";

/**
 * Everything taskAccess reads for one task, in one statement: the task row, its annotator's role, and from its
 * frozen versions the latest one's author and the distinct workers (review/work.ts `workerOf` of each). Concurrent
 * lookups share that statement (server/db/batch.ts); nothing is cached, so a task changed before a lookup was asked
 * is seen by it. policy.ts `collabFacts` turns a row into TaskFacts with taskAccess's own rules.
 */
export type CollabTaskRow = { task: TaskAccessFacts & { id: string }; work: TaskWork };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The latest version as "role:authorId" (taskAccess's order: newest first, ties by id). */
const latestVersion = sql<string | null>`(
  select v.author_role || ':' || v.author_id from task_versions v
  where v.task_id = ${tasks.id} order by v.created_at desc, v.id desc limit 1)`;

/** workerOf over every version, distinct, comma-separated (uuids hold no comma); null without versions. */
const versionWorkers = sql<string | null>`(
  select string_agg(distinct (case when v.author_role = 'annotator' then v.author_id else ${tasks.annotatorId} end)::text, ',')
  from task_versions v where v.task_id = ${tasks.id})`;

function parseLatest(text: string | null): VersionBrief | null {
  if (!text) return null;
  const at = text.indexOf(":");
  return { authorRole: text.slice(0, at) as VersionBrief["authorRole"], authorId: text.slice(at + 1) };
}

/** The rows of many tasks at once; a task that does not exist is absent. */
export async function collabTaskRows(db: Db, taskIds: readonly string[]): Promise<Map<string, CollabTaskRow>> {
  const rows = await db
    .select({
      id: tasks.id,
      stage: tasks.stage,
      annotatorId: tasks.annotatorId,
      reviewerId: tasks.reviewerId,
      annotatorRole: users.role,
      latest: latestVersion,
      workers: versionWorkers,
    })
    .from(tasks)
    .leftJoin(users, eq(users.id, tasks.annotatorId))
    // One statement text for any batch size (one prepared statement), as PgStorage's appends do.
    .where(sql`${tasks.id} = any(${uuidArray(taskIds)})`);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        task: { id: r.id, stage: r.stage, annotatorId: r.annotatorId, reviewerId: r.reviewerId },
        work: { annotatorRole: r.annotatorRole ?? null, latest: parseLatest(r.latest), workerIds: r.workers ? r.workers.split(",") : [] },
      },
    ]),
  );
}

const lookupFor = perObject((db: Db) => batchLookups((ids: readonly string[]) => collabTaskRows(db, ids)));

/** One task's row, batched with concurrent lookups; null when there is no such task. */
export async function collabTaskRow(db: Db, taskId: string): Promise<CollabTaskRow | null> {
  // A malformed id would fail the whole batch's uuid[] cast: it names no task.
  if (!UUID.test(taskId)) return null;
  return (await lookupFor(db)(taskId.toLowerCase())) ?? null;
}
