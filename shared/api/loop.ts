import { z } from "zod";
import { CritiqueItem } from "../critique/items";
import { RoundStatus } from "../domain";
import { Stage } from "../domain/stages";
import { StageAction } from "../stage/machine";
import { Id, IsoDate, taskPath } from "./common";

/**
 * Requests and responses of the CHAI loop API (server/resources/loop/route.ts): stage transitions, the draft score, drafting,
 * revisions and their rounds, polishing a critique.
 */

/** POST /api/tasks/:id/transition. Server-run actions (draft_ready, revision_done…) are refused for users by the machine. */
export const TransitionBody = z.strictObject({
  action: StageAction,
  /** The stage the client believes the task is in; a mismatch is a 409 instead of acting on a stale view. */
  expectedStage: Stage.optional(),
});
export type TransitionBody = z.infer<typeof TransitionBody>;

export const TransitionResponse = z.object({ taskId: Id, action: StageAction, from: Stage, to: Stage });
export type TransitionResponse = z.infer<typeof TransitionResponse>;

/** PUT /api/tasks/:id/score. */
export const ScoreBody = z.strictObject({ score: z.number().int().min(1).max(5) });
export type ScoreBody = z.infer<typeof ScoreBody>;
export const ScoreResponse = z.object({ taskId: Id, score: z.number().int(), stage: Stage });
export type ScoreResponse = z.infer<typeof ScoreResponse>;

/** POST /api/tasks/:id/draft → 202 once drafting has started; the draft arrives in the room. */
export const DraftResponse = z.object({ taskId: Id, stage: Stage });
export type DraftResponse = z.infer<typeof DraftResponse>;

/** POST /api/tasks/:id/revise → 202 with the round being written; the text streams into the room's post-caption. */
export const ReviseResponse = z.object({
  taskId: Id,
  roundId: Id,
  n: z.number().int().min(1),
  /** True when this request joined a revision of the same critique that was already running. */
  joined: z.boolean(),
});
export type ReviseResponse = z.infer<typeof ReviseResponse>;

export const RoundCandidate = z.object({ index: z.number().int(), text: z.string(), score: z.number() });
export type RoundCandidate = z.infer<typeof RoundCandidate>;

/** One revision round as listed (GET /api/tasks/:id/rounds). */
export const RoundSummary = z.object({
  id: Id,
  n: z.number().int(),
  status: RoundStatus,
  requestedBy: Id.nullable(),
  provider: z.string(),
  model: z.string(),
  promptHash: z.string(),
  critiqueText: z.string(),
  postCaption: z.string().nullable(),
  error: z.string().nullable(),
  usage: z.record(z.string(), z.number()).nullable(),
  startedAt: IsoDate,
  firstTokenAt: IsoDate.nullable(),
  finishedAt: IsoDate.nullable(),
  /** finishedAt − startedAt, when finished. */
  durationMs: z.number().nullable(),
});
export type RoundSummary = z.infer<typeof RoundSummary>;
export const RoundListResponse = z.array(RoundSummary);
export type RoundListResponse = z.infer<typeof RoundListResponse>;

/** GET /api/tasks/:id/rounds/:n: the summary plus the critique snapshot, best-of-N candidates and any partial text. */
export const RoundDetail = RoundSummary.extend({
  /** A failed round: the text the model streamed before it stopped (not a caption; `error` holds the message only). */
  partialText: z.string().nullable(),
  critique: z.array(CritiqueItem),
  candidates: z.array(RoundCandidate).nullable(),
});
export type RoundDetail = z.infer<typeof RoundDetail>;

export const RoundParams = z.object({ id: Id, n: z.coerce.number().int().min(1).max(100_000) });

/** POST /api/tasks/:id/polish → the model's tidied critique next to the annotator's own. */
export const PolishResponse = z.object({ taskId: Id, original: z.string(), polished: z.string(), promptHash: z.string() });
export type PolishResponse = z.infer<typeof PolishResponse>;

/** GET /api/tasks/:id/actions: what the caller may do now (the room's buttons); the server re-checks on POST. */
export const ActionsResponse = z.object({ taskId: Id, stage: Stage, actions: z.array(StageAction) });
export type ActionsResponse = z.infer<typeof ActionsResponse>;

/** Request paths of the CHAI loop of one task. */
export const LOOP_PATHS = {
  transition: (taskId: string) => `${taskPath(taskId)}/transition`,
  draft: (taskId: string) => `${taskPath(taskId)}/draft`,
  score: (taskId: string) => `${taskPath(taskId)}/score`,
  revise: (taskId: string) => `${taskPath(taskId)}/revise`,
  rounds: (taskId: string) => `${taskPath(taskId)}/rounds`,
  actions: (taskId: string) => `${taskPath(taskId)}/actions`,
} as const;
