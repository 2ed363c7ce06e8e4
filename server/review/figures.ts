import { and, asc, eq, gte, inArray, lt, type SQL } from "drizzle-orm";
import type { Db } from "../db";
import { catches, reviewDecisions, rewardLedger, tasks, taskVersions, users } from "../db/schema";
import { notFound } from "../errors";
import type { LeaderboardResponse, PersonFiguresResponse, PeriodKind } from "../../shared/api/review";
import {
  annotatorFigures,
  periodOf,
  pointsOf,
  reviewerFigures,
  leaderboard,
  type CatchRecord,
  type LedgerRecord,
  type ReviewedTask,
} from "../../shared/figures";
import { utcDay } from "./rules";
import { latestVersion } from "../versions";
import { workerOf, type VersionBrief } from "./work";
import { parseStoredItems } from "../../shared/critique/stored";

/**
 * The queries behind the figures: they select a period's plain records (decisions, catches, ledger entries) and
 * hand them to the pure computations in shared/figures.ts. An event belongs to the period its row was created in.
 * Whose work a decision or catch was about is the worker of the task's latest frozen version at that moment
 * (review/work.ts `workerOf`: the annotator who froze it; a rejected version stays theirs), else the task's annotator.
 */

export type Range = { from?: string | undefined; to?: string | undefined };

const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);

function inRange(column: Parameters<typeof gte>[0], range: Range): SQL[] {
  const out: SQL[] = [];
  if (range.from) out.push(gte(column, dayStart(range.from)));
  if (range.to) out.push(lt(column, dayStart(range.to)));
  return out;
}

type VersionAt = VersionBrief & { taskId: string; createdAt: Date; items: number };

async function versionsOf(db: Db, taskIds: readonly string[]): Promise<Map<string, VersionAt[]>> {
  const byTask = new Map<string, VersionAt[]>();
  if (taskIds.length === 0) return byTask;
  const rows = await db
    .select({
      taskId: taskVersions.taskId,
      authorId: taskVersions.authorId,
      authorRole: taskVersions.authorRole,
      createdAt: taskVersions.createdAt,
      critique: taskVersions.critique,
    })
    .from(taskVersions)
    .where(inArray(taskVersions.taskId, [...new Set(taskIds)]))
    .orderBy(asc(taskVersions.createdAt), asc(taskVersions.id));
  for (const { critique, ...r } of rows) {
    const list = byTask.get(r.taskId) ?? [];
    list.push({ ...r, items: parseStoredItems(critique).length });
    byTask.set(r.taskId, list);
  }
  return byTask;
}

/** The version under review at `at`: the latest made by then (server/versions). */
const versionAt = (versions: Map<string, VersionAt[]>, taskId: string, at: Date): VersionAt | null =>
  latestVersion(versions.get(taskId) ?? [], at) ?? null;

export type PeriodRecords = { reviewed: ReviewedTask[]; catches: CatchRecord[]; ledger: LedgerRecord[] };

export async function loadRecords(db: Db, range: Range): Promise<PeriodRecords> {
  const decisions = await db
    .select({
      taskId: reviewDecisions.taskId,
      reviewerId: reviewDecisions.reviewerId,
      decision: reviewDecisions.decision,
      createdAt: reviewDecisions.createdAt,
      annotatorId: tasks.annotatorId,
    })
    .from(reviewDecisions)
    .innerJoin(tasks, eq(tasks.id, reviewDecisions.taskId))
    .where(and(...inRange(reviewDecisions.createdAt, range)))
    .orderBy(asc(reviewDecisions.createdAt));
  const caught = await db
    .select({
      id: catches.id,
      taskId: catches.taskId,
      reviewerId: catches.reviewerId,
      kind: catches.kind,
      status: catches.status,
      createdAt: catches.createdAt,
      annotatorId: tasks.annotatorId,
    })
    .from(catches)
    .innerJoin(tasks, eq(tasks.id, catches.taskId))
    .where(and(...inRange(catches.createdAt, range)));
  const ledger = await db
    .select({ userId: rewardLedger.userId, points: rewardLedger.points, taskId: rewardLedger.taskId })
    .from(rewardLedger)
    .where(and(...inRange(rewardLedger.createdAt, range)));

  const versions = await versionsOf(db, [...decisions.map((d) => d.taskId), ...caught.map((c) => c.taskId)]);

  // One reviewed-work record per (task, worker): a rejection anywhere in the period marks it rejected.
  const reviewed = new Map<string, ReviewedTask>();
  for (const d of decisions) {
    const v = versionAt(versions, d.taskId, d.createdAt);
    const workerId = workerOf(d, v);
    if (!workerId) continue;
    const key = `${d.taskId}:${workerId}`;
    const prev = reviewed.get(key);
    reviewed.set(key, {
      taskId: d.taskId,
      workerId,
      reviewerId: d.reviewerId,
      items: v?.items ?? 0,
      rejected: (prev?.rejected ?? false) || d.decision === "reject_and_redo",
    });
  }
  const catchRecords: CatchRecord[] = [];
  for (const c of caught) {
    const workerId = workerOf(c, versionAt(versions, c.taskId, c.createdAt));
    if (!workerId) continue;
    catchRecords.push({ id: c.id, taskId: c.taskId, reviewerId: c.reviewerId, workerId, kind: c.kind, status: c.status });
  }
  return { reviewed: [...reviewed.values()], catches: catchRecords, ledger };
}

export async function personFigures(db: Db, personId: string, range: Range): Promise<PersonFiguresResponse> {
  const [person] = await db
    .select({ id: users.id, name: users.displayName, role: users.role })
    .from(users)
    .where(eq(users.id, personId));
  if (!person) throw notFound("No such person.");
  const records = await loadRecords(db, range);
  return {
    person,
    from: range.from ?? null,
    to: range.to ?? null,
    annotator: annotatorFigures(person.id, records.reviewed, records.catches),
    reviewer: reviewerFigures(person.id, records.catches),
    points: pointsOf(person.id, records.ledger),
  };
}

export async function leaderboardFor(db: Db, kind: PeriodKind, at: string = utcDay(new Date())): Promise<LeaderboardResponse> {
  const period = periodOf(kind, at);
  const records = await loadRecords(db, { from: period.from, to: period.to });
  const people = await db.select({ id: users.id, name: users.displayName, role: users.role }).from(users);
  return { period: kind, label: period.label, from: period.from, to: period.to, rows: leaderboard(people, records) };
}
