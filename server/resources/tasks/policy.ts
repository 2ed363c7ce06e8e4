import { and, desc, eq, inArray, ne, or, type SQL } from "drizzle-orm";
import type { SessionUser } from "../../auth/sessionUser";
import type { Db } from "../../db/index";
import { tasks, taskVersions, users } from "../../db/schema/index";
import { conflict, forbidden } from "../../errors";
import type { Role } from "../../../shared/domain";
import { STAGE_LABELS, type Stage } from "../../../shared/domain/stages";
import type { TaskRelation } from "../../../shared/api/tasks";
import { TASK_ACTIONS, type TaskAbilities, type TaskAction, type TaskPanel } from "../../../shared/api/abilities";
import type { RoomField } from "../../../shared/room/document";
import { STAGE_ACTIONS, permits, type StageAction, type StageActor } from "../../../shared/stage/machine";
import { workerOf, type VersionBrief } from "../../review/work";
import { collabTaskRow } from "./collabAccess";

/**
 * THE answer to "may this person do X to this task now". Three layers, each computed from the task row only:
 *   relation  how the caller relates to the task (annotator, reviewer, trainer, lead, admin), or invisible;
 *   actor     the stage machine's view of them (worker / reviewer / none), which decides stage moves;
 *   abilities what they may do now: actions, room fields they may write, panels they see (sent to the client).
 * Guards on the room's live content (a score, the critique items, finished rounds) are not abilities: they are
 * checked when the action is taken (409 with a reason). Routes and services ask this module, never a rule of their own.
 */

export type { TaskRelation };

/** The task fields a visibility decision needs. */
export type TaskAccessFacts = { annotatorId: string | null; reviewerId: string | null; stage: Stage };

/** Stages in which a reviewer who is not the annotator may pick a task up from the queue. */
export const REVIEW_QUEUE_STAGES: readonly Stage[] = ["submitted"];

const STAFF: readonly Role[] = ["lead", "admin"];
const REVIEWING: readonly Role[] = ["reviewer", "lead", "admin"];
const isStaff = (role: Role) => STAFF.includes(role);

// ─── Relation (visibility) ──────────────────────────────────────────────────────────────────────────────────────

/**
 * How a user relates to a task, or null when they may not see it. Order matters: a lead who also annotated a
 * task is still "lead"; a reviewer never gets "reviewer" on their own work.
 */
export async function relationToTask(db: Db, user: SessionUser, task: TaskAccessFacts): Promise<TaskRelation | null> {
  // Only a trainer's relation depends on who the annotator is: the one case worth a query.
  if (user.role !== "trainer" || !task.annotatorId || task.annotatorId === user.id) return relationGiven(user, task, null);
  const [row] = await db.select({ role: users.role }).from(users).where(eq(users.id, task.annotatorId)).limit(1);
  return relationGiven(user, task, row?.role ?? null);
}

/** relationToTask's rule with the annotator's role already known (null: no annotator, or not loaded). */
export function relationGiven(user: Pick<SessionUser, "id" | "role">, task: TaskAccessFacts, annotatorRole: Role | null): TaskRelation | null {
  if (user.role === "admin" || user.role === "lead") return user.role;
  if (task.annotatorId === user.id) return "annotator";
  if (user.role === "reviewer") {
    if (task.reviewerId === user.id) return "reviewer";
    if (REVIEW_QUEUE_STAGES.includes(task.stage) && task.annotatorId !== null) return "reviewer";
    return null;
  }
  if (user.role === "trainer" && task.annotatorId) return annotatorRole === "trainee" ? "trainer" : null;
  return null;
}

/**
 * The same rule as relationToTask, as a WHERE clause over `tasks`, so list queries never load rows the caller may
 * not see. undefined = no restriction (lead/admin).
 */
export function visibleTasksWhere(db: Db, user: SessionUser): SQL | undefined {
  if (user.role === "admin" || user.role === "lead") return undefined;
  const own = eq(tasks.annotatorId, user.id);
  if (user.role === "reviewer") {
    return or(
      own,
      eq(tasks.reviewerId, user.id),
      and(inArray(tasks.stage, [...REVIEW_QUEUE_STAGES]), ne(tasks.annotatorId, user.id)),
    );
  }
  if (user.role === "trainer") {
    const trainees = db.select({ id: users.id }).from(users).where(eq(users.role, "trainee"));
    return or(own, inArray(tasks.annotatorId, trainees));
  }
  return own;
}

/** Whether a user may see anything of a video: lead/admin always, others when they may see one of its tasks. */
export function canSeeAllVideos(user: SessionUser): boolean {
  return user.role === "admin" || user.role === "lead";
}

// ─── Stage-machine actor ────────────────────────────────────────────────────────────────────────────────────────

/**
 * The stage machine's view of a signed-in user, derived from the task row (never from the request). One rule: the
 * task's annotator (or trainee) is its worker in every stage, a rejected task included (they redo it); its
 * reviewer is the reviewer, the resubmission's too.
 */
export function actorFor(user: Pick<SessionUser, "id" | "role">, task: TaskAccessFacts): StageActor {
  const relation = task.annotatorId === user.id ? "worker" : task.reviewerId === user.id ? "reviewer" : "none";
  return { kind: "user", role: user.role, relation };
}

/** The actor a lead stands in as when acting for the task's worker (asking for a draft on their behalf). */
export const workerStandIn = (role: Role): StageActor => ({ kind: "user", role, relation: "worker" });

export const actsAsWorker = (actor: StageActor) => actor.kind === "user" && actor.relation === "worker";

// ─── Review rules (own work, assignment) ────────────────────────────────────────────────────────────────────────

/**
 * The task and whose work is under review: review/work.ts `workerOf` of its latest frozen version (the annotator
 * who froze it, who may differ from today's annotator after a reassignment).
 */
export type ReviewFacts = { annotatorId: string | null; reviewerId: string | null; workerId: string | null };

/** "Own work" covers the task's annotator and the worker whose version is under review: nobody reviews it. */
export const isOwnWork = (userId: string, t: ReviewFacts) => userId === t.annotatorId || userId === t.workerId;

const OWN_WORK = "You cannot review your own work.";

/** Why this person may not take the task's review, or null (the stage is the machine's to check). */
export function startReviewRefusal(user: Pick<SessionUser, "id" | "role">, t: ReviewFacts): string | null {
  if (isOwnWork(user.id, t)) return OWN_WORK;
  if (!REVIEWING.includes(user.role)) return "Only reviewers, leads and admins review tasks.";
  if (t.reviewerId && t.reviewerId !== user.id && user.role === "reviewer") {
    return "Another reviewer is assigned to this task.";
  }
  return null;
}

/** Why this person may not approve or reject the task, or null (the stage is the machine's to check). */
export function decisionRefusal(user: Pick<SessionUser, "id" | "role">, t: ReviewFacts): string | null {
  if (isOwnWork(user.id, t)) return OWN_WORK;
  if (!isStaff(user.role) && t.reviewerId !== user.id) return "Only the task's reviewer decides on it.";
  return null;
}

/** Why this person may not record a catch on the task, or null. */
export function catchRefusal(user: Pick<SessionUser, "id">, t: ReviewFacts): string | null {
  if (isOwnWork(user.id, t)) return OWN_WORK;
  if (t.reviewerId !== user.id) return "Only the task's reviewer records catches on it.";
  return null;
}

/** Why this person may not dispute a catch on `workerId`'s work, or null (window and status are checked at the time). */
export function disputeRefusal(user: Pick<SessionUser, "id">, workerId: string | null): string | null {
  return workerId === user.id ? null : "Only the person whose work was caught can dispute the catch.";
}

/**
 * Why this person may not rule on a disputed catch, or null: a lead or admin who is not a party to it. Without the
 * catch's parties, only the role is checked (before the catch is loaded).
 */
export function resolveRefusal(
  user: Pick<SessionUser, "id" | "role">,
  parties?: { reviewerId: string; workerId: string | null },
): string | null {
  if (!isStaff(user.role)) return "Only a lead adjudicates disputes.";
  if (parties && (user.id === parties.reviewerId || user.id === parties.workerId)) {
    return "You are a party to this catch: another lead must adjudicate it.";
  }
  return null;
}

// ─── Room document ──────────────────────────────────────────────────────────────────────────────────────────────

/** The annotator edits the critique while it is being written and refined (the draft's text is not theirs). */
const ANNOTATOR_WRITES: ReadonlySet<Stage> = new Set<Stage>(["labelling", "drafting", "critiquing", "revising", "refining"]);
/** The reviewer edits the draft and critique (fix-and-approve) once the task is handed in. */
const REVIEWER_WRITES: ReadonlySet<Stage> = new Set<Stage>(["submitted", "in_review"]);
const EDITOR_FIELDS: readonly RoomField[] = ["draft", "critique"];
const CRITIC_FIELDS: readonly RoomField[] = ["critique"];

/**
 * The room fields a connection may change. People write only the draft and the critique; the server alone writes
 * revision, post, catches and polish. Trainers only follow (presence); leads and admins can always repair.
 */
export function roomWrites(relation: TaskRelation, stage: Stage): RoomField[] {
  switch (relation) {
    case "lead":
    case "admin":
      return [...EDITOR_FIELDS];
    case "annotator":
      return ANNOTATOR_WRITES.has(stage) ? [...CRITIC_FIELDS] : [];
    case "reviewer":
      return REVIEWER_WRITES.has(stage) ? [...EDITOR_FIELDS] : [];
    case "trainer":
      return [];
  }
}

/** Why the room is read-only for this person at this stage, said to them; null when they may write. */
export function readOnlyReason(relation: TaskRelation, stage: Stage): string | null {
  if (roomWrites(relation, stage).length > 0) return null;
  const where = STAGE_LABELS[stage].toLowerCase();
  switch (relation) {
    case "trainer":
      return "Read only: trainers watch the trainee's room and coach; the work is the trainee's.";
    case "annotator":
      return stage === "rejected"
        ? "Read only: the review rejected this work. Redo it or go back to labelling to edit again."
        : `Read only: the task is ${where}, so your work is handed in.`;
    case "reviewer":
      return REVIEW_OPEN_STAGES.has(stage)
        ? `Read only: the task is ${where}.`
        : `Read only: the annotator is still working (${where}); you can review once it is submitted.`;
    default:
      return `Read only: the task is ${where}.`;
  }
}
const REVIEW_OPEN_STAGES: ReadonlySet<Stage> = new Set<Stage>(["approved", "rejected"]);

// ─── Abilities ──────────────────────────────────────────────────────────────────────────────────────────────────

/** Everything computeTaskAbilities needs: plain data, no database. */
export type TaskFacts = {
  user: Pick<SessionUser, "id" | "role">;
  relation: TaskRelation;
  actor: StageActor;
  task: TaskAccessFacts & { annotatorIsTrainee: boolean };
  /** Whose work the latest frozen version is (review/work.ts `workerOf`; the annotator before the first one). */
  workerId: string | null;
  /** Whose work every frozen version is: whom a catch on this task may be about (a rejected version's too). */
  workerIds: readonly string[];
};

type NonStageAction = Exclude<TaskAction, StageAction>;

/** A rule for an action the stage machine does not know: who (a refusal sentence or null), and in which stages. */
type Rule = { who: (f: TaskFacts) => string | null; stages?: readonly Stage[]; stageReason?: (stage: Stage) => string };

const LABEL_WRITERS: readonly TaskRelation[] = ["annotator", "lead", "admin"];
/** The trainee's trainer and staff score gold attempts and read every gold score. */
const TRAINING_STAFF: readonly TaskRelation[] = ["trainer", "lead", "admin"];
const reviewFacts = (f: TaskFacts): ReviewFacts => ({ ...f.task, workerId: f.workerId });

const RULES: Record<NonStageAction, Rule> = {
  label: {
    who: (f) => (LABEL_WRITERS.includes(f.relation) ? null : "Only the task's annotator (or a lead or admin) may change its labels."),
    stages: ["labelling"],
    stageReason: (s) =>
      `Labelling is over for this task: it is in the ${s} stage, and labels can only change while it is in labelling.`,
  },
  request_draft: {
    who: (f) => (actsAsWorker(f.actor) || isStaff(f.user.role) ? null : "Only the task's annotator (or a lead) can ask for a draft."),
    stages: ["labelling", "drafting"],
    stageReason: (s) => `The task is ${s}: a draft is made only from labelling.`,
  },
  score: {
    who: (f) => (actsAsWorker(f.actor) ? null : "Only the task's annotator scores the draft."),
    stages: ["critiquing", "refining"],
    stageReason: (s) => `The draft is scored while critiquing or refining; the task is ${s}.`,
  },
  critique: {
    who: (f) => (roomWrites(f.relation, f.task.stage).includes("critique") ? null : "You follow this room read-only."),
  },
  polish: { who: (f) => (actsAsWorker(f.actor) ? null : "Only the task's annotator polishes its critique.") },
  record_catch: {
    who: (f) => catchRefusal(f.user, reviewFacts(f)),
    stages: ["in_review"],
    stageReason: (s) => `Catches are recorded while the task is in review; it is ${s}.`,
  },
  dispute_catch: {
    // Task-wide: catches are about frozen work, so its workers may dispute; each catch's own worker, window and
    // status are checked per catch (disputeRefusal).
    who: (f) => (f.workerIds.includes(f.user.id) ? null : "Only the person whose work was caught can dispute the catch."),
  },
  resolve_dispute: { who: (f) => (isStaff(f.user.role) ? null : "Only a lead adjudicates disputes.") },
  coach: { who: (f) => (f.relation === "trainer" ? null : "Only the trainee's trainer writes coaching notes.") },
  score_gold: { who: (f) => (TRAINING_STAFF.includes(f.relation) ? null : "Only the trainee's trainer scores this task.") },
};

/** Extra rules on stage actions, on top of the machine's (the review's own-work and assignment rules). */
const STAGE_EXTRAS: Partial<Record<StageAction, (f: TaskFacts) => string | null>> = {
  start_review: (f) => startReviewRefusal(f.user, reviewFacts(f)),
  approve: (f) => decisionRefusal(f.user, reviewFacts(f)),
  fix_and_approve: (f) => decisionRefusal(f.user, reviewFacts(f)),
  reject_and_redo: (f) => decisionRefusal(f.user, reviewFacts(f)),
};

const isStageAction = (a: TaskAction): a is Extract<TaskAction, StageAction> => (STAGE_ACTIONS as readonly string[]).includes(a);

/** The actor the machine sees for an action: POST /draft lets a lead finish labelling for the worker. */
const actorForAction = (f: TaskFacts, action: StageAction): StageActor =>
  action === "finish_labelling" && isStaff(f.user.role) ? workerStandIn(f.user.role) : f.actor;

/** Why the person may not do this (403), regardless of the stage; null when they may. */
export function whoRefusal(f: TaskFacts, action: TaskAction): string | null {
  if (isStageAction(action)) return STAGE_EXTRAS[action]?.(f) ?? null;
  return RULES[action].who(f);
}

/** Why the stage does not allow this (409), or null. Stage actions are left to the machine (its own reasons). */
export function stageRefusal(stage: Stage, action: TaskAction): string | null {
  if (isStageAction(action)) return null;
  const rule = RULES[action];
  if (!rule.stages || rule.stages.includes(stage)) return null;
  return rule.stageReason?.(stage) ?? `Not while the task is ${stage}.`;
}

/** Whether the action is offered: who and stage allow it (and, for stage actions, the machine's stage and who). */
function allows(f: TaskFacts, action: TaskAction): boolean {
  if (whoRefusal(f, action) !== null) return false;
  if (isStageAction(action)) return permits(f.task.stage, action, actorForAction(f, action));
  return stageRefusal(f.task.stage, action) === null;
}

/** Panels follow what the server lets the person read. */
function panels(f: TaskFacts): TaskPanel[] {
  const out: TaskPanel[] = [];
  if (f.task.stage === "labelling") out.push("labelling");
  else out.push("room", "rounds");
  // Decisions and catches: anyone who may see the task may read them.
  out.push("review", "catches");
  const coachingReader = f.relation === "trainer" || isStaff(f.user.role) || f.user.id === f.task.annotatorId;
  if (f.task.annotatorIsTrainee && coachingReader) out.push("coaching");
  // Gold scores are private to the trainee (the task's annotator) and their trainers.
  if (f.relation === "annotator" || TRAINING_STAFF.includes(f.relation)) out.push("gold_score");
  // The clips' notes name the correct labels: only people who check work see them.
  if (isStaff(f.user.role)) out.push("video_description");
  return out;
}

/** What this person may do with the task now. Pure: every input is in `facts`. */
export function computeTaskAbilities(f: TaskFacts): TaskAbilities {
  const actions = TASK_ACTIONS.filter((a) => allows(f, a));
  return { actions, roomWrites: roomWrites(f.relation, f.task.stage), readOnlyReason: readOnlyReason(f.relation, f.task.stage), panels: panels(f) };
}

export const can = (abilities: TaskAbilities, action: TaskAction) => abilities.actions.includes(action);

// ─── Loading ────────────────────────────────────────────────────────────────────────────────────────────────────

export type TaskAccess = { relation: TaskRelation; actor: StageActor; abilities: TaskAbilities; facts: TaskFacts };

type AccessRow = TaskAccessFacts & { id: string };

async function loadAccessRow(db: Db, taskId: string): Promise<AccessRow | null> {
  const [row] = await db
    .select({ id: tasks.id, stage: tasks.stage, annotatorId: tasks.annotatorId, reviewerId: tasks.reviewerId })
    .from(tasks)
    .where(eq(tasks.id, taskId))
    .limit(1);
  return row ?? null;
}

/** The caller's relation, actor and abilities for a task; null when the task is missing or invisible to them. */
export async function taskAccess(db: Db, user: SessionUser, task: string | AccessRow): Promise<TaskAccess | null> {
  const row = typeof task === "string" ? await loadAccessRow(db, task) : task;
  if (!row) return null;
  const relation = await relationToTask(db, user, row);
  if (!relation) return null;
  const [versions, annotator] = await Promise.all([
    db
      .select({ authorId: taskVersions.authorId, authorRole: taskVersions.authorRole })
      .from(taskVersions)
      .where(eq(taskVersions.taskId, row.id))
      .orderBy(desc(taskVersions.createdAt), desc(taskVersions.id)),
    row.annotatorId
      ? db.select({ role: users.role }).from(users).where(eq(users.id, row.annotatorId)).limit(1)
      : Promise.resolve([]),
  ]);
  const facts = taskFactsGiven(user, row, relation, {
    annotatorRole: annotator[0]?.role ?? null,
    latest: versions[0] ?? null,
    workerIds: [...new Set(versions.map((v) => workerOf(row, v)).filter((id): id is string => id !== null))],
  });
  return { relation, actor: facts.actor, abilities: computeTaskAbilities(facts), facts };
}

/** What a task's frozen versions and its annotator add to the task row (see TaskFacts). */
export type TaskWork = { annotatorRole: Role | null; latest: VersionBrief | null; workerIds: readonly string[] };

/** The facts computeTaskAbilities takes, from loaded rows (taskAccess and collabAccess build them alike). */
export function taskFactsGiven(user: Pick<SessionUser, "id" | "role">, row: TaskAccessFacts, relation: TaskRelation, work: TaskWork): TaskFacts {
  const taskFacts: TaskAccessFacts = { stage: row.stage, annotatorId: row.annotatorId, reviewerId: row.reviewerId };
  return {
    user: { id: user.id, role: user.role },
    relation,
    actor: actorFor(user, taskFacts),
    task: { ...taskFacts, annotatorIsTrainee: work.annotatorRole === "trainee" },
    workerId: workerOf(row, work.latest),
    workerIds: work.workerIds,
  };
}

/**
 * taskAccess's facts for the collaboration server, from one statement shared by concurrent lookups (collabAccess.ts):
 * a connection storm costs a few queries, not three or four per connection. The task is read first, so the read can
 * start before the person is known; the answer is for any person. null = no access.
 */
export async function collabFactsFor(db: Db, taskId: string): Promise<(user: SessionUser) => TaskFacts | null> {
  const loaded = await collabTaskRow(db, taskId);
  return (user) => {
    if (!loaded) return null;
    const relation = relationGiven(user, loaded.task, loaded.work.annotatorRole);
    return relation && taskFactsGiven(user, loaded.task, relation, loaded.work);
  };
}

export async function collabFacts(db: Db, user: SessionUser, taskId: string): Promise<TaskFacts | null> {
  return (await collabFactsFor(db, taskId))(user);
}

type CollabAccess = { relation: TaskRelation; abilities: TaskAbilities; stage: Stage };

/** What the collaboration server needs from the policy for each connection: relation, abilities and the stage. */
export async function collabAccessFor(db: Db, taskId: string): Promise<(user: SessionUser) => CollabAccess | null> {
  const factsFor = await collabFactsFor(db, taskId);
  return (user) => {
    const facts = factsFor(user);
    return facts && { relation: facts.relation, abilities: computeTaskAbilities(facts), stage: facts.task.stage };
  };
}

export async function collabAccess(db: Db, user: SessionUser, taskId: string): Promise<CollabAccess | null> {
  return (await collabAccessFor(db, taskId))(user);
}

/** Why the person may not do this: the 403 reason, else the 409 reason at `stage` (the task's own by default). */
export function refusal(access: TaskAccess, action: TaskAction, stage: Stage = access.facts.task.stage): string | null {
  return whoRefusal(access.facts, action) ?? stageRefusal(stage, action);
}

/** Throws 403 when the person may not do this at all, 409 when the task's stage does not allow it now. */
export function assertCan(access: TaskAccess, action: TaskAction): void {
  const who = whoRefusal(access.facts, action);
  if (who) throw forbidden(who);
  const stage = stageRefusal(access.facts.task.stage, action);
  if (stage) throw conflict(stage, { stage: access.facts.task.stage });
}

/** Like taskAccess, but an invisible task is refused (403) with `message`. */
export async function requireTaskAccess(db: Db, user: SessionUser, task: string | AccessRow, message = "You may not see this task."): Promise<TaskAccess> {
  const access = await taskAccess(db, user, task);
  if (!access) throw forbidden(message);
  return access;
}
