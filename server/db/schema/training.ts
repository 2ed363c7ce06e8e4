import { boolean, doublePrecision, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tasks } from "./tasks";
import { users } from "./people";

export const exams = pgTable("exams", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  passThreshold: doublePrecision("pass_threshold").notNull(),
  createdBy: uuid("created_by").references(() => users.id),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const examGoldTasks = pgTable(
  "exam_gold_tasks",
  {
    examId: uuid("exam_id")
      .notNull()
      .references(() => exams.id, { onDelete: "cascade" }),
    goldTaskId: uuid("gold_task_id")
      .notNull()
      .references(() => tasks.id),
  },
  (t) => [primaryKey({ columns: [t.examId, t.goldTaskId] })],
);

/** A trainee's attempt at one gold task, scored on submit against the gold answer key. */
export const goldScores = pgTable("gold_scores", {
  id: uuid("id").primaryKey().defaultRandom(),
  taskId: uuid("task_id")
    .notNull()
    .references(() => tasks.id, { onDelete: "cascade" }),
  goldTaskId: uuid("gold_task_id")
    .notNull()
    .references(() => tasks.id),
  traineeId: uuid("trainee_id")
    .notNull()
    .references(() => users.id),
  examId: uuid("exam_id").references(() => exams.id),
  precision: doublePrecision("precision").notNull(),
  recall: doublePrecision("recall").notNull(),
  constructiveShare: doublePrecision("constructive_share").notNull(),
  passed: boolean("passed"),
  details: jsonb("details").$type<unknown>().notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Private trainer → trainee notes. Never part of the shared room document, never exported. */
export const coachingNotes = pgTable("coaching_notes", {
  id: uuid("id").primaryKey().defaultRandom(),
  taskId: uuid("task_id")
    .notNull()
    .references(() => tasks.id, { onDelete: "cascade" }),
  trainerId: uuid("trainer_id")
    .notNull()
    .references(() => users.id),
  traineeId: uuid("trainee_id")
    .notNull()
    .references(() => users.id),
  anchor: jsonb("anchor").$type<unknown>(),
  quote: text("quote"),
  timeStart: doublePrecision("time_start"),
  timeEnd: doublePrecision("time_end"),
  body: text("body").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
