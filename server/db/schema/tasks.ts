import { bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, instant } from "./columns";
import type { Aspect } from "../../../shared/domain";
import type { Stage } from "../../../shared/domain/stages";
import type { CaptionFacts } from "../../../shared/captionFacts";
import { projects, videos } from "./media";
import { userRef } from "./people";

/** One task = one video × one aspect, worked by one annotator (two annotators on one clip are two tasks). */
export const tasks = pgTable(
  "tasks",
  {
    id: id(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id),
    videoId: uuid("video_id")
      .notNull()
      .references(() => videos.id),
    aspect: text("aspect").$type<Aspect>().notNull(),
    stage: text("stage").$type<Stage>().notNull().default("labelling"),
    annotatorId: userRef("annotator_id"),
    reviewerId: userRef("reviewer_id"),
    specVersion: text("spec_version").notNull(),
    isGold: boolean("is_gold").notNull().default(false),
    /** The annotator's score of the pre-caption, 1–5 (5 = perfect). */
    score: integer("score"),
    /** The subjects and setting named in the labelling step (shared/captionFacts.ts); saved with the labels. */
    captionFacts: jsonb("caption_facts").$type<CaptionFacts>().notNull().default({ subjects: [], setting: null }),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
    submittedAt: instant("submitted_at"),
    reviewedAt: instant("reviewed_at"),
  },
  (t) => [
    index("tasks_annotator_idx").on(t.annotatorId),
    index("tasks_reviewer_idx").on(t.reviewerId),
    index("tasks_stage_idx").on(t.stage),
    index("tasks_video_idx").on(t.videoId, t.aspect),
  ],
);

/** The task a row belongs to; the row goes when the task does. */
export const taskRef = () =>
  uuid("task_id")
    .notNull()
    .references(() => tasks.id, { onDelete: "cascade" });

/** The first columns of a record about a task (a draft, a round, a decision, a note): its own id and the task. */
export const taskRecord = () => ({ id: id(), taskId: taskRef() });

/** The annotator's primitive labels: one row per labelled primitive. `value` is the primitive's value kind. */
export const taskLabels = pgTable(
  "task_labels",
  {
    taskId: taskRef(),
    primitiveId: text("primitive_id").notNull(),
    value: jsonb("value").$type<unknown>().notNull(),
    notSure: boolean("not_sure").notNull().default(false),
    timeStart: doublePrecision("time_start"),
    timeEnd: doublePrecision("time_end"),
    note: text("note"),
    labelledBy: userRef("labelled_by").notNull(),
    labelledAt: instant("labelled_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.primitiveId] })],
);

/** Append-only: who did what, when. Stage transitions, logins, decisions, promotions. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: instant("at").notNull().defaultNow(),
    actorId: userRef("actor_id"),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
  },
  // audit_at_idx serves the audit log page: newest first, paged by (at, id).
  (t) => [index("audit_entity_idx").on(t.entityType, t.entityId), index("audit_at_idx").on(t.at, t.id)],
);
