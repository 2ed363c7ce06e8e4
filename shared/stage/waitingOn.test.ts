import { describe, expect, it } from "vitest";
import { STAGES, type Stage } from "../domain/stages";
import { PERSON_STAGE_ACTIONS, SYSTEM_ACTIONS, WAITING_ON, permits, type StageActor } from "./machine";

const SYSTEM: StageActor = { kind: "system" };
const WORKER: StageActor = { kind: "user", role: "annotator", relation: "worker" };
const REVIEWER: StageActor = { kind: "user", role: "reviewer", relation: "reviewer" };
/** A reviewer with no tie to the task: one who may pick a submitted task from the queue. */
const ANY_REVIEWER: StageActor = { kind: "user", role: "reviewer", relation: "none" };

const systemMoves = (s: Stage) => SYSTEM_ACTIONS.filter((a) => permits(s, a, SYSTEM));
const personMoves = (s: Stage, actor: StageActor) => PERSON_STAGE_ACTIONS.filter((a) => permits(s, a, actor));

describe("WAITING_ON", () => {
  it("covers every stage, and no stage waits on the lead (leads are waited on for assignment and disputes)", () => {
    expect(Object.keys(WAITING_ON).sort()).toEqual([...STAGES].sort());
    expect(STAGES.filter((s) => WAITING_ON[s] === "lead")).toEqual([]);
  });

  it.each([...STAGES])("%s agrees with the machine's rules", (stage) => {
    const waiting = WAITING_ON[stage];
    const system = systemMoves(stage);
    const worker = personMoves(stage, WORKER);
    const reviewer = [...new Set([...personMoves(stage, REVIEWER), ...personMoves(stage, ANY_REVIEWER)])];
    // A stage the server leaves by itself waits on the model, and only such a stage does.
    expect(waiting === "model", `${stage}: system moves ${system.join(", ")}`).toBe(system.length > 0);
    if (waiting === "model") {
      // What a person may do there only restarts the model's work (a revision asked again), never moves it on.
      expect(worker.every((a) => a === "request_revision")).toBe(true);
      expect(reviewer).toEqual([]);
    }
    if (waiting === "annotator") {
      expect(worker.length, `${stage}: the worker has a move`).toBeGreaterThan(0);
      expect(reviewer, `${stage}: a reviewer has no move while the annotator works (a rejected task included)`).toEqual([]);
    }
    if (waiting === "reviewer") expect(reviewer.length, `${stage}: a reviewer has a move`).toBeGreaterThan(0);
    if (waiting === "nobody") expect([...system, ...worker, ...reviewer]).toEqual([]);
  });
});
