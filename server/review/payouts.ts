import { and, eq, gte, lt } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db";
import { projects, rewardLedger, tasks, users } from "../db/schema";
import { invalid, notFound } from "../errors";
import type { PayoutQuery } from "../../shared/api/review";
import { payoutCsv, roundPoints, type PayoutRow } from "../../shared/figures";

/** A project may set its own rate (currency per point) in settings.payoutRate; a query's rate wins. */
const RateSetting = z.object({ payoutRate: z.number().finite().min(0).max(10_000) });

async function resolveRate(db: Db, q: PayoutQuery): Promise<number> {
  if (q.rate !== undefined) return q.rate;
  if (q.projectId) {
    const [p] = await db.select({ settings: projects.settings }).from(projects).where(eq(projects.id, q.projectId));
    if (!p) throw notFound("No such project.");
    const parsed = RateSetting.safeParse(p.settings);
    if (parsed.success) return parsed.data.payoutRate;
  }
  throw invalid("Give a rate (currency per point), or a projectId whose settings have a payoutRate.");
}

/**
 * Per person over [from, to): net points in the ledger (reversals included) and the tasks those entries concern,
 * optionally limited to one project's tasks.
 */
export async function payoutRows(db: Db, q: Pick<PayoutQuery, "from" | "to" | "projectId">): Promise<PayoutRow[]> {
  const where = and(
    gte(rewardLedger.createdAt, new Date(`${q.from}T00:00:00.000Z`)),
    lt(rewardLedger.createdAt, new Date(`${q.to}T00:00:00.000Z`)),
    q.projectId ? eq(tasks.projectId, q.projectId) : undefined,
  );
  const entries = await db
    .select({ userId: rewardLedger.userId, points: rewardLedger.points, taskId: rewardLedger.taskId, name: users.displayName, role: users.role })
    .from(rewardLedger)
    .innerJoin(users, eq(users.id, rewardLedger.userId))
    .leftJoin(tasks, eq(tasks.id, rewardLedger.taskId))
    .where(where);
  const byPerson = new Map<string, { row: PayoutRow; tasks: Set<string> }>();
  for (const e of entries) {
    const acc = byPerson.get(e.userId) ?? { row: { personId: e.userId, name: e.name, role: e.role, tasks: 0, points: 0 }, tasks: new Set<string>() };
    acc.row.points += e.points;
    if (e.taskId) acc.tasks.add(e.taskId);
    byPerson.set(e.userId, acc);
  }
  return [...byPerson.values()].map(({ row, tasks: t }) => ({ ...row, points: roundPoints(row.points), tasks: t.size }));
}

export async function payoutsCsv(db: Db, q: PayoutQuery): Promise<string> {
  if (q.to <= q.from) throw invalid("`to` must be after `from` (it is exclusive).");
  const rate = await resolveRate(db, q);
  return payoutCsv(await payoutRows(db, q), rate);
}
