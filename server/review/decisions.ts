import { and, eq, inArray } from "drizzle-orm";
import { audit } from "../audit";
import type { SessionUser } from "../auth/sessionUser";
import { reviewDecisions, rewardLedger, tasks, taskVersions, users } from "../db/schema";
import type { Db } from "../db";
import { conflict, forbidden, invalid } from "../errors";
import { applyTransition, type LoopDeps } from "../loop";
import { loadTask } from "../loop/taskFacts";
import { decisionRefusal, startReviewRefusal } from "../resources/tasks/policy";
import { fixedVersion, freezeFixedVersion, readLatestVersion } from "../versions";
import { REJECT_NEEDS_REASON, type ReviewDecisionView, type StartReviewResponse } from "../../shared/api/review";
import type { Decision } from "../../shared/domain";
import { pay } from "./ledger";
import { workerOf } from "./work";

/**
 * Review decisions. Stage changes go through the loop's transition service (server/loop/transitions.ts), so the
 * stage machine, its audit rows and room revalidation live in one place; this module adds what review needs
 * around it: the own-work and assignment rules (asked of the task policy), the decision record, the negative example and the payment.
 */

/**
 * A reviewer takes a submitted task: it goes in_review and they become its reviewer (if it has none yet). A
 * resubmission after a rejection goes back to the task's reviewer: the redo is the annotator's, not theirs.
 */
export async function startReview(deps: LoopDeps, user: SessionUser, taskId: string): Promise<StartReviewResponse> {
  const { db } = deps;
  const task = await loadTask(db, taskId);
  const version = await readLatestVersion(db, task.id);
  const refusal = startReviewRefusal(user, { ...task, workerId: workerOf(task, version) });
  if (refusal) throw forbidden(refusal);
  const out = await applyTransition(deps, task.id, "start_review", { kind: "user", user }, { task, expectedStage: "submitted" });
  const [row] = await db.select({ reviewerId: tasks.reviewerId }).from(tasks).where(eq(tasks.id, task.id));
  return { taskId: task.id, stage: out.to, reviewerId: row?.reviewerId ?? user.id };
}

const APPROVAL_RULE = { approve: "task.approved", fix_and_approve: "task.fixed_and_approved" } as const;

/**
 * Records a decision on a task in review: the stage moves by the stage machine (409 when it may not), then the
 * decision (who, when, note) is recorded; a rejection marks the reviewed version as a negative example; a fix
 * freezes the reviewer's fixed room as the final version; an approval pays the worker once per task, whichever
 * approval rule applied first. (Two steps, not one transaction: the stage change is the loop's service.)
 */
export async function decide(
  deps: LoopDeps,
  user: SessionUser,
  taskId: string,
  decision: Decision,
  note: string,
  /** When it was decided (a simulated clock's time); the present when absent, the audit row then the database's. */
  at?: Date,
): Promise<{ decision: ReviewDecisionView; stage: string }> {
  const { db } = deps;
  const now = at ?? new Date();
  const task = await loadTask(db, taskId);
  const version = await readLatestVersion(db, task.id);
  const worker = workerOf(task, version);
  const refusal = decisionRefusal(user, { ...task, workerId: worker });
  if (refusal) throw forbidden(refusal);
  // The route's schema says the same (DecisionRequest); services called directly (the seed, the CLI) are held to it.
  if (decision === "reject_and_redo" && !note.trim()) throw invalid(REJECT_NEEDS_REASON);

  // The conditional stage update inside applyTransition admits exactly one of two concurrent decisions.
  const out = await applyTransition(deps, task.id, decision, { kind: "user", user }, { task, expectedStage: "in_review" });
  const fixed = decision === "fix_and_approve" ? await fixedVersion(deps.rooms, task.id) : null;

  const row = await db.transaction(async (tx) => {
    const [d] = await tx.insert(reviewDecisions).values({ taskId: task.id, reviewerId: user.id, decision, note, createdAt: now }).returning();
    if (!d) throw new Error("decision insert returned nothing");
    if (decision === "reject_and_redo" && version) {
      await tx.update(taskVersions).set({ negative: "rejected" }).where(eq(taskVersions.id, version.id));
    }
    // The reviewer's fixed critique and post-caption become the task's final version (the export reads it); it is
    // stamped just after the decision so the decision stays about the worker's version.
    if (fixed) await freezeFixedVersion(tx, task.id, user.id, fixed, new Date(now.getTime() + 1));
    if (decision !== "reject_and_redo" && worker && worker !== user.id) {
      const eventKey = `task:${task.id}:approved`;
      // Reopened and approved again: the task was paid already (to whomever, under either approval rule).
      const paid = await tx
        .select({ id: rewardLedger.id })
        .from(rewardLedger)
        .where(and(eq(rewardLedger.eventKey, eventKey), inArray(rewardLedger.rule, Object.values(APPROVAL_RULE))))
        .limit(1);
      if (paid.length === 0) {
        await pay(tx, { userId: worker, rule: APPROVAL_RULE[decision], eventKey, taskId: task.id, data: { decisionId: d.id } }, at);
      }
    }
    await audit(tx, { actorId: user.id, action: "review.decision", entityType: "task", entityId: task.id, data: { decision, decisionId: d.id, note }, at });
    return d;
  });
  return { decision: await decisionView(db, row.id), stage: out.to };
}

type DecisionRow = { d: typeof reviewDecisions.$inferSelect; name: string };

const toDecisionView = (r: DecisionRow): ReviewDecisionView => ({
  id: r.d.id,
  taskId: r.d.taskId,
  reviewer: { id: r.d.reviewerId, name: r.name },
  decision: r.d.decision,
  note: r.d.note,
  createdAt: r.d.createdAt.toISOString(),
});

const selectDecisions = (db: Db) =>
  db
    .select({ d: reviewDecisions, name: users.displayName })
    .from(reviewDecisions)
    .innerJoin(users, eq(users.id, reviewDecisions.reviewerId));

async function decisionView(db: Db, id: string): Promise<ReviewDecisionView> {
  const [r] = await selectDecisions(db).where(eq(reviewDecisions.id, id));
  if (!r) throw conflict("The decision vanished.");
  return toDecisionView(r);
}

/** Every decision on a task, oldest first. */
export async function listDecisions(db: Db, taskId: string): Promise<ReviewDecisionView[]> {
  const rows = await selectDecisions(db).where(eq(reviewDecisions.taskId, taskId)).orderBy(reviewDecisions.createdAt);
  return rows.map(toDecisionView);
}
