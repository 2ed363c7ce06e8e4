import { bigint, bigserial, index, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, instant } from "./columns";
import { bytea } from "./types";

/** Per-room append-only log of Yjs updates; an update is acknowledged as saved only once its row is committed. */
export const docUpdates = pgTable(
  "doc_updates",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    room: text("room").notNull(),
    update: bytea("update").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("doc_updates_room_idx").on(t.room, t.id)],
);

/** The compacted state of a room: every update with id ≤ lastUpdateId is merged into `state`. */
export const docSnapshots = pgTable("doc_snapshots", {
  room: text("room").primaryKey(),
  state: bytea("state").notNull(),
  lastUpdateId: bigint("last_update_id", { mode: "number" }).notNull(),
  updatedAt: instant("updated_at").notNull().defaultNow(),
});
