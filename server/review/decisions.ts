import { and, eq, inArray } from "drizzle-orm";
import { audit } from "../audit";
import type { AppDeps, SessionUser } from "../context";
import { reviewDecisions, rewardLedger, tasks, taskVersions, users } from "../db/schema";
import type { Db } from "../db";
import { conflict, forbidden } from "../http/errors";
import { applyTransition, loopOf } from "../loop";
import { readPolished, readRoom } from "../loop/roomContent";
import { loadTask, type LoopTask } from "../loop/taskFacts";
import { renderCritique } from "../../shared/critique/items";
import type { Decision, ReviewDecisionView, StartReviewResponse } from "../../shared/api/review";
import { pay } from "./ledger";
import { latestVersion, refuseOwnWork, workerOf } from "./work";

/**
 * Review decisions. Stage changes go through the loop's transition service (server/loop/transitions.ts), so the
 * stage machine, its audit rows and room revalidation live in one place; this module adds what review needs
 * around it: the own-work rule, the decision record, the negative example and the payment.
 */

const REVIEW_ROLES = new Set(["reviewer", "lead", "admin"]);

/** A reviewer takes a submitted task: it goes in_review and they become its reviewer (if it has none yet). */
export async function startReview(deps: AppDeps, user: SessionUser, taskId: string): Promise<StartReviewResponse> {
  const { db } = deps.database;
  const task = await loadTask(db, taskId);
  const version = await latestVersion(db, task.id);
  refuseOwnWork(user, task, version);
  if (!REVIEW_ROLES.has(user.role)) throw forbidden("Only reviewers, leads and admins review tasks.");
  // After a redo the task's reviewer is the redo's author: the review passes to whoever starts it.
  const handOver = task.reviewerId !== null && task.reviewerId === version?.authorId;
  if (task.reviewerId && task.reviewerId !== user.id && !handOver && user.role === "reviewer") {
    throw forbidden("Another reviewer is assigned to this task.");
  }
  const out = await applyTransition(loopOf(deps).deps, task.id, "start_review", { kind: "user", user }, { task, expectedStage: "submitted" });
  if (handOver) {
    await db.update(tasks).set({ reviewerId: user.id }).where(and(eq(tasks.id, task.id), eq(tasks.stage, "in_review")));
  }
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
  deps: AppDeps,
  user: SessionUser,
  taskId: string,
  decision: Decision,
  note: string,
  now = new Date(),
): Promise<{ decision: ReviewDecisionView; stage: string }> {
  const { db } = deps.database;
  const task = await loadTask(db, taskId);
  const version = await latestVersion(db, task.id);
  refuseOwnWork(user, task, version);
  const staff = user.role === "lead" || user.role === "admin";
  if (!staff && task.reviewerId !== user.id) throw forbidden("Only the task's reviewer decides on it.");
  const worker = workerOf(task, version);

  // The conditional stage update inside applyTransition admits exactly one of two concurrent decisions.
  const out = await applyTransition(loopOf(deps).deps, task.id, decision, { kind: "user", user }, { task, expectedStage: "in_review" });
  const fixed = decision === "fix_and_approve" ? await fixedVersion(deps, task) : null;

  const row = await db.transaction(async (tx) => {
    const [d] = await tx.insert(reviewDecisions).values({ taskId: task.id, reviewerId: user.id, decision, note, createdAt: now }).returning();
    if (!d) throw new Error("decision insert returned nothing");
    if (decision === "reject_and_redo" && version) {
      await tx.update(taskVersions).set({ negative: "rejected" }).where(eq(taskVersions.id, version.id));
    }
    // The reviewer's fixed critique and post-caption become the task's final version (the export reads it); it is
    // stamped just after the decision so the decision stays about the worker's version.
    if (fixed) await freezeFixed(tx, task.id, user, fixed, new Date(now.getTime() + 1));
    if (decision !== "reject_and_redo" && worker && worker !== user.id) {
      const eventKey = `task:${task.id}:approved`;
      // Reopened and approved again: the task was paid already (to whomever, under either approval rule).
      const paid = await tx
        .select({ id: rewardLedger.id })
        .from(rewardLedger)
        .where(and(eq(rewardLedger.eventKey, eventKey), inArray(rewardLedger.rule, Object.values(APPROVAL_RULE))))
        .limit(1);
      if (paid.length === 0) {
        await pay(tx, { userId: worker, rule: APPROVAL_RULE[decision], eventKey, taskId: task.id, data: { decisionId: d.id } }, now);
      }
    }
    await audit(tx, { actorId: user.id, action: "review.decision", entityType: "task", entityId: task.id, data: { decision, decisionId: d.id, note } });
    return d;
  });
  return { decision: await decisionView(deps, row.id), stage: out.to };
}

type FixedVersion = { preCaption: string; critique: unknown[]; critiqueText: string; polishedCritiqueText: string | null; postCaption: string };

/** The room as the reviewer left it after fixing; null when the room holds no caption to freeze. */
async function fixedVersion(deps: AppDeps, task: LoopTask): Promise<FixedVersion | null> {
  const rooms = loopOf(deps).deps.rooms;
  const room = await readRoom(rooms, task.id);
  if (!room.draft.trim() || !room.post.trim()) return null;
  return {
    preCaption: room.draft,
    critique: room.items,
    critiqueText: renderCritique(room.items),
    polishedCritiqueText: await readPolished(rooms, task.id, room.items),
    postCaption: room.post,
  };
}

async function freezeFixed(tx: Db, taskId: string, user: SessionUser, v: FixedVersion, at: Date): Promise<void> {
  const [task] = await tx.select({ score: tasks.score }).from(tasks).where(eq(tasks.id, taskId));
  await tx.insert(taskVersions).values({ taskId, authorId: user.id, authorRole: "reviewer", score: task?.score ?? null, ...v, createdAt: at });
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

const selectDecisions = (deps: AppDeps) =>
  deps.database.db
    .select({ d: reviewDecisions, name: users.displayName })
    .from(reviewDecisions)
    .innerJoin(users, eq(users.id, reviewDecisions.reviewerId));

async function decisionView(deps: AppDeps, id: string): Promise<ReviewDecisionView> {
  const [r] = await selectDecisions(deps).where(eq(reviewDecisions.id, id));
  if (!r) throw conflict("The decision vanished.");
  return toDecisionView(r);
}

/** Every decision on a task, oldest first. */
export async function listDecisions(deps: AppDeps, taskId: string): Promise<ReviewDecisionView[]> {
  const rows = await selectDecisions(deps).where(eq(reviewDecisions.taskId, taskId)).orderBy(reviewDecisions.createdAt);
  return rows.map(toDecisionView);
}
