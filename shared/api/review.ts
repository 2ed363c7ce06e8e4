import { z } from "zod";
import { CATCH_KINDS, CatchKind, CatchStatus, Decision, Resolution } from "../domain";
import { Id, IsoDate, PersonRef, taskPath } from "./common";

/** Review decisions, catches, disputes, reward rules and figures: the request and response shapes of issue 7. */

export const MAX_NOTE = 2000;
const note = z.string().trim().max(MAX_NOTE);
const seconds = z.number().finite().min(0).max(24 * 3600);

// --- decisions -------------------------------------------------------------------------------------------------

/** A rejection must say why: the annotator reads it live and redoes the work from it (server/review/decisions.ts too). */
export const REJECT_NEEDS_REASON = "Say why the work is rejected: the reason is required for reject and redo.";

export const DecisionRequest = z
  .strictObject({ decision: Decision, note: note.default("") })
  .refine((d) => d.decision !== "reject_and_redo" || d.note.length > 0, {
    message: REJECT_NEEDS_REASON,
    path: ["note"],
  });
export type DecisionRequest = z.infer<typeof DecisionRequest>;

export const ReviewDecisionView = z.object({
  id: Id,
  taskId: Id,
  reviewer: PersonRef,
  decision: Decision,
  note: z.string(),
  createdAt: IsoDate,
});
export type ReviewDecisionView = z.infer<typeof ReviewDecisionView>;

export const DecisionListResponse = z.array(ReviewDecisionView);
export type DecisionListResponse = z.infer<typeof DecisionListResponse>;

export const DecisionResponse = z.object({ decision: ReviewDecisionView, stage: z.string() });
export type DecisionResponse = z.infer<typeof DecisionResponse>;

export const StartReviewResponse = z.object({ taskId: Id, stage: z.string(), reviewerId: Id });
export type StartReviewResponse = z.infer<typeof StartReviewResponse>;

// --- catches ---------------------------------------------------------------------------------------------------

/** A span of the draft as the critique items anchor it (Yjs relative positions, base64) plus the quoted text. */
export const CatchAnchor = z.strictObject({
  start: z.string().min(1).max(512),
  end: z.string().min(1).max(512),
  quote: z.string().max(MAX_NOTE),
});
export type CatchAnchor = z.infer<typeof CatchAnchor>;

/** Kinds that name the critique item they are about. */
export const ITEM_CATCH_KINDS: readonly CatchKind[] = ["false_flag", "non_constructive"];

export const CatchRequest = z
  .strictObject({
    /** Client-chosen, unique per reviewer: a retried or doubled submission records (and pays) once. */
    requestKey: z.string().min(8).max(100),
    kind: CatchKind,
    itemId: z.string().min(1).max(100).optional(),
    anchor: CatchAnchor.optional(),
    quote: z.string().max(MAX_NOTE).optional(),
    timeStart: seconds.optional(),
    timeEnd: seconds.optional(),
    note: note.min(1, "Say what is wrong: a catch needs a note."),
  })
  .superRefine((c, ctx) => {
    if (ITEM_CATCH_KINDS.includes(c.kind) && !c.itemId) {
      ctx.addIssue({ code: "custom", path: ["itemId"], message: "Name the critique item this catch is about." });
    }
    if (c.kind === "missed_error" && !c.anchor && !c.quote && c.timeStart === undefined) {
      ctx.addIssue({ code: "custom", path: ["anchor"], message: "A missed error needs a span of the draft or a time range." });
    }
    if (c.timeStart !== undefined && c.timeEnd !== undefined && c.timeEnd < c.timeStart) {
      ctx.addIssue({ code: "custom", path: ["timeEnd"], message: "The catch's end time is before its start time: swap them." });
    }
    if (c.timeStart === undefined && c.timeEnd !== undefined) {
      ctx.addIssue({ code: "custom", path: ["timeStart"], message: "Give timeStart with timeEnd." });
    }
  });
export type CatchRequest = z.infer<typeof CatchRequest>;

export const DisputeView = z.object({
  id: Id,
  raisedBy: PersonRef,
  reason: z.string(),
  createdAt: IsoDate,
  resolvedBy: PersonRef.nullable(),
  resolution: Resolution.nullable(),
  resolutionNote: z.string().nullable(),
  resolvedAt: IsoDate.nullable(),
});
export type DisputeView = z.infer<typeof DisputeView>;

export const CatchView = z.object({
  id: Id,
  taskId: Id,
  reviewer: PersonRef,
  kind: CatchKind,
  itemId: z.string().nullable(),
  anchor: CatchAnchor.nullable(),
  quote: z.string().nullable(),
  timeStart: z.number().nullable(),
  timeEnd: z.number().nullable(),
  note: z.string(),
  status: CatchStatus,
  createdAt: IsoDate,
  /** Until when the annotator may dispute it. */
  disputeUntil: IsoDate,
  disputes: z.array(DisputeView),
  /** Whether the caller may dispute this catch now (its worker, within the window, while open): the server decides. */
  mayDispute: z.boolean(),
  /** Whether the caller may rule on this catch now (a lead not party to it, while disputed). */
  mayResolve: z.boolean(),
});
export type CatchView = z.infer<typeof CatchView>;
export const CatchListResponse = z.array(CatchView);
export type CatchListResponse = z.infer<typeof CatchListResponse>;

/** GET /api/catches: the lead's adjudication list (only disputed catches are listed this way). */
export const CatchListQuery = z.strictObject({ status: z.literal("disputed").default("disputed") });
export type CatchListQuery = z.infer<typeof CatchListQuery>;

export const DisputeRequest = z.strictObject({ reason: note.min(1, "Give a reason for the dispute.") });
export type DisputeRequest = z.infer<typeof DisputeRequest>;

export const ResolveRequest = z.strictObject({ resolution: Resolution, note: note.min(1, "Explain the verdict in a note.") });
export type ResolveRequest = z.infer<typeof ResolveRequest>;

// --- reward rules ----------------------------------------------------------------------------------------------

/**
 * Every rule the server pays by. `task.*` pays the worker of an approved task, `catch.<kind>` pays the reviewer per
 * standing catch, `deduction.<kind>` (negative) charges the worker whose work was caught.
 */
export const REWARD_RULE_KEYS = [
  "task.approved",
  "task.fixed_and_approved",
  ...CATCH_KINDS.map((k) => `catch.${k}` as const),
  ...CATCH_KINDS.map((k) => `deduction.${k}` as const),
] as const;
export const RewardRuleKey = z.enum(REWARD_RULE_KEYS);
export type RewardRuleKey = z.infer<typeof RewardRuleKey>;

/** YYYY-MM-DD (a UTC calendar day). */
export const Day = z.iso.date();

export const RewardRuleView = z.object({
  id: Id,
  rule: RewardRuleKey,
  points: z.number(),
  effectiveFrom: Day,
  effectiveTo: Day.nullable(),
  createdAt: IsoDate,
});
export type RewardRuleView = z.infer<typeof RewardRuleView>;
export const RewardRuleListResponse = z.array(RewardRuleView);
export type RewardRuleListResponse = z.infer<typeof RewardRuleListResponse>;

export const NewRewardRuleRequest = z.strictObject({
  rule: RewardRuleKey,
  points: z.number().finite().min(-1000).max(1000),
  effectiveFrom: Day,
});
export type NewRewardRuleRequest = z.infer<typeof NewRewardRuleRequest>;

// --- figures ---------------------------------------------------------------------------------------------------

export const PERIOD_KINDS = ["week", "month"] as const;
export const PeriodKind = z.enum(PERIOD_KINDS);
export type PeriodKind = z.infer<typeof PeriodKind>;

export const AnnotatorFigures = z.object({
  reviewed: z.number().int(),
  rejected: z.number().int(),
  /** (reviewed − rejected) / reviewed; null when nothing was reviewed. */
  accuracy: z.number().nullable(),
  items: z.number().int(),
  upheldFalseFlags: z.number().int(),
  upheldMissedErrors: z.number().int(),
  upheldNonConstructive: z.number().int(),
  /** 1 − upheld false flags / items. */
  precision: z.number().nullable(),
  /** items / (items + upheld missed errors). */
  recall: z.number().nullable(),
  /** (items − upheld non-constructive) / items. */
  constructiveShare: z.number().nullable(),
});
export type AnnotatorFigures = z.infer<typeof AnnotatorFigures>;

export const ReviewerFigures = z.object({
  catches: z.number().int(),
  upheld: z.number().int(),
  overturned: z.number().int(),
  pending: z.number().int(),
  /** Catches that stand (not disputed, or upheld by a lead) / catches. */
  upheldRate: z.number().nullable(),
  /** Catches overturned by a lead / catches. */
  overturnRate: z.number().nullable(),
});
export type ReviewerFigures = z.infer<typeof ReviewerFigures>;

export const PersonFiguresResponse = z.object({
  person: PersonRef.extend({ role: z.string() }),
  from: Day.nullable(),
  to: Day.nullable(),
  annotator: AnnotatorFigures,
  reviewer: ReviewerFigures,
  points: z.number(),
});
export type PersonFiguresResponse = z.infer<typeof PersonFiguresResponse>;

export const LeaderboardRow = z.object({
  rank: z.number().int(),
  person: PersonRef.extend({ role: z.string() }),
  points: z.number(),
  tasks: z.number().int(),
  catches: z.number().int(),
  accuracy: z.number().nullable(),
  upheldRate: z.number().nullable(),
});
export type LeaderboardRow = z.infer<typeof LeaderboardRow>;

export const LeaderboardResponse = z.object({
  period: PeriodKind,
  /** "2026-W48" or "2026-11". */
  label: z.string(),
  from: Day,
  /** Exclusive. */
  to: Day,
  rows: z.array(LeaderboardRow),
});
export type LeaderboardResponse = z.infer<typeof LeaderboardResponse>;

export const LeaderboardQuery = z.strictObject({ period: PeriodKind.default("week"), at: Day.optional() });
export type LeaderboardQuery = z.infer<typeof LeaderboardQuery>;

export const FiguresQuery = z.strictObject({ from: Day.optional(), to: Day.optional() });
export type FiguresQuery = z.infer<typeof FiguresQuery>;

export const PayoutQuery = z.strictObject({
  from: Day,
  /** Exclusive. */
  to: Day,
  /** Currency per point; when absent the project's `payoutRate` setting is used. */
  rate: z.coerce.number().finite().min(0).max(10_000).optional(),
  projectId: Id.optional(),
});
export type PayoutQuery = z.infer<typeof PayoutQuery>;

/** Request paths of review, catches, disputes, reward rules and figures. */
export const REVIEW_PATHS = {
  startReview: (taskId: string) => `${taskPath(taskId)}/review/start`,
  decision: (taskId: string) => `${taskPath(taskId)}/decision`,
  decisions: (taskId: string) => `${taskPath(taskId)}/decisions`,
  taskCatches: (taskId: string) => `${taskPath(taskId)}/catches`,
  catches: "/api/catches",
  dispute: (catchId: string) => `/api/catches/${encodeURIComponent(catchId)}/dispute`,
  resolve: (catchId: string) => `/api/catches/${encodeURIComponent(catchId)}/resolve`,
  rewardRules: "/api/reward-rules",
  leaderboard: "/api/figures/leaderboard",
  person: (userId: string) => `/api/figures/people/${encodeURIComponent(userId)}`,
  /** A CSV download: a plain link, so the browser sends the session cookie itself. */
  payouts: (q: { from: string; to: string; rate: string }) => `/api/payouts.csv?${new URLSearchParams(q).toString()}`,
} as const;
