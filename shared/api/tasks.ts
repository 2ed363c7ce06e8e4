import { z } from "zod";
import { Aspect, CatchKind, ErrorType } from "../domain";
import { Stage } from "../domain/stages";
import { Id, IsoDate, PersonRef, taskPath } from "./common";
import { VideoMeta } from "./videos";
import { TaskAbilities } from "./abilities";
import { IsoDay } from "./dashboard";

/** The most rows one task list answers; a longer list is narrowed by its filters. */
export const MAX_TASK_LIST = 1000;

/** The video fields a task list row needs to render without a second request. */
export const TaskVideoBrief = z.object({
  title: z.string(),
  durationSec: z.number().nullable(),
  fps: z.number().nullable(),
});
export type TaskVideoBrief = z.infer<typeof TaskVideoBrief>;

/** The exam a task is an attempt at (server/training/exams.ts records which task answers which exam). */
export const TaskExamRef = z.object({ id: Id, name: z.string() });
export type TaskExamRef = z.infer<typeof TaskExamRef>;

/** One row of GET /api/tasks. */
export const TaskSummary = z.object({
  id: Id,
  videoId: Id,
  projectId: Id,
  aspect: Aspect,
  stage: Stage,
  annotator: PersonRef.nullable(),
  reviewer: PersonRef.nullable(),
  isGold: z.boolean(),
  score: z.number().int().nullable(),
  specVersion: z.string(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
  submittedAt: IsoDate.nullable(),
  reviewedAt: IsoDate.nullable(),
  video: TaskVideoBrief,
  /** Set when the task is a trainee's attempt at an exam: the queue and the room say so, a submit leads to feedback. */
  exam: TaskExamRef.nullable(),
});
export type TaskSummary = z.infer<typeof TaskSummary>;
export const TaskListResponse = z.array(TaskSummary);
export type TaskListResponse = z.infer<typeof TaskListResponse>;

/** How the caller relates to a task; decides what they may do with it. */
export const TASK_RELATIONS = ["annotator", "reviewer", "trainer", "lead", "admin"] as const;
export const TaskRelation = z.enum(TASK_RELATIONS);
export type TaskRelation = z.infer<typeof TaskRelation>;

/** GET /api/tasks/:id: the summary plus the full video metadata and the caller's relation to the task. */
export const TaskDetail = TaskSummary.extend({
  video: VideoMeta,
  projectName: z.string(),
  relation: TaskRelation,
  /** What the caller may do with this task now (server/resources/tasks/policy.ts). */
  abilities: TaskAbilities,
});
export type TaskDetail = z.infer<typeof TaskDetail>;

/**
 * What a lead's task list can be narrowed to: the tasks behind a dashboard figure, each counted at one event.
 *   final       the task's final version (the newest not rejected) was frozen in the range   (+ errorType)
 *   annotated   the annotator's first version was frozen in the range (precision and recall)
 *   submitted   the task was sent to review in the range (throughput)
 *   left_stage  the task left `leftStage` in the range (minutes per stage)
 *   catch       a catch, not overturned, was recorded on it in the range             (+ catchKind)
 */
export const TASK_EVENTS = ["final", "annotated", "submitted", "left_stage", "catch"] as const;
export const TaskEvent = z.enum(TASK_EVENTS);
export type TaskEvent = z.infer<typeof TaskEvent>;

const flag = z.enum(["true", "false"], { error: 'must be "true" or "false"' });

/** GET /api/tasks query keys. Every filter is optional; unknown values are a 400, not an empty list. */
export const TaskListFilters = z.strictObject({
  aspect: Aspect.optional(),
  stage: Stage.optional(),
  annotatorId: Id.optional(),
  reviewerId: Id.optional(),
  projectId: Id.optional(),
  videoId: Id.optional(),
  // Leads and admins only (LEAD_TASK_FILTERS): the tasks behind a dashboard figure.
  event: TaskEvent.optional(),
  /** Days, inclusive, of the event. */
  from: IsoDay.optional(),
  to: IsoDay.optional(),
  errorType: ErrorType.optional(),
  catchKind: CatchKind.optional(),
  leftStage: Stage.optional(),
  /** "true": only tasks whose clip and aspect another annotator also labelled (the agreement sample). */
  overlap: z.literal("true", { error: 'can only be "true"' }).optional(),
  /** "false" leaves gold tasks (answer keys) out, as every dashboard figure does; "true" lists only them. */
  gold: flag.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_TASK_LIST).default(500),
});

/** The keys only leads and admins may use (the "tasks" page of the app policy). */
export const LEAD_TASK_FILTERS = ["event", "from", "to", "errorType", "catchKind", "leftStage", "overlap", "gold"] as const;

/** Each event's own key, which needs it. */
const EVENT_KEYS = { errorType: "final", catchKind: "catch", leftStage: "left_stage" } as const;

export const TaskListQuery = TaskListFilters.superRefine((q, ctx) => {
  if ((q.from || q.to) && !q.event) {
    ctx.addIssue({ code: "custom", path: ["event"], message: `A date range needs an event to date: event must be one of ${TASK_EVENTS.join(", ")}.` });
  }
  if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: "custom", path: ["from"], message: `The range starts (${q.from}) after it ends (${q.to}).` });
  for (const [key, event] of Object.entries(EVENT_KEYS) as [keyof typeof EVENT_KEYS, TaskEvent][]) {
    if (q[key] && q.event !== event) ctx.addIssue({ code: "custom", path: [key], message: `${key} filters only with event=${event}.` });
  }
  if (q.event === "left_stage" && !q.leftStage) ctx.addIssue({ code: "custom", path: ["leftStage"], message: "event=left_stage needs leftStage, the stage the tasks left." });
});
export type TaskListQuery = z.infer<typeof TaskListQuery>;
/** The query as a link or a client call carries it: every key optional. */
export type TaskListFilter = Partial<TaskListQuery>;

/** GET /api/projects. */
export const ProjectSummary = z.object({ id: Id, name: z.string(), createdAt: IsoDate });
export type ProjectSummary = z.infer<typeof ProjectSummary>;
export const ProjectListResponse = z.array(ProjectSummary);
export type ProjectListResponse = z.infer<typeof ProjectListResponse>;

/** Request paths of tasks and projects. */
/** GET /api/tasks/next?after=<id>: the next task waiting on the caller, or null when nothing is. */
export const NextTaskQuery = z.strictObject({ after: Id.optional() });
export type NextTaskQuery = z.infer<typeof NextTaskQuery>;
export const NextTaskResponse = z.object({ task: TaskSummary.nullable() });
export type NextTaskResponse = z.infer<typeof NextTaskResponse>;

export const TASK_PATHS = {
  list: "/api/tasks",
  next: "/api/tasks/next",
  one: taskPath,
  projects: "/api/projects",
} as const;
