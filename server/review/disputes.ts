import { and, eq, isNull } from "drizzle-orm";
import { audit } from "../audit";
import type { SessionUser } from "../auth/sessionUser";
import type { Db } from "../db";
import { catches, disputes } from "../db/schema";
import { conflict, forbidden, notFound } from "../errors";
import { loadTask } from "../loop/taskFacts";
import { disputeRefusal, resolveRefusal } from "../resources/tasks/policy";
import { readLatestVersion } from "../versions";
import { Id } from "../../shared/api/common";
import type { CatchView } from "../../shared/api/review";
import type { Resolution } from "../../shared/domain";
import { catchViews, disputeConflict, disputeWindowHours, mirrorCatch, payForCatch, resolveConflict, type CatchDeps, type CatchViewer } from "./catches";
import { reverseCatchPayments } from "./ledger";
import { workerOf } from "./work";

/**
 * Disputes: the person whose work was caught may dispute a catch once, with a reason, within the project's window;
 * a lead or admin who is neither that person nor the catch's reviewer upholds or overturns it with a note. The
 * disputes row keeps the whole history (reason, who, when, verdict, note); the verdict settles the ledger.
 */

async function loadCatch(db: Db, rawId: string | undefined) {
  const id = Id.safeParse(rawId);
  if (!id.success) throw notFound("No such catch.");
  const [c] = await db.select().from(catches).where(eq(catches.id, id.data));
  if (!c) throw notFound("No such catch.");
  const task = await loadTask(db, c.taskId);
  const version = await readLatestVersion(db, c.taskId, c.createdAt);
  return { c, task, worker: workerOf(task, version) };
}

async function viewOf(db: Db, viewer: CatchViewer, id: string): Promise<CatchView> {
  const [view] = await catchViews(db, viewer, [id]);
  if (!view) throw notFound("No such catch.");
  return view;
}

export async function disputeCatch(deps: CatchDeps, user: SessionUser, catchId: string | undefined, reason: string, at?: Date): Promise<CatchView> {
  const now = at ?? new Date();
  const { c, task, worker } = await loadCatch(deps.db, catchId);
  const refusal = disputeRefusal(user, worker);
  if (refusal) throw forbidden(refusal);
  const closed = disputeConflict(c, disputeWindowHours(task), now);
  if (closed) throw conflict(closed);
  await deps.db.transaction(async (tx) => {
    const moved = await tx
      .update(catches)
      .set({ status: "disputed" })
      .where(and(eq(catches.id, c.id), eq(catches.status, "open")))
      .returning({ id: catches.id });
    if (moved.length === 0) throw conflict("The catch changed meanwhile: reload and try again.");
    await tx.insert(disputes).values({ catchId: c.id, raisedBy: user.id, reason, createdAt: now });
    await audit(tx, { actorId: user.id, action: "catch.dispute", entityType: "catch", entityId: c.id, data: { reason }, at });
  });
  const view = await viewOf(deps.db, user, c.id);
  await mirrorCatch(deps, view);
  return view;
}

export async function resolveDispute(
  deps: CatchDeps,
  user: SessionUser,
  catchId: string | undefined,
  resolution: Resolution,
  note: string,
  /** When it was ruled (a simulated clock's time); the present when absent. */
  at?: Date,
): Promise<CatchView> {
  const now = at ?? new Date();
  const notLead = resolveRefusal(user);
  if (notLead) throw forbidden(notLead);
  const { c, worker } = await loadCatch(deps.db, catchId);
  const party = resolveRefusal(user, { reviewerId: c.reviewerId, workerId: worker });
  if (party) throw forbidden(party);
  const notDisputed = resolveConflict(c);
  if (notDisputed) throw conflict(notDisputed);
  await deps.db.transaction(async (tx) => {
    const [moved] = await tx
      .update(catches)
      .set({ status: resolution })
      .where(and(eq(catches.id, c.id), eq(catches.status, "disputed")))
      .returning();
    if (!moved) throw conflict("The catch changed meanwhile: reload and try again.");
    await tx
      .update(disputes)
      .set({ resolvedBy: user.id, resolution, resolutionNote: note, resolvedAt: now })
      .where(and(eq(disputes.catchId, c.id), isNull(disputes.resolvedAt)));
    if (resolution === "upheld") await payForCatch(tx, moved, worker, at);
    else await reverseCatchPayments(tx, c.id, { reason: "overturned", resolvedBy: user.id }, at);
    await audit(tx, { actorId: user.id, action: "catch.resolve", entityType: "catch", entityId: c.id, data: { resolution, note }, at });
  });
  const view = await viewOf(deps.db, user, c.id);
  await mirrorCatch(deps, view);
  return view;
}
