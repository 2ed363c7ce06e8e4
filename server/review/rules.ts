import { and, asc, desc, eq, gt, isNull, lte, or } from "drizzle-orm";
import type { Db } from "../db";
import { rewardRules } from "../db/schema";
import { conflict } from "../errors";
import { REWARD_RULE_KEYS, type NewRewardRuleRequest, type RewardRuleKey, type RewardRuleView } from "../../shared/api/review";
import type { CatchKind } from "../../shared/domain";

/**
 * Reward rules are data: one row per (rule, effective range). Changing a rule adds a row and closes the open one at
 * the new row's start, so what applied on any past day can always be read back; payments already in the ledger are
 * never recomputed.
 */

/** The defaults a fresh installation (and the demo) starts with. Deductions are negative. */
export const DEFAULT_REWARD_POINTS: Record<RewardRuleKey, number> = {
  "task.approved": 10,
  "task.fixed_and_approved": 6,
  "catch.false_flag": 3,
  "catch.missed_error": 5,
  "catch.non_constructive": 2,
  "catch.residual_error": 4,
  "deduction.false_flag": -2,
  "deduction.missed_error": -3,
  "deduction.non_constructive": -1,
  "deduction.residual_error": -2,
};

export const catchRule = (kind: CatchKind): RewardRuleKey => `catch.${kind}`;
export const deductionRule = (kind: CatchKind): RewardRuleKey => `deduction.${kind}`;

/** Today as a UTC calendar day. */
export const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/** Adds the default rule for every key that has none yet (idempotent: safe on every start or seed). */
export async function seedRewardRules(db: Db, effectiveFrom = "2020-01-01"): Promise<number> {
  const existing = new Set((await db.select({ rule: rewardRules.rule }).from(rewardRules)).map((r) => r.rule));
  const missing = REWARD_RULE_KEYS.filter((k) => !existing.has(k));
  if (missing.length === 0) return 0;
  await db.insert(rewardRules).values(missing.map((rule) => ({ rule, points: DEFAULT_REWARD_POINTS[rule], effectiveFrom })));
  return missing.length;
}

/** The points a rule pays on a day, or null when no rule is in effect (then nothing is paid). */
export async function pointsFor(db: Db, rule: RewardRuleKey, day: string): Promise<number | null> {
  const [row] = await db
    .select({ points: rewardRules.points })
    .from(rewardRules)
    .where(
      and(
        eq(rewardRules.rule, rule),
        lte(rewardRules.effectiveFrom, day),
        or(isNull(rewardRules.effectiveTo), gt(rewardRules.effectiveTo, day)),
      ),
    )
    .orderBy(desc(rewardRules.effectiveFrom))
    .limit(1);
  return row ? row.points : null;
}

type RuleRow = typeof rewardRules.$inferSelect;

export const toRuleView = (r: RuleRow): RewardRuleView => ({
  id: r.id,
  rule: r.rule as RewardRuleKey,
  points: r.points,
  effectiveFrom: r.effectiveFrom,
  effectiveTo: r.effectiveTo,
  createdAt: r.createdAt.toISOString(),
});

export async function listRules(db: Db): Promise<RewardRuleView[]> {
  const rows = await db.select().from(rewardRules).orderBy(asc(rewardRules.rule), asc(rewardRules.effectiveFrom));
  return rows.map(toRuleView);
}

/**
 * A new version of a rule, in effect from a day that is not in the past (past days keep the rule they had) and
 * after the current version's start. The open version is closed at that day in the same transaction.
 */
export async function addRule(db: Db, adminId: string, req: NewRewardRuleRequest, now = new Date()): Promise<RewardRuleView> {
  if (req.effectiveFrom < utcDay(now)) {
    throw conflict("A rule change cannot start in the past: past days keep the rule that applied then.");
  }
  return db.transaction(async (tx) => {
    const [open] = await tx
      .select()
      .from(rewardRules)
      .where(and(eq(rewardRules.rule, req.rule), isNull(rewardRules.effectiveTo)))
      .orderBy(desc(rewardRules.effectiveFrom))
      .limit(1)
      .for("update");
    if (open && open.effectiveFrom >= req.effectiveFrom) {
      throw conflict(`The current ${req.rule} rule starts ${open.effectiveFrom}; a new version must start after it.`);
    }
    if (open) {
      await tx.update(rewardRules).set({ effectiveTo: req.effectiveFrom }).where(eq(rewardRules.id, open.id));
    }
    const [row] = await tx
      .insert(rewardRules)
      .values({ rule: req.rule, points: req.points, effectiveFrom: req.effectiveFrom, createdBy: adminId })
      .returning();
    if (!row) throw new Error("reward rule insert returned nothing");
    return toRuleView(row);
  });
}
