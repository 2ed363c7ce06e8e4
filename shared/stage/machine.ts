import { z } from "zod";
import type { Role } from "../domain";
import { STAGE_LABELS, type Stage } from "../domain/stages";

/**
 * The stage machine of one task (video × aspect). Pure: the server loads the task, builds a StageContext and asks
 * `transition`; a refusal carries a sentence the server sends back with 409.
 *
 *   labelling ─finish_labelling→ drafting ─draft_ready→ critiquing ─request_revision→ revising ─revision_done→ refining
 *        ↑                          │draft_failed            │ score_perfect (5: post = pre)      ↑ revision_failed   │
 *        └──────────────────────────┘                        ↓                                    │ request_revision ←┘
 *                                                        submitted ←─────────── submit ───────────────────────── refining
 *   submitted ─start_review→ in_review ─approve | fix_and_approve→ approved ─reopen→ in_review
 *                            in_review ─reject_and_redo→ rejected ─redo→ critiquing | ─relabel→ labelling
 *
 * Redo: the reviewer rejects with a reason and the work goes back to its annotator (issue 14): the rejected version
 * stays frozen as a negative example, the annotator reads the reason and redoes the task. The labels and draft were
 * accepted, so `redo` returns to critiquing on the same draft; when the labels themselves were wrong, `relabel`
 * returns to labelling and the draft is made again. The annotator resubmits and the task's reviewer reviews the
 * resubmission like any other (it is still not their own work).
 */

export const STAGE_ACTIONS = [
  "finish_labelling",
  "draft_ready",
  "draft_failed",
  "relabel",
  "score_perfect",
  "request_revision",
  "revision_done",
  "revision_failed",
  "submit",
  "withdraw",
  "start_review",
  "release_review",
  "approve",
  "fix_and_approve",
  "reject_and_redo",
  "redo",
  "reopen",
] as const;
export const StageAction = z.enum(STAGE_ACTIONS);
export type StageAction = z.infer<typeof StageAction>;

/** The moves the server makes itself when a draft or a revision ends; people never ask for them. */
export const SYSTEM_ACTIONS = ["draft_ready", "draft_failed", "revision_done", "revision_failed"] as const satisfies readonly StageAction[];
export type PersonStageAction = Exclude<StageAction, (typeof SYSTEM_ACTIONS)[number]>;
/** The stage moves a person may ask for, in STAGE_ACTIONS order. */
export const PERSON_STAGE_ACTIONS: readonly PersonStageAction[] = STAGE_ACTIONS.filter(
  (a): a is PersonStageAction => !(SYSTEM_ACTIONS as readonly StageAction[]).includes(a),
);

/**
 * Who acts. `system` is the server itself (a draft or a revision finishing). A user's relation is computed by the
 * server from the task row, never taken from the client:
 *  - worker:   the person doing the task's work: its annotator or trainee, before review and after a rejection;
 *  - reviewer: the task's assigned reviewer (and not its worker);
 *  - none:     anyone else.
 */
export type StageActor = { kind: "system" } | { kind: "user"; role: Role; relation: "worker" | "reviewer" | "none" };

export type StageContext = {
  actor: StageActor;
  /** The worker's score of the pre-caption, 1–5, or null when not scored yet. */
  score: number | null;
  /** Valid critique items in the room document. */
  critiqueItems: number;
  /** Revision rounds that finished (status done) since the task last entered critiquing. */
  finishedRounds: number;
  /** Every required sub-aspect is labelled. */
  labelsComplete: boolean;
};

export type TransitionResult = { ok: true; to: Stage } | { ok: false; reason: string };

type Rule = {
  from: readonly Stage[];
  /** Who may act; the string names them in refusals. */
  who: (actor: StageActor) => boolean;
  whoText: string;
  /** A refusal reason, or null when the guard holds. */
  guard?: (ctx: StageContext) => string | null;
  to: (from: Stage, ctx: StageContext) => Stage;
};

const STAFF: readonly Role[] = ["lead", "admin"];
const REVIEWING: readonly Role[] = ["reviewer", "lead", "admin"];

const isSystem = (a: StageActor) => a.kind === "system";
const isWorker = (a: StageActor) => a.kind === "user" && a.relation === "worker";
/** The assigned reviewer, or a lead/admin — never the person whose work it is. */
const isDecider = (a: StageActor) =>
  a.kind === "user" && a.relation !== "worker" && (a.relation === "reviewer" || STAFF.includes(a.role));

const scoredBelowFive = (ctx: StageContext) =>
  ctx.score === null
    ? "Score the draft (1–5) first."
    : ctx.score >= 5
      ? "The draft is scored 5 (perfect): submit it as it is, or lower the score to critique it."
      : null;

const hasCritique = (ctx: StageContext) =>
  ctx.critiqueItems < 1 ? "Write at least one critique item first." : null;

const firstFailing = (...guards: Array<(ctx: StageContext) => string | null>) => (ctx: StageContext) => {
  for (const g of guards) {
    const reason = g(ctx);
    if (reason) return reason;
  }
  return null;
};

const RULES: Record<StageAction, Rule> = {
  finish_labelling: {
    from: ["labelling"],
    who: isWorker,
    whoText: "the task's annotator",
    guard: (ctx) => (ctx.labelsComplete ? null : "Label every required sub-aspect first."),
    to: () => "drafting",
  },
  draft_ready: { from: ["drafting"], who: isSystem, whoText: "the server", to: () => "critiquing" },
  // A failed draft returns the task to where it was: the labels are kept and drafting can be asked again.
  draft_failed: { from: ["drafting"], who: isSystem, whoText: "the server", to: () => "labelling" },
  relabel: {
    // Before review, or after a rejection that found the labels wrong: the work is the annotator's either way.
    from: ["critiquing", "rejected"],
    who: isWorker,
    whoText: "the task's annotator",
    to: () => "labelling",
  },
  score_perfect: {
    from: ["critiquing"],
    who: isWorker,
    whoText: "the task's annotator",
    guard: (ctx) =>
      ctx.score !== 5
        ? "Only a draft scored 5 (perfect) can be submitted without critique."
        : ctx.critiqueItems > 0
          ? "A perfect draft has no critique: remove the critique items or lower the score."
          : null,
    to: () => "submitted",
  },
  request_revision: {
    // From revising it restarts the revision with the current critique (the running one is cancelled).
    from: ["critiquing", "refining", "revising"],
    who: isWorker,
    whoText: "the task's annotator",
    guard: firstFailing(scoredBelowFive, hasCritique),
    to: () => "revising",
  },
  revision_done: { from: ["revising"], who: isSystem, whoText: "the server", to: () => "refining" },
  // A failed revision leaves the task where it was before the request.
  revision_failed: {
    from: ["revising"],
    who: isSystem,
    whoText: "the server",
    to: (_from, ctx) => (ctx.finishedRounds > 0 ? "refining" : "critiquing"),
  },
  submit: {
    from: ["refining"],
    who: isWorker,
    whoText: "the task's annotator",
    guard: firstFailing(scoredBelowFive, hasCritique, (ctx) =>
      ctx.finishedRounds < 1 ? "Run a revision first: there is no post-caption to submit." : null,
    ),
    to: () => "submitted",
  },
  withdraw: {
    from: ["submitted"],
    who: isWorker,
    whoText: "the task's annotator",
    to: (_from, ctx) => (ctx.finishedRounds > 0 ? "refining" : "critiquing"),
  },
  start_review: {
    from: ["submitted"],
    who: (a) => a.kind === "user" && a.relation !== "worker" && REVIEWING.includes(a.role),
    whoText: "a reviewer who did not do the work",
    to: () => "in_review",
  },
  release_review: { from: ["in_review"], who: isDecider, whoText: "the task's reviewer", to: () => "submitted" },
  approve: { from: ["in_review"], who: isDecider, whoText: "the task's reviewer", to: () => "approved" },
  fix_and_approve: { from: ["in_review"], who: isDecider, whoText: "the task's reviewer", to: () => "approved" },
  reject_and_redo: { from: ["in_review"], who: isDecider, whoText: "the task's reviewer", to: () => "rejected" },
  redo: { from: ["rejected"], who: isWorker, whoText: "the task's annotator", to: () => "critiquing" },
  reopen: {
    from: ["approved"],
    who: (a) => a.kind === "user" && a.relation !== "worker" && STAFF.includes(a.role),
    whoText: "a lead or an admin",
    to: () => "in_review",
  },
};

/** Stages as they read inside a sentence ("while the task is in review"). */
const stageText = (stage: Stage) => STAGE_LABELS[stage].toLowerCase();

const ACTION_TEXT: Record<StageAction, string> = {
  finish_labelling: "finish labelling",
  draft_ready: "complete the draft",
  draft_failed: "fail the draft",
  relabel: "return to labelling",
  score_perfect: "submit as perfect",
  request_revision: "request a revision",
  revision_done: "complete the revision",
  revision_failed: "fail the revision",
  submit: "submit",
  withdraw: "withdraw the submission",
  start_review: "start the review",
  release_review: "release the review",
  approve: "approve",
  fix_and_approve: "fix and approve",
  reject_and_redo: "reject and redo",
  redo: "redo",
  reopen: "reopen",
};

/** Checks an action against the task's stage, the actor and the guards; order: stage, then actor, then guards. */
export function transition(state: Stage, action: StageAction, ctx: StageContext): TransitionResult {
  const rule = RULES[action];
  if (!rule.from.includes(state)) {
    const where = rule.from.map(stageText).join(" or ");
    return {
      ok: false,
      reason: `Cannot ${ACTION_TEXT[action]} while the task is ${stageText(state)}; it is allowed only when ${where}.`,
    };
  }
  if (!rule.who(ctx.actor)) {
    return { ok: false, reason: `Only ${rule.whoText} can ${ACTION_TEXT[action]}.` };
  }
  const refusal = rule.guard?.(ctx) ?? null;
  if (refusal) return { ok: false, reason: refusal };
  return { ok: true, to: rule.to(state, ctx) };
}

/**
 * Whether this actor may take the action from this stage, guards aside. Abilities are built on this: guards read
 * the room's live content (score, critique items, finished rounds) and are checked when the action is taken.
 */
export function permits(state: Stage, action: StageAction, actor: StageActor): boolean {
  const rule = RULES[action];
  return rule.from.includes(state) && rule.who(actor);
}

/** The actions this actor may take now (for the room's buttons). */
export function availableActions(state: Stage, ctx: StageContext): StageAction[] {
  return STAGE_ACTIONS.filter((a) => transition(state, a, ctx).ok);
}

/**
 * Who must act next for a task to move on, per stage (the progress page's "waiting on"; server/projects/progress.ts).
 *  - annotator: the task's worker (its annotator or trainee), including a rejected task they must redo;
 *  - reviewer:  the task's reviewer, or any reviewer while nobody has taken it;
 *  - model:     the server, drafting or revising (the only way out is a system action);
 *  - lead:      no stage; work that needs a lead (an unassigned task, an open dispute) is added by the caller;
 *  - nobody:    done (a lead may reopen an approved task, but nothing is expected).
 * Kept beside RULES and checked against them in waitingOn.test.ts.
 */
export const WAITING_ON_KINDS = ["annotator", "reviewer", "model", "lead", "nobody"] as const;
export type WaitingOn = (typeof WAITING_ON_KINDS)[number];
export const WAITING_ON: Record<Stage, WaitingOn> = {
  labelling: "annotator",
  drafting: "model",
  critiquing: "annotator",
  revising: "model",
  refining: "annotator",
  submitted: "reviewer",
  in_review: "reviewer",
  approved: "nobody",
  // The annotator redoes rejected work (redo or relabel are theirs); the reviewer waits for the resubmission.
  rejected: "annotator",
};
