import { useCallback } from "react";
import { useAction } from "../../ui/useAction";
import { loopApi } from "../room/loopApi";
import type { LabelDraft } from "./useLabelDraft";

export type FinishLabelling = {
  /** The server offers finishing to this person (their abilities), so the control is shown. */
  offered: boolean;
  /** Every required sub-aspect is answered, the facts the aspect needs are named, and nothing is being saved: the
   *  control is enabled. */
  ready: boolean;
  /** Why finishing is not possible yet, in words (shown before anything is sent). */
  blocker: string;
  busy: boolean;
  error: string | null;
  finish(): void;
};

/**
 * Ends labelling: saves what is unsaved, then asks for the draft (labelling → drafting). The server checks the
 * labels again and answers in words when something is missing; on success the page opens the room, where the
 * draft arrives.
 */
export function useFinishLabelling(taskId: string, draft: LabelDraft, offered: boolean, onFinished: () => void): FinishLabelling {
  const action = useAction();
  const ready = offered && draft.validation.canFinish && !draft.saving && !action.busy;
  const problems = draft.validation.problems;
  const blocker =
    draft.factsProblems[0] ??
    problems.find((p) => p.severity === "error")?.message ??
    problems.find((p) => p.code === "needs_subject" || p.code === "needs_setting")?.message ??
    problems[0]?.message ??
    "Answer every required sub-aspect first.";
  const { dirty, save } = draft;
  const { run } = action;
  const finish = useCallback(() => {
    if (!ready) return;
    void run(async () => {
      if (dirty && !(await save())) throw new Error("The labels could not be saved, so labelling is not finished yet.");
      await loopApi.draft(taskId);
      onFinished();
    });
  }, [ready, run, dirty, save, taskId, onFinished]);
  return { offered, ready, blocker, busy: action.busy, error: action.error, finish };
}
