import { z } from "zod";
import { RoomField } from "../room/layout";
import { PERSON_STAGE_ACTIONS } from "../stage/machine";

/**
 * What the caller may do, computed on the server by each resource's policy (server/resources/<resource>/policy.ts) and sent to the client, which
 * shows exactly this and never re-derives it (the Outline `presentPolicies` pattern). Guards that depend on the
 * room's live content (a score, the number of critique items, a finished revision) are checked when the action is
 * taken: an ability here means "this person, at this stage, may ask"; the server may still answer 409 with a reason.
 */

/**
 * Things a person can do to one task: the stage moves a person may ask for (the machine's names, shared/stage),
 * and the actions the stage machine does not know. Labelling comes first, as it does in the work.
 */
export const TASK_ACTIONS = [
  "label",
  ...PERSON_STAGE_ACTIONS,
  ...["request_draft", "score", "critique", "polish"], // the loop
  ...["record_catch", "dispute_catch", "resolve_dispute"], // review
  ...["coach", "score_gold"], // training
] as const;
export const TaskAction = z.enum(TASK_ACTIONS);
export type TaskAction = z.infer<typeof TaskAction>;

/** Parts of the task page a person sees. */
export const TASK_PANELS = ["labelling", "room", "rounds", "review", "catches", "coaching", "gold_score", "video_description"] as const;
export const TaskPanel = z.enum(TASK_PANELS);
export type TaskPanel = z.infer<typeof TaskPanel>;

export const TaskAbilities = z.object({
  actions: z.array(TaskAction),
  /** Top-level fields of the room document this person may change now (shared/room). Empty = read-only room. */
  roomWrites: z.array(RoomField),
  /** Why the room is read-only for this person now, in words (null when they may write). */
  readOnlyReason: z.string().max(300).nullable(),
  panels: z.array(TaskPanel),
});
export type TaskAbilities = z.infer<typeof TaskAbilities>;

/** Pages and app-wide powers of a signed-in person (sent with GET /api/me). */
export const APP_PAGES = ["queue", "spec", "trainer", "dashboard", "tasks", "figures", "diffs", "exports", "disputes", "projects", "users", "audit"] as const;
export const AppPage = z.enum(APP_PAGES);
export type AppPage = z.infer<typeof AppPage>;

export const APP_ACTIONS = ["filter_by_person", "edit_reward_rules", "see_video_descriptions", "promote_trainee", "create_exam", "edit_projects", "assign_tasks", "upload_clips", "draft_batches"] as const;
export const AppAction = z.enum(APP_ACTIONS);
export type AppAction = z.infer<typeof AppAction>;

/** The task lists a person's queue offers, first = the default one. */
export const QUEUE_VIEWS = ["mine", "to_review", "assigned", "trainees", "all"] as const;
export const QueueViewKey = z.enum(QUEUE_VIEWS);
export type QueueViewKey = z.infer<typeof QueueViewKey>;

export const AppAbilities = z.object({ pages: z.array(AppPage), actions: z.array(AppAction), queues: z.array(QueueViewKey) });
export type AppAbilities = z.infer<typeof AppAbilities>;
