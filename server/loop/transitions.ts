import { and, eq } from "drizzle-orm";
import { audit } from "../audit";
import type { SessionUser } from "../auth/sessionUser";
import { tasks } from "../db/schema";
import { conflict, forbidden } from "../errors";
import { actorFor, relationToTask, workerStandIn } from "../resources/tasks/policy";
import { scoreGoldAttempt } from "../training/scoring";
import { authorRoleOf, freezeVersion, submittedVersion } from "../versions";
import type { Stage } from "../../shared/domain/stages";
import { transition, type StageAction, type StageActor, type StageContext } from "../../shared/stage/machine";
import type { LoopDeps } from "./deps";
import { readRoom, writePost, type RoomSnapshot } from "./roomContent";
import { STAGE_AUDIT_ACTION, finishedRounds, labelsComplete, loadTask, type LoopTask } from "./taskFacts";

/** Who asks for a transition: a signed-in person, or the server itself (a draft or revision finishing). */
export type Requester =
  | { kind: "user"; user: SessionUser; onBehalfOfWorker?: boolean }
  | { kind: "system"; actorId?: string | null; onBehalfOfWorker?: boolean };

export type TransitionOutcome = { taskId: string; action: StageAction; from: Stage; to: Stage };

const NEEDS_ROUNDS: ReadonlySet<StageAction> = new Set(["revision_failed", "submit", "withdraw"]);

/** Actions that need the room document read (critique count, frozen version). */
const NEEDS_ROOM: ReadonlySet<StageAction> = new Set(["score_perfect", "request_revision", "submit"]);

/** Builds the machine's context from the database and the room, never from the request. */
export async function stageContext(
  deps: LoopDeps,
  task: LoopTask,
  actor: StageActor,
  room: RoomSnapshot | null,
  over: Partial<StageContext> = {},
): Promise<StageContext> {
  const [rounds, complete] = await Promise.all([
    over.finishedRounds ?? finishedRounds(deps.db, task.id),
    task.stage === "labelling" ? deps.loadSpec().then(({ spec }) => labelsComplete(deps.db, spec, task)) : Promise.resolve(true),
  ]);
  return {
    actor,
    score: task.score,
    critiqueItems: room?.items.length ?? 0,
    finishedRounds: rounds,
    labelsComplete: complete,
    ...over,
  };
}

/** Resolves who acts: a user with no relation to the task is refused (403) before the machine is asked. */
export async function resolveActor(deps: LoopDeps, task: LoopTask, who: Requester): Promise<StageActor> {
  // The batch CLI finishes labelling for the worker, as the worker would.
  if (who.kind === "system") return who.onBehalfOfWorker ? { kind: "user", role: "annotator", relation: "worker" } : { kind: "system" };
  const relation = await relationToTask(deps.db, who.user, task);
  if (!relation) throw forbidden("You may not work on this task.");
  // A lead drafting or a CLI batch acts for the task's worker; the audit row names who really acted.
  if (who.onBehalfOfWorker) return workerStandIn(who.user.role);
  return actorFor(who.user, task);
}

/**
 * Runs one stage transition: the machine decides (409 with its reason when illegal), then one transaction moves
 * the task only if it is still in the stage the decision was made on (409 when a concurrent change won), audits
 * who/from/to, and freezes a version on submission. Afterwards every connection of the room is re-checked, since
 * what each person may write depends on the stage.
 */
export async function applyTransition(
  deps: LoopDeps,
  taskId: string,
  action: StageAction,
  who: Requester,
  opts: { expectedStage?: Stage; task?: LoopTask; room?: RoomSnapshot; ctx?: Partial<StageContext> } = {},
): Promise<TransitionOutcome> {
  const task = opts.task ?? (await loadTask(deps.db, taskId));
  const actor = await resolveActor(deps, task, who);
  if (opts.expectedStage && opts.expectedStage !== task.stage) {
    throw conflict(`The task is ${task.stage}, not ${opts.expectedStage}: reload and try again.`, { stage: task.stage });
  }
  const room = opts.room ?? (NEEDS_ROOM.has(action) ? await readRoom(deps.rooms, task.id) : null);
  // Only these guards read the finished rounds: the others skip the two queries (revisions are latency-bound).
  const ctxOver = NEEDS_ROUNDS.has(action) ? opts.ctx : { finishedRounds: 0, ...opts.ctx };
  const ctx = await stageContext(deps, task, actor, room, ctxOver);
  const decision = transition(task.stage, action, ctx);
  if (!decision.ok) throw conflict(decision.reason, { stage: task.stage, action });
  const from = task.stage;
  const to = decision.to;
  const actorId = who.kind === "user" ? who.user.id : (who.actorId ?? null);
  const at = deps.clock?.();
  const now = at ?? new Date();

  const perfect = action === "score_perfect";
  const frozen = (action === "submit" || perfect) && room ? await submittedVersion(deps.rooms, task, room, perfect) : null;

  await deps.db.transaction(async (tx) => {
    const moved = await tx
      .update(tasks)
      .set({
        stage: to,
        updatedAt: now,
        ...(to === "submitted" ? { submittedAt: now } : {}),
        ...(to === "approved" ? { reviewedAt: now } : {}),
        // Whoever starts a review becomes the task's reviewer.
        ...(action === "start_review" && who.kind === "user" && !task.reviewerId ? { reviewerId: who.user.id } : {}),
      })
      .where(and(eq(tasks.id, task.id), eq(tasks.stage, from)))
      .returning({ id: tasks.id });
    if (moved.length === 0) throw conflict("The task changed meanwhile (someone else moved it): reload and try again.");
    await audit(tx, {
      actorId,
      action: STAGE_AUDIT_ACTION,
      entityType: "task",
      entityId: task.id,
      data: { action, from, to, ...(who.onBehalfOfWorker ? { onBehalfOfWorker: true } : {}) },
      at,
    });
    if (frozen && who.kind === "user") await freezeVersion(tx, task.id, { id: who.user.id, role: authorRoleOf(who.user) }, frozen, at);
  });

  // The perfect path: the post-caption is the pre-caption, visible in the room.
  if (perfect && room) await writePost(deps.rooms, task.id, room.draft);
  // A trainee's attempt at a gold task is scored the moment it is submitted (a no-op for every other task).
  // Scoring failing must not undo a submission that has been committed: it is logged and can be re-run by hand.
  if (frozen && to === "submitted") {
    await scoreGoldAttempt(deps.db, task.id, at).catch((err: unknown) =>
      deps.log(`loop: gold scoring of ${task.id} failed: ${String(err)}`),
    );
  }
  // Not awaited: connections whose rights changed are closed and rejoin on their own; the caller need not wait.
  void deps.rooms.revalidate(task.id).catch((err: unknown) => deps.log(`loop: revalidate ${task.id} failed: ${String(err)}`));
  return { taskId: task.id, action, from, to };
}
