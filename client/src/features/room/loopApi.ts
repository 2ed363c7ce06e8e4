import {
  ActionsResponse,
  DraftResponse,
  LOOP_PATHS,
  ReviseResponse,
  RoundListResponse,
  ScoreResponse,
  TransitionResponse,
  type ScoreBody,
  type TransitionBody,
} from "../../../../shared/api/loop";
import type { Stage } from "../../../../shared/domain/stages";
import type { PersonStageAction } from "../../../../shared/stage/machine";
import { get, post, put } from "../../app/api";

/** The CHAI loop's requests from the task page and the room (server side: shared/api/loop.ts). */
export const loopApi = {
  rounds: (taskId: string, signal?: AbortSignal) => get(LOOP_PATHS.rounds(taskId), { schema: RoundListResponse, signal }),
  actions: (taskId: string, signal?: AbortSignal) => get(LOOP_PATHS.actions(taskId), { schema: ActionsResponse, signal }),
  score: (taskId: string, score: number) => put(LOOP_PATHS.score(taskId), { score } satisfies ScoreBody, { schema: ScoreResponse }),
  revise: (taskId: string) => post(LOOP_PATHS.revise(taskId), undefined, { schema: ReviseResponse }),
  /** Labelling is finished: the model writes the draft from the labels (202; the draft arrives in the room). */
  draft: (taskId: string) => post(LOOP_PATHS.draft(taskId), undefined, { schema: DraftResponse }),
  /** A stage move, refused (409) when the task is no longer where this page saw it. */
  transition: (taskId: string, action: PersonStageAction, expectedStage: Stage) =>
    post(LOOP_PATHS.transition(taskId), { action, expectedStage } satisfies TransitionBody, { schema: TransitionResponse }),
};
