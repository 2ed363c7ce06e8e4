import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, instant } from "./columns";
import { userRef } from "./people";

/** A background job's life: waiting, being worked, and how it ended. */
export type JobState = "queued" | "running" | "done" | "failed" | "cancelled";

/**
 * Background jobs (dataset exports, batch drafting) as people see them: what was asked, how far it got, how it
 * ended. Every process reads and writes the same rows, so any process answers for a job another one runs. Which
 * process works a job is the job queue's business (server/jobs): pg-boss's own tables on PostgreSQL, this process
 * on the embedded database; a row's id is also its pg-boss job id.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: id(),
    /** The kind of job ("export", "draft-batch"): which handler runs it. */
    name: text("name").notNull(),
    state: text("state").$type<JobState>().notNull().default("queued"),
    /** Two unfinished jobs of a name never share a key: a second start joins the first. */
    singletonKey: text("singleton_key"),
    input: jsonb("input").notNull(),
    progress: jsonb("progress").notNull(),
    result: jsonb("result"),
    /** Why it failed, in words for the person who started it (details go to the server log). */
    error: text("error"),
    /** Times a worker has started it: more than one after a worker died mid-job and another took it over. */
    attempts: integer("attempts").notNull().default(0),
    createdBy: userRef("created_by"),
    createdAt: createdAt(),
    startedAt: instant("started_at"),
    finishedAt: instant("finished_at"),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("jobs_singleton_idx")
      .on(t.name, t.singletonKey)
      .where(sql`${t.state} in ('queued', 'running')`),
    index("jobs_name_created_idx").on(t.name, t.createdAt),
  ],
);
