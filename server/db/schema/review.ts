import {
  bigserial,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import type { CatchKind } from "../../../shared/domain";
import { tasks } from "./tasks";
import { users } from "./people";

export const reviewDecisions = pgTable(
  "review_decisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    reviewerId: uuid("reviewer_id")
      .notNull()
      .references(() => users.id),
    decision: text("decision").$type<"approve" | "fix_and_approve" | "reject_and_redo">().notNull(),
    note: text("note").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("review_decisions_task_idx").on(t.taskId)],
);

export const catches = pgTable(
  "catches",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    reviewerId: uuid("reviewer_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind").$type<CatchKind>().notNull(),
    /** The critique item it names (false flag, non-constructive), by its id in the room document. */
    itemId: text("item_id"),
    anchor: jsonb("anchor").$type<unknown>(),
    quote: text("quote"),
    timeStart: doublePrecision("time_start"),
    timeEnd: doublePrecision("time_end"),
    note: text("note").notNull(),
    /** Client-chosen id so a retried submission is recognised and not recorded (or paid) twice. */
    requestKey: text("request_key").notNull(),
    status: text("status").$type<"open" | "disputed" | "upheld" | "overturned">().notNull().default("open"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("catches_task_idx").on(t.taskId), unique("catches_request_key").on(t.reviewerId, t.requestKey)],
);

export const disputes = pgTable("disputes", {
  id: uuid("id").primaryKey().defaultRandom(),
  catchId: uuid("catch_id")
    .notNull()
    .references(() => catches.id, { onDelete: "cascade" }),
  raisedBy: uuid("raised_by")
    .notNull()
    .references(() => users.id),
  reason: text("reason").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  resolvedBy: uuid("resolved_by").references(() => users.id),
  resolution: text("resolution").$type<"upheld" | "overturned">(),
  resolutionNote: text("resolution_note"),
  resolvedAt: timestamp("resolved_at", { withTimezone: true }),
});

/** Reward rules are data: points per event kind, with effective dates. */
export const rewardRules = pgTable("reward_rules", {
  id: uuid("id").primaryKey().defaultRandom(),
  rule: text("rule").notNull(),
  points: doublePrecision("points").notNull(),
  effectiveFrom: date("effective_from", { mode: "string" }).notNull(),
  effectiveTo: date("effective_to", { mode: "string" }),
  createdBy: uuid("created_by").references(() => users.id),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Append-only and written by the server alone. One entry per (rule, event, person); a reversal is a new entry. */
export const rewardLedger = pgTable(
  "reward_ledger",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    rule: text("rule").notNull(),
    eventKey: text("event_key").notNull(),
    points: doublePrecision("points").notNull(),
    taskId: uuid("task_id").references(() => tasks.id),
    catchId: uuid("catch_id").references(() => catches.id),
    reversalOf: integer("reversal_of"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("reward_ledger_event").on(t.userId, t.rule, t.eventKey), index("reward_ledger_user_idx").on(t.userId)],
);
