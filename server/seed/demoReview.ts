import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "../db/index";
import { catches, disputes, reviewDecisions, tasks } from "../db/schema/index";
import { payForCatch } from "../review/catches";
import { pay } from "../review/ledger";
import type { CatchKind } from "../../shared/domain";

/** A rejection always says why (shared/api/review.ts REJECT_NEEDS_REASON): the annotator redoes the work from it. */
const DEMO_NOTES = {
  approve: "Demo review: labels and caption match the clip.",
  reject_and_redo: "Demo review: the camera's slow push-in is missing from the critique; redo it.",
} as const;

/**
 * Review history for the demo, so the lead's figures have something to show on a fresh demo database: a decision
 * on every reviewed demo task (paid like a real one) and a few catches, one of them disputed. Runs once, right after
 * the demo is seeded; everything goes through the same ledger writer as live events.
 */
export async function seedDemoReview(db: Db, now = new Date()): Promise<{ decisions: number; catches: number }> {
  const reviewed = await db
    .select({ id: tasks.id, stage: tasks.stage, annotatorId: tasks.annotatorId, reviewerId: tasks.reviewerId })
    .from(tasks)
    .where(and(inArray(tasks.stage, ["approved", "rejected", "in_review"]), isNotNull(tasks.reviewerId), isNotNull(tasks.annotatorId)))
    .orderBy(asc(tasks.createdAt), asc(tasks.id));
  const kinds: CatchKind[] = ["missed_error", "residual_error", "missed_error"];
  let decisions = 0;
  let made = 0;
  await db.transaction(async (tx) => {
    for (const [i, t] of reviewed.entries()) {
      if (!t.reviewerId || !t.annotatorId) continue;
      const kind = kinds[i % kinds.length];
      if (kind && i < 4) {
        const [c] = await tx
          .insert(catches)
          .values({
            taskId: t.id,
            reviewerId: t.reviewerId,
            kind,
            timeStart: 1 + i,
            timeEnd: 2 + i,
            note: kind === "missed_error" ? "The camera's slow push-in is not flagged." : "The post-caption still says 'left'.",
            requestKey: `demo-${t.id}`,
            status: i === 1 ? "disputed" : "open",
            createdAt: now,
          })
          .onConflictDoNothing()
          .returning();
        if (c) {
          await payForCatch(tx, c, t.annotatorId, now);
          if (c.status === "disputed") {
            await tx.insert(disputes).values({ catchId: c.id, raisedBy: t.annotatorId, reason: "The push-in is in the draft's second sentence.", createdAt: now });
          }
          made++;
        }
      }
      if (t.stage === "in_review") continue;
      const decision = t.stage === "approved" ? "approve" : "reject_and_redo";
      const exists = await tx.select({ id: reviewDecisions.id }).from(reviewDecisions).where(eq(reviewDecisions.taskId, t.id)).limit(1);
      if (exists.length > 0) continue;
      const [d] = await tx
        .insert(reviewDecisions)
        .values({ taskId: t.id, reviewerId: t.reviewerId, decision, note: DEMO_NOTES[decision], createdAt: now })
        .returning({ id: reviewDecisions.id });
      decisions++;
      if (d && decision === "approve") {
        await pay(tx, { userId: t.annotatorId, rule: "task.approved", eventKey: `task:${t.id}:approved`, taskId: t.id, data: { decisionId: d.id } }, now);
      }
    }
  });
  return { decisions, catches: made };
}
