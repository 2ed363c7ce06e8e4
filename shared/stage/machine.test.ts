import { describe, expect, it } from "vitest";
import { ROLES } from "../domain";
import { STAGES } from "../domain/stages";
import type { Stage } from "../domain/stages";
import { STAGE_ACTIONS, availableActions, transition } from "./machine";
import type { StageAction, StageActor, StageContext } from "./machine";

// The expected table, written independently of the implementation: state → action → target ("-" = no edge).
// Columns follow STAGE_ACTIONS order. Targets that depend on the rounds are given for finishedRounds = 1.
const COLUMNS: StageAction[] = [
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
];
// prettier-ignore
const TABLE: Record<Stage, string[]> = {
  //           finish_l    draft_ready   draft_failed relabel      score_perf   req_rev     rev_done    rev_failed  submit       withdraw    start_rev    release     approve     fix_appr    reject      redo          reopen
  labelling:  ["drafting", "-",          "-",         "-",         "-",         "-",        "-",        "-",        "-",         "-",        "-",         "-",        "-",        "-",        "-",        "-",          "-"],
  drafting:   ["-",        "critiquing", "labelling", "-",         "-",         "-",        "-",        "-",        "-",         "-",        "-",         "-",        "-",        "-",        "-",        "-",          "-"],
  critiquing: ["-",        "-",          "-",         "labelling", "submitted", "revising", "-",        "-",        "-",         "-",        "-",         "-",        "-",        "-",        "-",        "-",          "-"],
  revising:   ["-",        "-",          "-",         "-",         "-",         "revising", "refining", "refining", "-",         "-",        "-",         "-",        "-",        "-",        "-",        "-",          "-"],
  refining:   ["-",        "-",          "-",         "-",         "-",         "revising", "-",        "-",        "submitted", "-",        "-",         "-",        "-",        "-",        "-",        "-",          "-"],
  submitted:  ["-",        "-",          "-",         "-",         "-",         "-",        "-",        "-",        "-",         "refining", "in_review", "-",        "-",        "-",        "-",        "-",          "-"],
  in_review:  ["-",        "-",          "-",         "-",         "-",         "-",        "-",        "-",        "-",         "-",        "-",         "submitted","approved", "approved", "rejected", "-",          "-"],
  approved:   ["-",        "-",          "-",         "-",         "-",         "-",        "-",        "-",        "-",         "-",        "-",         "-",        "-",        "-",        "-",        "-",          "in_review"],
  rejected:   ["-",        "-",          "-",         "labelling", "-",         "-",        "-",        "-",        "-",         "-",        "-",         "-",        "-",        "-",        "-",        "critiquing", "-"],
};

const worker: StageActor = { kind: "user", role: "annotator", relation: "worker" };
const reviewer: StageActor = { kind: "user", role: "reviewer", relation: "reviewer" };
const system: StageActor = { kind: "system" };
const lead: StageActor = { kind: "user", role: "lead", relation: "none" };

/** An actor entitled to the action, for the table walk (the same whatever the stage: redo is the worker's too). */
function entitledActor(action: StageAction): StageActor {
  if (["draft_ready", "draft_failed", "revision_done", "revision_failed"].includes(action)) return system;
  if (action === "reopen") return lead;
  if (["start_review", "release_review", "approve", "fix_and_approve", "reject_and_redo"].includes(action)) {
    return reviewer;
  }
  return worker;
}

/** A context in which every guard of the action holds. */
function satisfied(action: StageAction): StageContext {
  const perfect = action === "score_perfect";
  return {
    actor: entitledActor(action),
    score: perfect ? 5 : 3,
    critiqueItems: perfect ? 0 : 2,
    finishedRounds: 1,
    labelsComplete: true,
  };
}

describe("stage machine", () => {
  it("the test's table covers every stage and action", () => {
    expect(COLUMNS).toEqual([...STAGE_ACTIONS]);
    expect(Object.keys(TABLE).sort()).toEqual([...STAGES].sort());
  });

  for (const state of STAGES) {
    for (const [i, action] of COLUMNS.entries()) {
      const expected = TABLE[state][i];
      it(`${state} × ${action} → ${expected}`, () => {
        const result = transition(state, action, satisfied(action));
        if (expected === "-") {
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.reason).toMatch(/^Cannot .+ while the task is .+; it is allowed only when .+\.$/);
        } else {
          expect(result).toEqual({ ok: true, to: expected });
        }
      });
    }
  }

  it("a failed revision or a withdrawal returns to critiquing when no round has finished", () => {
    const ctx = { ...satisfied("revision_failed"), finishedRounds: 0 };
    expect(transition("revising", "revision_failed", ctx)).toEqual({ ok: true, to: "critiquing" });
    const w = { ...satisfied("withdraw"), finishedRounds: 0 };
    expect(transition("submitted", "withdraw", w)).toEqual({ ok: true, to: "critiquing" });
  });

  // Who may take each action, over every kind of actor: system, and every role in every relation.
  const ACTORS: Array<[string, StageActor]> = [
    ["system", system],
    ...ROLES.flatMap((role) =>
      (["worker", "reviewer", "none"] as const).map(
        (relation): [string, StageActor] => [`${role}/${relation}`, { kind: "user", role, relation }],
      ),
    ),
  ];
  const reviewerSide = ROLES.flatMap((r) =>
    r === "lead" || r === "admin" ? [`${r}/reviewer`, `${r}/none`] : [`${r}/reviewer`],
  );
  const workers = ROLES.map((r) => `${r}/worker`);
  const ALLOWED: Record<StageAction, { state: Stage; actors: string[] }> = {
    finish_labelling: { state: "labelling", actors: workers },
    draft_ready: { state: "drafting", actors: ["system"] },
    draft_failed: { state: "drafting", actors: ["system"] },
    relabel: { state: "critiquing", actors: workers },
    score_perfect: { state: "critiquing", actors: workers },
    request_revision: { state: "refining", actors: workers },
    revision_done: { state: "revising", actors: ["system"] },
    revision_failed: { state: "revising", actors: ["system"] },
    submit: { state: "refining", actors: workers },
    withdraw: { state: "submitted", actors: workers },
    start_review: {
      state: "submitted",
      actors: ["reviewer/reviewer", "reviewer/none", "lead/reviewer", "lead/none", "admin/reviewer", "admin/none"],
    },
    release_review: { state: "in_review", actors: reviewerSide },
    approve: { state: "in_review", actors: reviewerSide },
    fix_and_approve: { state: "in_review", actors: reviewerSide },
    reject_and_redo: { state: "in_review", actors: reviewerSide },
    redo: { state: "rejected", actors: workers },
    reopen: { state: "approved", actors: ["lead/reviewer", "lead/none", "admin/reviewer", "admin/none"] },
  };

  for (const action of STAGE_ACTIONS) {
    it(`only the right people may ${action}`, () => {
      const { state, actors } = ALLOWED[action];
      const allowed = ACTORS.filter(([, actor]) => transition(state, action, { ...satisfied(action), actor }).ok);
      expect(allowed.map(([name]) => name).sort()).toEqual([...actors].sort());
      const refused = ACTORS.find(([name]) => !actors.includes(name));
      if (refused) {
        const r = transition(state, action, { ...satisfied(action), actor: refused[1] });
        expect(r.ok === false && r.reason.startsWith("Only ")).toBe(true);
      }
    });
  }

  it("after a rejection the annotator redoes or relabels; the reviewer is refused in the machine's words", () => {
    for (const [action, to] of [["redo", "critiquing"], ["relabel", "labelling"]] as const) {
      const ctx = satisfied(action);
      expect(transition("rejected", action, { ...ctx, actor: worker })).toEqual({ ok: true, to });
      for (const actor of [reviewer, lead]) {
        const r = transition("rejected", action, { ...ctx, actor });
        const verb = action === "redo" ? "redo" : "return to labelling";
        expect(r).toEqual({ ok: false, reason: `Only the task's annotator can ${verb}.` });
      }
    }
  });

  describe("guards", () => {
    const refusal = (state: Stage, action: StageAction, patch: Partial<StageContext>) => {
      const r = transition(state, action, { ...satisfied(action), ...patch });
      return r.ok ? null : r.reason;
    };

    it("labelling needs every required sub-aspect", () => {
      expect(refusal("labelling", "finish_labelling", { labelsComplete: false })).toMatch(/required sub-aspect/);
    });

    it("the perfect path needs score 5 and no critique", () => {
      expect(refusal("critiquing", "score_perfect", { score: 4 })).toMatch(/scored 5/);
      expect(refusal("critiquing", "score_perfect", { score: null })).toMatch(/scored 5/);
      expect(refusal("critiquing", "score_perfect", { critiqueItems: 1 })).toMatch(/no critique/);
    });

    it("a revision needs a score below 5 and at least one critique item", () => {
      for (const state of ["critiquing", "refining", "revising"] as const) {
        expect(refusal(state, "request_revision", { score: null })).toMatch(/Score the draft/);
        expect(refusal(state, "request_revision", { score: 5 })).toMatch(/scored 5/);
        expect(refusal(state, "request_revision", { critiqueItems: 0 })).toMatch(/at least one critique item/);
      }
    });

    it("submit needs a finished round, a score and critique", () => {
      expect(refusal("refining", "submit", { finishedRounds: 0 })).toMatch(/Run a revision first/);
      expect(refusal("refining", "submit", { critiqueItems: 0 })).toMatch(/critique item/);
      expect(refusal("refining", "submit", { score: null })).toMatch(/Score the draft/);
    });

    it("the stage is checked before the actor, the actor before the guards", () => {
      const r = transition("labelling", "submit", { ...satisfied("submit"), actor: system, score: null });
      expect(r.ok === false && r.reason).toMatch(/^Cannot submit while the task is labelling/);
      const r2 = transition("refining", "submit", { ...satisfied("submit"), actor: reviewer, score: null });
      expect(r2.ok === false && r2.reason).toMatch(/^Only the task's annotator can submit/);
    });
  });

  it("availableActions lists exactly the allowed actions", () => {
    const ctx: StageContext = { actor: worker, score: 3, critiqueItems: 1, finishedRounds: 1, labelsComplete: true };
    expect(availableActions("refining", ctx).sort()).toEqual(["request_revision", "submit"]);
    expect(availableActions("approved", ctx)).toEqual([]);
  });
});
