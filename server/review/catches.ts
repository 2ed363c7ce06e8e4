import { and, asc, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { audit } from "../audit";
import type { SessionUser } from "../auth/sessionUser";
import type { RoomRegistry } from "../collab/rooms";
import type { Db } from "../db";
import { catches, disputes, projects, tasks, users } from "../db/schema";
import type { ProjectSettings } from "../db/schema/media";
import { invalid, conflict, forbidden } from "../errors";
import { readRoom } from "../loop/roomContent";
import { loadTask, type LoopTask } from "../loop/taskFacts";
import { catchRefusal, disputeRefusal, relationToTask, resolveRefusal, stageRefusal } from "../resources/tasks/policy";
import { latestVersion, readLatestVersion, readVersions } from "../versions";
import { taskRoom } from "../../shared/collab/protocol";
import { putCatchSummary } from "../../shared/room/catches";
import { parseStoredItems } from "../../shared/critique/stored";
import { CatchAnchor, ITEM_CATCH_KINDS, type CatchRequest, type CatchView, type DisputeView } from "../../shared/api/review";
import { pay } from "./ledger";
import { catchRule, deductionRule } from "./rules";
import { workerOf } from "./work";

/**
 * Catches: recorded by the task's reviewer while it is in review, idempotent on the reviewer's requestKey.
 *
 * When points are paid: at the moment the catch is recorded — the reviewer by `catch.<kind>`, the worker charged by
 * `deduction.<kind>` — both keyed "catch:<id>". A dispute leaves them standing until a lead's verdict: upheld
 * re-issues the same payments (a no-op, they are keyed), overturned appends reversal rows. So points always follow
 * the final verdict and no step ever edits a ledger row.
 */

export const DEFAULT_DISPUTE_WINDOW_HOURS = 72;

export const disputeWindowHours = (task: { settings: Pick<ProjectSettings, "disputeWindowHours"> }) =>
  task.settings.disputeWindowHours !== undefined && task.settings.disputeWindowHours > 0
    ? task.settings.disputeWindowHours
    : DEFAULT_DISPUTE_WINDOW_HOURS;

export const disputeDeadline = (createdAt: Date, hours: number) => new Date(createdAt.getTime() + hours * 3_600_000);

/** Why this catch cannot be disputed now (window closed, not open), or null; who may is the policy's disputeRefusal. */
export function disputeConflict(c: Pick<CatchRow, "status" | "createdAt">, hours: number, now: Date): string | null {
  const deadline = disputeDeadline(c.createdAt, hours);
  if (now > deadline) return `The dispute window (${hours} h) closed at ${deadline.toISOString()}.`;
  if (c.status !== "open") return `This catch is ${c.status}; only an open catch can be disputed, once.`;
  return null;
}

/** Why this catch cannot be ruled on now, or null; who may is the policy's resolveRefusal. */
export const resolveConflict = (c: Pick<CatchRow, "status">): string | null =>
  c.status === "disputed" ? null : `This catch is ${c.status}; only a disputed catch can be resolved.`;

/** The person a catch view is built for: its mayDispute/mayResolve are theirs. */
export type CatchViewer = Pick<SessionUser, "id" | "role">;

type CatchRow = typeof catches.$inferSelect;

/** What recording a catch needs: the database, the rooms (the reviewed critique, the live mirror) and a log. */
export type CatchDeps = { db: Db; rooms: RoomRegistry; log: (msg: string) => void };

/** The payments of a standing catch (recording it, or a lead upholding it: the same keyed rows), stamped `at`. */
export async function payForCatch(tx: Db, c: CatchRow, workerId: string | null, at?: Date): Promise<void> {
  const eventKey = `catch:${c.id}`;
  await pay(tx, { userId: c.reviewerId, rule: catchRule(c.kind), eventKey, taskId: c.taskId, catchId: c.id }, at);
  if (workerId && workerId !== c.reviewerId) {
    await pay(tx, { userId: workerId, rule: deductionRule(c.kind), eventKey, taskId: c.taskId, catchId: c.id }, at);
  }
}

/** The critique item ids the catch may name: the reviewed version's, or the live room's when nothing was frozen. */
async function reviewedItemIds(rooms: RoomRegistry, task: LoopTask, critique: readonly unknown[] | null): Promise<Set<string>> {
  if (critique) return new Set(parseStoredItems(critique).map((i) => i.id));
  const room = await readRoom(rooms, task.id);
  return new Set(room.items.map((i) => i.id));
}

/** A catch's time range must lie within the clip (when its length is known); the reason in words, or null. */
export function outsideClip(req: Pick<CatchRequest, "timeStart" | "timeEnd">, durationSec: number | null): string | null {
  if (durationSec === null) return null;
  // Frame-rounded player times can land a hair past the end.
  const limit = durationSec + 0.05;
  const start = req.timeStart;
  const end = req.timeEnd ?? start;
  if (start !== undefined && start > limit) return `The catch starts at ${start.toFixed(1)} s, after the clip ends (${durationSec.toFixed(1)} s).`;
  if (end !== undefined && end > limit) return `The catch ends at ${end.toFixed(1)} s, after the clip ends (${durationSec.toFixed(1)} s).`;
  return null;
}

export async function recordCatch(
  deps: CatchDeps,
  user: SessionUser,
  taskId: string,
  req: CatchRequest,
  /** When it was recorded (a simulated clock's time); the present when absent. */
  at?: Date,
): Promise<{ view: CatchView; created: boolean }> {
  const { db } = deps;
  const now = at ?? new Date();
  const task = await loadTask(db, taskId);
  const version = await readLatestVersion(db, task.id);
  const worker = workerOf(task, version);
  const refusal = catchRefusal(user, { ...task, workerId: worker });
  if (refusal) throw forbidden(refusal);
  const notNow = stageRefusal(task.stage, "record_catch");
  if (notNow) throw conflict(notNow, { stage: task.stage });
  if (req.itemId !== undefined) {
    const ids = await reviewedItemIds(deps.rooms, task, version?.critique ?? null);
    if (!ids.has(req.itemId)) throw invalid(`The reviewed critique has no item ${JSON.stringify(req.itemId)}.`);
  } else if (ITEM_CATCH_KINDS.includes(req.kind)) {
    throw invalid("Name the critique item this catch is about.");
  }
  const outside = outsideClip(req, task.durationSec);
  if (outside) throw invalid(outside);

  const result = await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(catches)
      .values({
        taskId: task.id,
        reviewerId: user.id,
        kind: req.kind,
        itemId: req.itemId ?? null,
        anchor: req.anchor ?? null,
        quote: req.quote ?? req.anchor?.quote ?? null,
        timeStart: req.timeStart ?? null,
        timeEnd: req.timeEnd ?? req.timeStart ?? null,
        note: req.note,
        requestKey: req.requestKey,
        createdAt: now,
      })
      .onConflictDoNothing({ target: [catches.reviewerId, catches.requestKey] })
      .returning();
    if (inserted) {
      await payForCatch(tx, inserted, worker, at);
      await audit(tx, { actorId: user.id, action: "catch.record", entityType: "catch", entityId: inserted.id, data: { taskId: task.id, kind: req.kind }, at });
      return { id: inserted.id, created: true };
    }
    // A retry (or a twin sent at once): the first submission's catch, unless the key was used for something else.
    const [existing] = await tx
      .select()
      .from(catches)
      .where(and(eq(catches.reviewerId, user.id), eq(catches.requestKey, req.requestKey)));
    if (!existing) throw conflict("The catch could not be recorded; try again.");
    if (existing.taskId !== task.id || existing.kind !== req.kind) {
      throw conflict("This requestKey was already used for a different catch: use a new key for a new catch.");
    }
    return { id: existing.id, created: false };
  });

  const [view] = await catchViews(db, user, [result.id]);
  if (!view) throw conflict("The catch vanished.");
  if (result.created) await mirrorCatch(deps, view);
  return { view, created: result.created };
}

/** Shows the catch live in the room (a summary; the database is the record). Best effort: the catch is saved. */
export async function mirrorCatch(deps: Pick<CatchDeps, "rooms" | "log">, view: CatchView): Promise<void> {
  try {
    await deps.rooms.withDoc(taskRoom(view.taskId), (doc) =>
      putCatchSummary(doc, {
        id: view.id,
        kind: view.kind,
        itemId: view.itemId,
        timeStart: view.timeStart,
        timeEnd: view.timeEnd,
        note: view.note,
        status: view.status,
        reviewerName: view.reviewer.name,
        createdAt: view.createdAt,
      }),
    );
  } catch (err) {
    deps.log(`review: mirroring catch ${view.id} into the room failed: ${String(err)}`);
  }
}

/** The catches of a task, for anyone who may see the task. */
export async function listCatches(db: Db, user: SessionUser, taskId: string): Promise<CatchView[]> {
  const task = await loadTask(db, taskId);
  if (!(await relationToTask(db, user, task))) throw forbidden("You may not see this task.");
  const ids = await db.select({ id: catches.id }).from(catches).where(eq(catches.taskId, task.id));
  return catchViews(db, user, ids.map((r) => r.id));
}

const raiser = alias(users, "raiser");
const resolver = alias(users, "resolver");

/** Whose work each task's catches are about: the worker of the latest frozen version when the catch was recorded. */
async function workersAt(db: Db, rows: readonly { c: CatchRow; annotatorId: string | null }[]): Promise<Map<string, string | null>> {
  const taskIds = [...new Set(rows.map((r) => r.c.taskId))];
  const versions = new Map(await Promise.all(taskIds.map(async (id) => [id, await readVersions(db, id)] as const)));
  return new Map(
    rows.map(({ c, annotatorId }) => [c.id, workerOf({ annotatorId }, latestVersion(versions.get(c.taskId) ?? [], c.createdAt) ?? null)]),
  );
}

/**
 * Catches as the API shows them to `viewer`: the reviewer's name, the dispute deadline of their project, the dispute
 * history, and whether the viewer may dispute or rule on each now (the same checks disputes.ts enforces).
 */
export async function catchViews(db: Db, viewer: CatchViewer, ids: readonly string[], now = new Date()): Promise<CatchView[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ c: catches, reviewerName: users.displayName, settings: projects.settings, annotatorId: tasks.annotatorId })
    .from(catches)
    .innerJoin(users, eq(users.id, catches.reviewerId))
    .innerJoin(tasks, eq(tasks.id, catches.taskId))
    .innerJoin(projects, eq(projects.id, tasks.projectId))
    .where(inArray(catches.id, [...ids]))
    .orderBy(asc(catches.createdAt), asc(catches.id));
  const ds = await db
    .select({ d: disputes, raisedByName: raiser.displayName, resolvedByName: resolver.displayName })
    .from(disputes)
    .innerJoin(raiser, eq(raiser.id, disputes.raisedBy))
    .leftJoin(resolver, eq(resolver.id, disputes.resolvedBy))
    .where(inArray(disputes.catchId, [...ids]))
    .orderBy(asc(disputes.createdAt));
  const byCatch = new Map<string, DisputeView[]>();
  for (const { d, raisedByName, resolvedByName } of ds) {
    const list = byCatch.get(d.catchId) ?? [];
    list.push({
      id: d.id,
      raisedBy: { id: d.raisedBy, name: raisedByName },
      reason: d.reason,
      createdAt: d.createdAt.toISOString(),
      resolvedBy: d.resolvedBy ? { id: d.resolvedBy, name: resolvedByName ?? "" } : null,
      resolution: d.resolution,
      resolutionNote: d.resolutionNote,
      resolvedAt: d.resolvedAt ? d.resolvedAt.toISOString() : null,
    });
    byCatch.set(d.catchId, list);
  }
  const workers = await workersAt(db, rows);
  return rows.map(({ c, reviewerName, settings }) => {
    const anchor = CatchAnchor.safeParse(c.anchor);
    const hours = disputeWindowHours({ settings: settings as ProjectSettings });
    const workerId = workers.get(c.id) ?? null;
    return {
      id: c.id,
      taskId: c.taskId,
      reviewer: { id: c.reviewerId, name: reviewerName },
      kind: c.kind,
      itemId: c.itemId,
      anchor: anchor.success ? anchor.data : null,
      quote: c.quote,
      timeStart: c.timeStart,
      timeEnd: c.timeEnd,
      note: c.note,
      status: c.status,
      createdAt: c.createdAt.toISOString(),
      disputeUntil: disputeDeadline(c.createdAt, hours).toISOString(),
      disputes: byCatch.get(c.id) ?? [],
      mayDispute: disputeRefusal(viewer, workerId) === null && disputeConflict(c, hours, now) === null,
      mayResolve: resolveRefusal(viewer, { reviewerId: c.reviewerId, workerId }) === null && resolveConflict(c) === null,
    };
  });
}

/** Catches awaiting a lead's verdict, oldest dispute first (the lead's adjudication list). */
export async function disputedCatches(db: Db, viewer: CatchViewer): Promise<CatchView[]> {
  const rows = await db
    .select({ id: catches.id })
    .from(catches)
    .innerJoin(disputes, eq(disputes.catchId, catches.id))
    .where(eq(catches.status, "disputed"))
    .orderBy(asc(disputes.createdAt))
    .limit(500);
  const views = await catchViews(db, viewer, [...new Set(rows.map((r) => r.id))]);
  const order = new Map(rows.map((r, i) => [r.id, i]));
  return views.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}
