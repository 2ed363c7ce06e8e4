import { z } from "zod";
import { Aspect, Role } from "../domain";
import { Stage } from "../domain/stages";
import type { CritiqueItemView } from "../critique/items";
import type { ExamOutcome, GoldMatch, GoldScoreResult, ScoredItemRef } from "../goldScoring";
import { Id, IsoDate, PersonRef, taskPath } from "./common";

/** Training API: gold tasks, exams, gold scores, promotion, coaching notes and spotlights (issue 8). */

export const MAX_EXAM_GOLD_TASKS = 50;

export const CreateExamRequest = z.strictObject({
  name: z.string().trim().min(1).max(200),
  goldTaskIds: z.array(Id).min(1).max(MAX_EXAM_GOLD_TASKS),
  /** Mean F1 over the exam's gold tasks needed to pass, 0..1. */
  passThreshold: z.number().min(0).max(1),
});
export type CreateExamRequest = z.infer<typeof CreateExamRequest>;

export const AssignExamRequest = z.strictObject({ traineeId: Id });
export type AssignExamRequest = z.infer<typeof AssignExamRequest>;

export type GoldTaskRef = { taskId: string; videoId: string; videoTitle: string; aspect: Aspect; goldItems: number };

export type ExamSummary = {
  id: string;
  name: string;
  passThreshold: number;
  createdAt: string;
  goldTasks: GoldTaskRef[];
};

/** One trainee's standing on one exam. */
export type ExamResult = ExamOutcome & {
  examId: string;
  examName: string;
  passThreshold: number;
  trainee: { id: string; name: string; role: Role };
  attempts: {
    goldTaskId: string;
    taskId: string;
    stage: Stage;
    score: { precision: number; recall: number; f1: number; constructiveShare: number; scoredAt: string } | null;
  }[];
};

export type ExamDetail = ExamSummary & { results: ExamResult[] };

export type AssignExamResponse = { examId: string; traineeId: string; tasks: { taskId: string; goldTaskId: string }[] };

export type GoldScoreDetails = GoldScoreResult & { goldVersionId: string; attemptVersionId: string };

export type GoldScoreRow = {
  id: string;
  taskId: string;
  goldTaskId: string;
  traineeId: string;
  examId: string | null;
  precision: number;
  recall: number;
  constructiveShare: number;
  passed: boolean | null;
  details: GoldScoreDetails;
  createdAt: string;
};

export type MarkGoldResponse = { taskId: string; isGold: true; goldItems: number };

/** One answer-key item the attempt found: the key's item beside the trainee's. */
export type FeedbackMatch = Omit<GoldMatch, "goldId" | "itemId"> & { gold: ScoredItemRef; mine: ScoredItemRef };

/**
 * GET /api/tasks/:id/exam-feedback: the instant feedback on an exam attempt. `score` is null until the attempt is
 * scored (right after its submit), so the page shows "Scoring…" and asks again.
 */
export type ExamFeedback = {
  taskId: string;
  stage: Stage;
  exam: { id: string; name: string; passThreshold: number };
  score: {
    precision: number;
    recall: number;
    f1: number;
    constructiveShare: number;
    /** This attempt's F1 reached the exam's pass mark. */
    passed: boolean;
    scoredAt: string;
    goldCount: number;
    itemCount: number;
    matched: FeedbackMatch[];
    missed: ScoredItemRef[];
    falseItems: ScoredItemRef[];
  } | null;
  /** The trainee's standing on the whole exam (every gold task of it). */
  standing: ExamOutcome;
};

export type PromoteResponse = { userId: string; role: "annotator"; passedExamIds: string[] };

/** A trainee working right now: connected to a task room on this server. */
export type LiveTrainee = {
  trainee: { id: string; name: string };
  taskId: string;
  videoTitle: string;
  aspect: Aspect;
  stage: Stage;
  connections: number;
};

export type TraineeOverview = {
  id: string;
  name: string;
  email: string;
  role: Role;
  eligible: boolean;
  passedExamIds: string[];
  tasks: { taskId: string; aspect: Aspect; stage: Stage; videoTitle: string }[];
};

export type TrainerHome = { live: LiveTrainee[]; trainees: TraineeOverview[]; exams: ExamSummary[]; results: ExamResult[] };

// ---- Coaching notes and spotlights ---------------------------------------------------------------------------------

const seconds = z.number().finite().min(0).max(24 * 3600);
export const MAX_COACHING_BODY = 4000;

const NoteAnchor = z.strictObject({
  start: z.string().min(1).max(512),
  end: z.string().min(1).max(512),
  quote: z.string().max(2000),
});

/** Where a note or a spotlight points: a span of the critique (its anchor and quote) and/or a moment of the clip. */
const placementRequest = {
  anchor: NoteAnchor.nullish(),
  quote: z.string().max(2000).nullish(),
  timeStart: seconds.nullish(),
  timeEnd: seconds.nullish(),
};
const placementView = {
  anchor: NoteAnchor.nullable(),
  quote: z.string().nullable(),
  timeStart: z.number().nullable(),
  timeEnd: z.number().nullable(),
};

export const CreateCoachingNoteRequest = z
  .strictObject({
    body: z.string().trim().min(1).max(MAX_COACHING_BODY),
    ...placementRequest,
  })
  .refine((n) => n.timeStart == null || n.timeEnd == null || n.timeEnd >= n.timeStart, {
    message: "timeEnd must not be before timeStart",
    path: ["timeEnd"],
  });
export type CreateCoachingNoteRequest = z.infer<typeof CreateCoachingNoteRequest>;

export const SpotlightRequest = z
  .strictObject({
    ...placementRequest,
    message: z.string().max(500).nullish(),
  })
  .refine((s) => Boolean(s.quote || s.anchor) || s.timeStart != null, { message: "Spotlight a span or a moment." });
export type SpotlightRequest = z.infer<typeof SpotlightRequest>;

export const CoachingNote = z.object({
  id: Id,
  taskId: Id,
  trainer: PersonRef,
  traineeId: Id,
  body: z.string(),
  ...placementView,
  createdAt: IsoDate,
});
export type CoachingNote = z.infer<typeof CoachingNote>;

export const Spotlight = z.object({
  id: z.string(),
  taskId: Id,
  from: PersonRef,
  ...placementView,
  message: z.string().nullable(),
  at: IsoDate,
});
export type Spotlight = z.infer<typeof Spotlight>;

/** Server-sent events on GET /api/tasks/:id/coaching/stream (event name → JSON data). */
export const COACHING_EVENTS = { note: "note", spotlight: "spotlight", ready: "ready" } as const;
export type CoachingEvent = { type: "note"; note: CoachingNote } | { type: "spotlight"; spotlight: Spotlight };

// ---- Diffs (leads) -------------------------------------------------------------------------------------------------

export const DIFF_KINDS = ["pre_post", "rounds", "versions", "annotators"] as const;
export const DiffKind = z.enum(DIFF_KINDS);
export type DiffKind = z.infer<typeof DiffKind>;

export const DiffQuery = z.object({
  kind: DiffKind.default("pre_post"),
  /** rounds: compare round k with k+1. */
  k: z.coerce.number().int().min(0).max(1000).optional(),
  /** annotators: the other task on the same clip and aspect. */
  other: Id.optional(),
});
export type DiffQuery = z.infer<typeof DiffQuery>;

export type DiffCritiqueItem = CritiqueItemView;

export type DiffCatch = { id: string; kind: string; itemId: string | null; quote: string | null; timeStart: number | null; timeEnd: number | null; note: string; status: string };

export type DiffSide = { label: string; author: string | null; text: string; items: DiffCritiqueItem[]; catches: DiffCatch[] };

export type DiffOption = { kind: DiffKind; label: string; k?: number; other?: string };

export type TaskDiff = {
  taskId: string;
  kind: DiffKind;
  video: { id: string; title: string; url: string; durationSec: number | null };
  aspect: Aspect;
  left: DiffSide;
  right: DiffSide;
  /** Every comparison this task offers, for the picker. */
  options: DiffOption[];
};

/** Request paths of training, coaching and diffs (the dashboard's are in ./dashboard.ts). */
export const TRAINING_PATHS = {
  trainerHome: "/api/trainer/home",
  goldTasks: "/api/gold-tasks",
  exams: "/api/exams",
  assignExam: (examId: string) => `/api/exams/${encodeURIComponent(examId)}/assign`,
  promote: (userId: string) => `/api/users/${encodeURIComponent(userId)}/promote`,
  mine: "/api/training/mine",
  markGold: (taskId: string) => `${taskPath(taskId)}/gold`,
  goldScore: (taskId: string) => `${taskPath(taskId)}/gold-score`,
  examFeedback: (taskId: string) => `${taskPath(taskId)}/exam-feedback`,
  coaching: (taskId: string) => `${taskPath(taskId)}/coaching`,
  /** Server-sent events of COACHING_EVENTS. */
  coachingStream: (taskId: string) => `${taskPath(taskId)}/coaching/stream`,
  spotlight: (taskId: string) => `${taskPath(taskId)}/spotlight`,
  diffs: (taskId: string) => `${taskPath(taskId)}/diffs`,
} as const;
