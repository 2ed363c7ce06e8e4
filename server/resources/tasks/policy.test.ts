import { describe, expect, it } from "vitest";
import type { Role } from "../../../shared/domain";
import { STAGES, type Stage } from "../../../shared/domain/stages";
import { TASK_RELATIONS, type TaskRelation } from "../../../shared/api/tasks";
import type { TaskAction, TaskPanel } from "../../../shared/api/abilities";
import { actorFor, computeTaskAbilities, decisionRefusal, disputeRefusal, readOnlyReason, resolveRefusal, roomWrites, startReviewRefusal, type TaskFacts } from "./policy";

type Person = { id: string; role: Role };
const ann: Person = { id: "ann", role: "annotator" };
const trainee: Person = { id: "trainee", role: "trainee" };
const rev: Person = { id: "rev", role: "reviewer" };
const rev2: Person = { id: "rev2", role: "reviewer" };
const trainer: Person = { id: "trainer", role: "trainer" };
const lead: Person = { id: "lead", role: "lead" };
const admin: Person = { id: "admin", role: "admin" };

type TaskState = {
  stage: Stage;
  annotatorId?: string;
  reviewerId?: string | null;
  /** Whose work each frozen version is (review/work.ts workerOf), newest first. */
  authors?: string[];
};

/** The facts taskAccess would load, built by hand (relations as relationToTask gives them). */
function facts(user: Person, relation: TaskRelation, t: TaskState): TaskFacts {
  const annotatorId = t.annotatorId ?? ann.id;
  const task = { stage: t.stage, annotatorId, reviewerId: t.reviewerId ?? null };
  return {
    user,
    relation,
    actor: actorFor(user, task),
    task: { ...task, annotatorIsTrainee: annotatorId === trainee.id },
    workerId: t.authors?.[0] ?? annotatorId,
    workerIds: t.authors ?? [],
  };
}

const sorted = <T extends string>(xs: readonly T[]) => [...xs].sort();

type Row = { name: string; user: Person; relation: TaskRelation; task: TaskState; actions: TaskAction[]; writes: string[]; panels?: TaskPanel[] };

const ROOM: TaskPanel[] = ["room", "rounds", "review", "catches"];
const submittedBy = (id: string) => ({ authors: [id] });

const TABLE: Row[] = [
  // The annotator through the loop.
  { name: "annotator labelling", user: ann, relation: "annotator", task: { stage: "labelling" }, actions: ["finish_labelling", "label", "request_draft", "polish", "critique"], writes: ["critique"], panels: ["labelling", "review", "catches", "gold_score"] },
  { name: "annotator drafting", user: ann, relation: "annotator", task: { stage: "drafting" }, actions: ["request_draft", "polish", "critique"], writes: ["critique"], panels: [...ROOM, "gold_score"] },
  { name: "annotator critiquing", user: ann, relation: "annotator", task: { stage: "critiquing" }, actions: ["relabel", "score_perfect", "request_revision", "score", "critique", "polish"], writes: ["critique"] },
  { name: "annotator revising", user: ann, relation: "annotator", task: { stage: "revising" }, actions: ["request_revision", "critique", "polish"], writes: ["critique"] },
  { name: "annotator refining", user: ann, relation: "annotator", task: { stage: "refining" }, actions: ["request_revision", "submit", "score", "critique", "polish"], writes: ["critique"] },
  { name: "annotator submitted", user: ann, relation: "annotator", task: { stage: "submitted", ...submittedBy("ann") }, actions: ["withdraw", "polish", "dispute_catch"], writes: [] },
  { name: "annotator in review", user: ann, relation: "annotator", task: { stage: "in_review", reviewerId: "rev", ...submittedBy("ann") }, actions: ["polish", "dispute_catch"], writes: [] },
  { name: "annotator approved", user: ann, relation: "annotator", task: { stage: "approved", reviewerId: "rev", ...submittedBy("ann") }, actions: ["polish", "dispute_catch"], writes: [] },
  // Reviewers.
  { name: "reviewer from the queue", user: rev, relation: "reviewer", task: { stage: "submitted", ...submittedBy("ann") }, actions: ["start_review", "critique"], writes: ["draft", "critique"] },
  { name: "reviewer, another is assigned", user: rev2, relation: "reviewer", task: { stage: "submitted", reviewerId: "rev", ...submittedBy("ann") }, actions: ["critique"], writes: ["draft", "critique"] },
  { name: "assigned reviewer in review", user: rev, relation: "reviewer", task: { stage: "in_review", reviewerId: "rev", ...submittedBy("ann") }, actions: ["release_review", "approve", "fix_and_approve", "reject_and_redo", "record_catch", "critique"], writes: ["draft", "critique"] },
  { name: "reviewer after approval", user: rev, relation: "reviewer", task: { stage: "approved", reviewerId: "rev", ...submittedBy("ann") }, actions: [], writes: [] },
  // After a rejection the annotator redoes the work and the task's reviewer reviews the resubmission (issue 14).
  { name: "reviewer after rejecting", user: rev, relation: "reviewer", task: { stage: "rejected", reviewerId: "rev", ...submittedBy("ann") }, actions: [], writes: [] },
  { name: "annotator after the rejection", user: ann, relation: "annotator", task: { stage: "rejected", reviewerId: "rev", ...submittedBy("ann") }, actions: ["relabel", "redo", "polish", "dispute_catch"], writes: [] },
  { name: "annotator redoing, critiquing", user: ann, relation: "annotator", task: { stage: "critiquing", reviewerId: "rev", ...submittedBy("ann") }, actions: ["relabel", "score_perfect", "request_revision", "score", "critique", "polish", "dispute_catch"], writes: ["critique"] },
  { name: "annotator relabelling after the rejection", user: ann, relation: "annotator", task: { stage: "labelling", reviewerId: "rev", ...submittedBy("ann") }, actions: ["finish_labelling", "label", "request_draft", "critique", "polish", "dispute_catch"], writes: ["critique"], panels: ["labelling", "review", "catches", "gold_score"] },
  { name: "annotator redoing, refining", user: ann, relation: "annotator", task: { stage: "refining", reviewerId: "rev", ...submittedBy("ann") }, actions: ["request_revision", "submit", "score", "critique", "polish", "dispute_catch"], writes: ["critique"] },
  { name: "reviewer while the annotator redoes", user: rev, relation: "reviewer", task: { stage: "critiquing", reviewerId: "rev", ...submittedBy("ann") }, actions: [], writes: [] },
  { name: "the task's reviewer takes the resubmission", user: rev, relation: "reviewer", task: { stage: "submitted", reviewerId: "rev", authors: ["ann", "ann"] }, actions: ["start_review", "critique"], writes: ["draft", "critique"] },
  { name: "another reviewer may not take the resubmission", user: rev2, relation: "reviewer", task: { stage: "submitted", reviewerId: "rev", authors: ["ann", "ann"] }, actions: ["critique"], writes: ["draft", "critique"] },
  { name: "the task's reviewer decides on the resubmission", user: rev, relation: "reviewer", task: { stage: "in_review", reviewerId: "rev", authors: ["ann", "ann"] }, actions: ["release_review", "approve", "fix_and_approve", "reject_and_redo", "record_catch", "critique"], writes: ["draft", "critique"] },
  { name: "trainee after the rejection", user: trainee, relation: "annotator", task: { stage: "rejected", annotatorId: "trainee", reviewerId: "rev", ...submittedBy("trainee") }, actions: ["relabel", "redo", "polish", "dispute_catch"], writes: [], panels: [...ROOM, "coaching", "gold_score"] },
  // Trainee and trainer.
  { name: "trainee critiquing", user: trainee, relation: "annotator", task: { stage: "critiquing", annotatorId: "trainee" }, actions: ["relabel", "score_perfect", "request_revision", "score", "critique", "polish"], writes: ["critique"], panels: [...ROOM, "coaching", "gold_score"] },
  { name: "trainer of the trainee", user: trainer, relation: "trainer", task: { stage: "critiquing", annotatorId: "trainee" }, actions: ["coach", "score_gold"], writes: [], panels: [...ROOM, "coaching", "gold_score"] },
  { name: "trainer, trainee submitted", user: trainer, relation: "trainer", task: { stage: "submitted", annotatorId: "trainee", ...submittedBy("trainee") }, actions: ["coach", "score_gold"], writes: [] },
  // Leads and admins: repair anything, decide on others' work, never on their own.
  { name: "lead labelling", user: lead, relation: "lead", task: { stage: "labelling" }, actions: ["finish_labelling", "label", "request_draft", "resolve_dispute", "critique", "score_gold"], writes: ["draft", "critique"], panels: ["labelling", "review", "catches", "video_description", "gold_score"] },
  { name: "lead critiquing", user: lead, relation: "lead", task: { stage: "critiquing" }, actions: ["critique", "resolve_dispute", "score_gold"], writes: ["draft", "critique"] },
  { name: "lead submitted", user: lead, relation: "lead", task: { stage: "submitted", ...submittedBy("ann") }, actions: ["start_review", "resolve_dispute", "critique", "score_gold"], writes: ["draft", "critique"] },
  { name: "lead in review (not the reviewer)", user: lead, relation: "lead", task: { stage: "in_review", reviewerId: "rev", ...submittedBy("ann") }, actions: ["release_review", "approve", "fix_and_approve", "reject_and_redo", "resolve_dispute", "critique", "score_gold"], writes: ["draft", "critique"] },
  { name: "admin approved", user: admin, relation: "admin", task: { stage: "approved", reviewerId: "rev", ...submittedBy("ann") }, actions: ["reopen", "critique", "resolve_dispute", "score_gold"], writes: ["draft", "critique"] },
  // The redo is the trainee's: staff repair the room but do not redo for them.
  { name: "admin on a trainee's task", user: admin, relation: "admin", task: { stage: "rejected", annotatorId: "trainee", reviewerId: "rev", ...submittedBy("trainee") }, actions: ["critique", "resolve_dispute", "score_gold"], writes: ["draft", "critique"], panels: [...ROOM, "coaching", "video_description", "gold_score"] },
  // Own work: a lead who annotated the task is its worker, and cannot review it.
  { name: "lead's own work, submitted", user: lead, relation: "lead", task: { stage: "submitted", annotatorId: "lead", ...submittedBy("lead") }, actions: ["withdraw", "polish", "critique", "dispute_catch", "resolve_dispute", "score_gold"], writes: ["draft", "critique"] },
  { name: "lead's own work, in review", user: lead, relation: "lead", task: { stage: "in_review", annotatorId: "lead", reviewerId: "rev", ...submittedBy("lead") }, actions: ["polish", "critique", "dispute_catch", "resolve_dispute", "score_gold"], writes: ["draft", "critique"] },
];

describe("task abilities: roles × relations × stages", () => {
  it.each(TABLE)("$name", (row) => {
    const a = computeTaskAbilities(facts(row.user, row.relation, row.task));
    expect(sorted(a.actions)).toEqual(sorted(row.actions));
    expect(a.roomWrites).toEqual(row.writes);
    if (row.panels) expect(sorted(a.panels)).toEqual(sorted(row.panels));
  });

  it("says in words why a room is read-only, exactly when it is", () => {
    for (const r of TASK_RELATIONS) for (const s of STAGES) {
      const reason = readOnlyReason(r, s);
      expect(reason === null).toBe(roomWrites(r, s).length > 0);
      if (reason) expect(reason).toMatch(/^Read only: /);
    }
    expect(readOnlyReason("annotator", "submitted")).toBe("Read only: the task is submitted, so your work is handed in.");
    expect(readOnlyReason("trainer", "critiquing")).toMatch(/trainers watch/);
    expect(readOnlyReason("reviewer", "critiquing")).toMatch(/still working \(critiquing\)/);
  });

  it("people never write the server's fields", () => {
    for (const r of TASK_RELATIONS) for (const s of STAGES) {
      for (const f of roomWrites(r, s)) expect(["draft", "critique"]).toContain(f);
    }
  });

  it("gold scores are read by the task's annotator and their trainers, scored by trainers, leads and admins", () => {
    for (const row of TABLE) {
      const a = computeTaskAbilities(facts(row.user, row.relation, row.task));
      expect(a.panels.includes("gold_score")).toBe(row.relation !== "reviewer");
      expect(a.actions.includes("score_gold")).toBe(["trainer", "lead", "admin"].includes(row.relation));
    }
  });

  it("only leads and admins see the clip notes", () => {
    for (const row of TABLE) {
      const sees = computeTaskAbilities(facts(row.user, row.relation, row.task)).panels.includes("video_description");
      expect(sees).toBe(row.user.role === "lead" || row.user.role === "admin");
    }
  });
});

describe("review rules", () => {
  const t = { annotatorId: "ann", reviewerId: "rev", workerId: "ann" };
  it("nobody reviews their own work; a task with a reviewer (a resubmission too) stays theirs", () => {
    expect(startReviewRefusal(ann, { ...t, reviewerId: null })).toBe("You cannot review your own work.");
    expect(startReviewRefusal(trainer, { ...t, reviewerId: null })).toBe("Only reviewers, leads and admins review tasks.");
    expect(startReviewRefusal(rev2, t)).toBe("Another reviewer is assigned to this task.");
    expect(startReviewRefusal(rev, t)).toBeNull();
    expect(startReviewRefusal(rev2, { ...t, reviewerId: null })).toBeNull();
    expect(startReviewRefusal(lead, t)).toBeNull();
    // The worker of the version under review stays its worker after the task is handed to another annotator.
    const lead2 = { id: "lead2", role: "lead" as const };
    expect(startReviewRefusal(lead2, { ...t, annotatorId: "ann2", workerId: "lead2" })).toBe("You cannot review your own work.");
  });
  it("decisions: the assigned reviewer or staff, never the worker", () => {
    expect(decisionRefusal(rev, t)).toBeNull();
    expect(decisionRefusal(rev2, t)).toBe("Only the task's reviewer decides on it.");
    expect(decisionRefusal(admin, t)).toBeNull();
    expect(decisionRefusal({ id: "ann", role: "lead" }, t)).toBe("You cannot review your own work.");
  });
  it("disputes: the caught worker disputes, a lead who is no party rules", () => {
    expect(disputeRefusal(ann, "ann")).toBeNull();
    expect(disputeRefusal(rev, "ann")).not.toBeNull();
    expect(resolveRefusal(rev)).toBe("Only a lead adjudicates disputes.");
    expect(resolveRefusal(lead, { reviewerId: "rev", workerId: "ann" })).toBeNull();
    expect(resolveRefusal(lead, { reviewerId: "lead", workerId: "ann" })).toBe("You are a party to this catch: another lead must adjudicate it.");
  });
});

/** The room rule before abilities (shared/collab/permissions.ts canWriteDocument), kept as the oracle. */
function oldCanWriteDocument(relation: TaskRelation, stage: Stage): boolean {
  switch (relation) {
    case "lead":
    case "admin":
      return true;
    case "annotator":
      return ["labelling", "drafting", "critiquing", "revising", "refining"].includes(stage);
    case "reviewer":
      return ["submitted", "in_review"].includes(stage);
    case "trainer":
      return false;
  }
}

const writes = (relation: TaskRelation, stage: Stage) => roomWrites(relation, stage).length > 0;

describe("room writes agree with the old write rule", () => {
  it("for every relation and stage", () => {
    for (const r of TASK_RELATIONS) for (const s of STAGES) expect([r, s, writes(r, s)]).toEqual([r, s, oldCanWriteDocument(r, s)]);
  });

  it("in the computed abilities too, whoever holds the relation", () => {
    const holders: Record<TaskRelation, Person> = { annotator: ann, reviewer: rev, trainer, lead, admin };
    for (const r of TASK_RELATIONS) for (const s of STAGES) {
      const a = computeTaskAbilities(facts(holders[r], r, { stage: s, reviewerId: r === "reviewer" ? "rev" : null }));
      expect(a.roomWrites.length > 0).toBe(oldCanWriteDocument(r, s));
    }
  });

  // Moved from shared/collab/collab.test.ts ("write permission by relation × stage") with the rule it tested.
  it("write permission by relation × stage", () => {
    expect(writes("annotator", "critiquing")).toBe(true);
    expect(writes("annotator", "submitted")).toBe(false);
    expect(writes("reviewer", "critiquing")).toBe(false);
    expect(writes("reviewer", "in_review")).toBe(true);
    for (const s of STAGES) {
      expect(writes("trainer", s)).toBe(false);
      expect(writes("lead", s)).toBe(true);
      expect(writes("admin", s)).toBe(true);
    }
  });
});
