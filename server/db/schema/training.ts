import { boolean, doublePrecision, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { taskRecord, tasks } from "./tasks";
import { userRef } from "./people";

export const exams = pgTable("exams", {
  id: id(),
  name: text("name").notNull(),
  passThreshold: doublePrecision("pass_threshold").notNull(),
  createdBy: userRef("created_by"),
  createdAt: createdAt(),
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
  ...taskRecord(),
  goldTaskId: uuid("gold_task_id")
    .notNull()
    .references(() => tasks.id),
  traineeId: userRef("trainee_id").notNull(),
  examId: uuid("exam_id").references(() => exams.id),
  precision: doublePrecision("precision").notNull(),
  recall: doublePrecision("recall").notNull(),
  constructiveShare: doublePrecision("constructive_share").notNull(),
  passed: boolean("passed"),
  details: jsonb("details").$type<unknown>().notNull(),
  createdAt: createdAt(),
});

/** Private trainer → trainee notes. Never part of the shared room document, never exported. */
export const coachingNotes = pgTable("coaching_notes", {
  ...taskRecord(),
  trainerId: userRef("trainer_id").notNull(),
  traineeId: userRef("trainee_id").notNull(),
  anchor: jsonb("anchor").$type<unknown>(),
  quote: text("quote"),
  timeStart: doublePrecision("time_start"),
  timeEnd: doublePrecision("time_end"),
  body: text("body").notNull(),
  createdAt: createdAt(),
});
