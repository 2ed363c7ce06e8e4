import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { instant } from "./columns";
import { taskRef } from "./tasks";
import { rounds } from "./pipeline";

/**
 * The running revision of a task: at most one row per task (the primary key), so every process agrees on which
 * round is the one running. It names the round, the critique it revises (the snapshot key: a press on the same
 * critique joins it), the process running it, and until when that process has promised to be alive: the process
 * renews expires_at while the model streams, and a row past it belongs to a process that stopped, so the next
 * request (or any process's sweep) takes the task over (server/cluster/revisionLeases.ts).
 */
export const revisionLeases = pgTable(
  "revision_leases",
  {
    taskId: taskRef().primaryKey(),
    roundId: uuid("round_id")
      .notNull()
      .unique("revision_leases_round")
      .references(() => rounds.id, { onDelete: "cascade" }),
    snapshotKey: text("snapshot_key").notNull(),
    /** The room's post-caption before the run began streaming over it: put back if the run's process dies. */
    previousPost: text("previous_post").notNull().default(""),
    owner: text("owner").notNull(),
    expiresAt: instant("expires_at").notNull(),
  },
  (t) => [index("revision_leases_expires_idx").on(t.expiresAt)],
);
