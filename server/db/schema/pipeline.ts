import { index, integer, jsonb, pgTable, text, unique } from "drizzle-orm/pg-core";
import { createdAt, instant } from "./columns";
import { taskRecord } from "./tasks";
import { userRef } from "./people";
import type { RoundStatus } from "../../../shared/domain";
import type { CritiqueItem } from "../../../shared/critique/items";
import type { VersionProvenance } from "../../../shared/dataset/chaiTool";

/** A model draft (pre-caption) of a task. */
export const drafts = pgTable(
  "drafts",
  {
    ...taskRecord(),
    text: text("text").notNull(),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    promptHash: text("prompt_hash").notNull(),
    usage: jsonb("usage").$type<Record<string, number>>(),
    createdAt: createdAt(),
  },
  (t) => [index("drafts_task_idx").on(t.taskId)],
);

/** One revision round: the critique as it stood, the model's post-caption, and how it was made. */
export const rounds = pgTable(
  "rounds",
  {
    ...taskRecord(),
    n: integer("n").notNull(),
    requestedBy: userRef("requested_by"),
    status: text("status").$type<RoundStatus>().notNull(),
    critique: jsonb("critique").$type<CritiqueItem[]>().notNull(),
    critiqueText: text("critique_text").notNull(),
    postCaption: text("post_caption"),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    promptHash: text("prompt_hash").notNull(),
    /** Best-of-N: the other candidates with their reward scores. */
    candidates: jsonb("candidates").$type<unknown[]>(),
    usage: jsonb("usage").$type<Record<string, number>>(),
    /** The failure's message only (the partial text is in partial_text). */
    error: text("error"),
    /** A failed round: what the model streamed before it stopped. Never a caption: no caption reader looks here. */
    partialText: text("partial_text"),
    startedAt: instant("started_at").notNull().defaultNow(),
    firstTokenAt: instant("first_token_at"),
    finishedAt: instant("finished_at"),
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
    ...taskRecord(),
    authorId: userRef("author_id").notNull(),
    authorRole: text("author_role").$type<"annotator" | "reviewer">().notNull(),
    preCaption: text("pre_caption").notNull(),
    score: integer("score"),
    critique: jsonb("critique").$type<CritiqueItem[]>().notNull(),
    critiqueText: text("critique_text").notNull(),
    polishedCritiqueText: text("polished_critique_text"),
    postCaption: text("post_caption").notNull(),
    negative: text("negative").$type<"no" | "rejected">().notNull().default("no"),
    /** Imported from the CHAI annotation tool: its workflow fields we hold nowhere else (shared/dataset/chaiTool.ts). */
    provenance: jsonb("provenance").$type<VersionProvenance>(),
    createdAt: createdAt(),
  },
  (t) => [index("task_versions_task_idx").on(t.taskId)],
);
