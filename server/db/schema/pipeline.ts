import { index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { tasks } from "./tasks";
import { users } from "./people";

/** A model draft (pre-caption) of a task. */
export const drafts = pgTable(
  "drafts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    text: text("text").notNull(),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    promptHash: text("prompt_hash").notNull(),
    usage: jsonb("usage").$type<Record<string, number>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("drafts_task_idx").on(t.taskId)],
);

/** One revision round: the critique as it stood, the model's post-caption, and how it was made. */
export const rounds = pgTable(
  "rounds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    n: integer("n").notNull(),
    requestedBy: uuid("requested_by").references(() => users.id),
    status: text("status").$type<"running" | "done" | "failed" | "cancelled">().notNull(),
    critique: jsonb("critique").$type<unknown[]>().notNull(),
    critiqueText: text("critique_text").notNull(),
    postCaption: text("post_caption"),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    promptHash: text("prompt_hash").notNull(),
    /** Best-of-N: the other candidates with their reward scores. */
    candidates: jsonb("candidates").$type<unknown[]>(),
    usage: jsonb("usage").$type<Record<string, number>>(),
    error: text("error"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    firstTokenAt: timestamp("first_token_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [unique("rounds_task_n").on(t.taskId, t.n)],
);

/**
 * A submitted version of a task's work, frozen out of the live document: the annotator's at submit, the
 * reviewer's after reject-and-redo. A rejected annotator version is kept as a negative example for export.
 */
export const taskVersions = pgTable(
  "task_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    authorRole: text("author_role").$type<"annotator" | "reviewer">().notNull(),
    preCaption: text("pre_caption").notNull(),
    score: integer("score"),
    critique: jsonb("critique").$type<unknown[]>().notNull(),
    critiqueText: text("critique_text").notNull(),
    polishedCritiqueText: text("polished_critique_text"),
    postCaption: text("post_caption").notNull(),
    negative: text("negative").$type<"no" | "rejected">().notNull().default("no"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("task_versions_task_idx").on(t.taskId)],
);
