import { z } from "zod";
import { Aspect } from "../domain";
import { Stage } from "../domain/stages";
import { Id, IsoDate, PersonRef, taskPath } from "./common";
import { VideoMeta } from "./videos";
import { TaskAbilities } from "./abilities";

/** The video fields a task list row needs to render without a second request. */
export const TaskVideoBrief = z.object({
  title: z.string(),
  durationSec: z.number().nullable(),
  fps: z.number().nullable(),
});
export type TaskVideoBrief = z.infer<typeof TaskVideoBrief>;

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

/** GET /api/tasks query. Every filter is optional; unknown values are a 400, not an empty list. */
export const TaskListQuery = z
  .object({
    aspect: Aspect.optional(),
    stage: Stage.optional(),
    annotatorId: Id.optional(),
    reviewerId: Id.optional(),
    projectId: Id.optional(),
    videoId: Id.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(500),
  })
  .strict();
export type TaskListQuery = z.infer<typeof TaskListQuery>;

/** GET /api/projects. */
export const ProjectSummary = z.object({ id: Id, name: z.string(), createdAt: IsoDate });
export type ProjectSummary = z.infer<typeof ProjectSummary>;
export const ProjectListResponse = z.array(ProjectSummary);
export type ProjectListResponse = z.infer<typeof ProjectListResponse>;

/** Request paths of tasks and projects. */
export const TASK_PATHS = {
  list: "/api/tasks",
  one: taskPath,
  projects: "/api/projects",
} as const;
