import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db";
import { rewardLedger, users } from "../db/schema";
import type { RewardRuleKey } from "../../shared/api/review";
import { pointsFor, utcDay } from "./rules";

/**
 * The only writer of the reward ledger. Every entry comes from a server event (a decision, a catch, a verdict) and
 * is keyed by (person, rule, event): the unique constraint plus ON CONFLICT DO NOTHING make every payment
 * idempotent, so a retried or doubled request never pays twice. Nothing updates or deletes a ledger row; an
 * overturned catch is answered by reversal rows.
 */

export type Payment = {
  userId: string;
  rule: RewardRuleKey;
  /** Names the event: "task:<id>:approved", "catch:<id>". */
  eventKey: string;
  taskId?: string | null;
  catchId?: string | null;
  data?: Record<string, unknown>;
};

export type LedgerRow = typeof rewardLedger.$inferSelect;

/**
 * Pays by the rule in effect on `at`'s day (today when absent), stamped `at` (the database's time when absent).
 * Returns the new row, or null when already paid, no rule applies, or the person is a trainee (trainees are scored
 * against gold, not paid — in either direction).
 */
export async function pay(tx: Db, p: Payment, at?: Date): Promise<LedgerRow | null> {
  const [person] = await tx.select({ role: users.role }).from(users).where(eq(users.id, p.userId));
  if (!person || person.role === "trainee") return null;
  const points = await pointsFor(tx, p.rule, utcDay(at ?? new Date()));
  if (points === null) return null;
  const [row] = await tx
    .insert(rewardLedger)
    .values({
      userId: p.userId,
      rule: p.rule,
      eventKey: p.eventKey,
      points,
      taskId: p.taskId ?? null,
      catchId: p.catchId ?? null,
      data: p.data ?? {},
      createdAt: at,
    })
    .onConflictDoNothing({ target: [rewardLedger.userId, rewardLedger.rule, rewardLedger.eventKey] })
    .returning();
  return row ?? null;
}

/** Reverses every payment made for a catch with a new, opposite entry each (idempotent like any payment). */
export async function reverseCatchPayments(tx: Db, catchId: string, data: Record<string, unknown>, at?: Date): Promise<LedgerRow[]> {
  const originals = await tx
    .select()
    .from(rewardLedger)
    .where(and(eq(rewardLedger.catchId, catchId), isNull(rewardLedger.reversalOf)));
  const out: LedgerRow[] = [];
  for (const o of originals) {
    const [row] = await tx
      .insert(rewardLedger)
      .values({
        userId: o.userId,
        rule: o.rule,
        eventKey: `${o.eventKey}:reversal`,
        points: -o.points,
        taskId: o.taskId,
        catchId: o.catchId,
        reversalOf: o.id,
        data,
        createdAt: at,
      })
      .onConflictDoNothing({ target: [rewardLedger.userId, rewardLedger.rule, rewardLedger.eventKey] })
      .returning();
    if (row) out.push(row);
  }
  return out;
}
