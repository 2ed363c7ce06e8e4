import { ActionsResponse, LOOP_PATHS, ReviseResponse, RoundListResponse, ScoreResponse, type ScoreBody } from "../../../../shared/api/loop";
import { get, post, put } from "../../app/api";

/** The CHAI loop's requests from the room (server side: shared/api/loop.ts). */
export const loopApi = {
  rounds: (taskId: string, signal?: AbortSignal) => get(LOOP_PATHS.rounds(taskId), { schema: RoundListResponse, signal }),
  actions: (taskId: string, signal?: AbortSignal) => get(LOOP_PATHS.actions(taskId), { schema: ActionsResponse, signal }),
  score: (taskId: string, score: number) => put(LOOP_PATHS.score(taskId), { score } satisfies ScoreBody, { schema: ScoreResponse }),
  revise: (taskId: string) => post(LOOP_PATHS.revise(taskId), undefined, { schema: ReviseResponse }),
};
