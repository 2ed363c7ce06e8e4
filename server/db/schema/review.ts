import { bigserial, date, doublePrecision, index, integer, jsonb, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, instant } from "./columns";
import type { CatchKind, CatchStatus, Decision, Resolution } from "../../../shared/domain";
import { taskRecord, tasks } from "./tasks";
import { userRef } from "./people";

/** A reviewer's record on a task (a decision, a catch). */
const reviewerRecord = () => ({ ...taskRecord(), reviewerId: userRef("reviewer_id").notNull() });

export const reviewDecisions = pgTable(
  "review_decisions",
  {
    ...reviewerRecord(),
    decision: text("decision").$type<Decision>().notNull(),
    note: text("note").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [index("review_decisions_task_idx").on(t.taskId)],
);

export const catches = pgTable(
  "catches",
  {
    ...reviewerRecord(),
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
    status: text("status").$type<CatchStatus>().notNull().default("open"),
    createdAt: createdAt(),
  },
  (t) => [index("catches_task_idx").on(t.taskId), unique("catches_request_key").on(t.reviewerId, t.requestKey)],
);

export const disputes = pgTable("disputes", {
  id: id(),
  catchId: uuid("catch_id")
    .notNull()
    .references(() => catches.id, { onDelete: "cascade" }),
  raisedBy: userRef("raised_by").notNull(),
  reason: text("reason").notNull(),
  createdAt: createdAt(),
  resolvedBy: userRef("resolved_by"),
  resolution: text("resolution").$type<Resolution>(),
  resolutionNote: text("resolution_note"),
  resolvedAt: instant("resolved_at"),
});

/** Reward rules are data: points per event kind, with effective dates. */
export const rewardRules = pgTable("reward_rules", {
  id: id(),
  rule: text("rule").notNull(),
  points: doublePrecision("points").notNull(),
  effectiveFrom: date("effective_from", { mode: "string" }).notNull(),
  effectiveTo: date("effective_to", { mode: "string" }),
  createdBy: userRef("created_by"),
  createdAt: createdAt(),
});

/** Append-only and written by the server alone. One entry per (rule, event, person); a reversal is a new entry. */
export const rewardLedger = pgTable(
  "reward_ledger",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: userRef("user_id").notNull(),
    rule: text("rule").notNull(),
    eventKey: text("event_key").notNull(),
    points: doublePrecision("points").notNull(),
    taskId: uuid("task_id").references(() => tasks.id),
    catchId: uuid("catch_id").references(() => catches.id),
    reversalOf: integer("reversal_of"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [unique("reward_ledger_event").on(t.userId, t.rule, t.eventKey), index("reward_ledger_user_idx").on(t.userId)],
);
