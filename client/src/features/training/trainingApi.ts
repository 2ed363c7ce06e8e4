import {
  CoachingNote,
  Spotlight,
  TRAINING_PATHS,
  type AssignExamResponse,
  type CreateCoachingNoteRequest,
  type CreateExamRequest,
  type ExamFeedback,
  type ExamResult,
  type ExamSummary,
  type GoldScoreRow,
  type GoldTaskRef,
  type MarkGoldResponse,
  type PromoteResponse,
  type SpotlightRequest,
  type TrainerHome,
} from "../../../../shared/api/training";
import { ApiError, get, post } from "../../app/api";

/** The training and coaching endpoints (server/resources/training, coaching). */
export const trainingApi = {
  home: (signal?: AbortSignal) => get<TrainerHome>(TRAINING_PATHS.trainerHome, { signal }),
  goldTasks: (signal?: AbortSignal) => get<GoldTaskRef[]>(TRAINING_PATHS.goldTasks, { signal }),
  createExam: (body: CreateExamRequest) => post<ExamSummary>(TRAINING_PATHS.exams, body),
  assignExam: (examId: string, traineeId: string) => post<AssignExamResponse>(TRAINING_PATHS.assignExam(examId), { traineeId }),
  promote: (userId: string) => post<PromoteResponse>(TRAINING_PATHS.promote(userId)),
  markGold: (taskId: string) => post<MarkGoldResponse>(TRAINING_PATHS.markGold(taskId)),
  mine: (signal?: AbortSignal) => get<ExamResult[]>(TRAINING_PATHS.mine, { signal }),
  /** The task's latest gold score, or null when it is not a scored gold attempt (404) or not the caller's to see (403). */
  goldScore: (taskId: string, signal?: AbortSignal) =>
    get<GoldScoreRow>(TRAINING_PATHS.goldScore(taskId), { signal }).catch((err: unknown) => {
      if (err instanceof ApiError && (err.status === 404 || err.status === 403)) return null;
      throw err;
    }),
  examFeedback: (taskId: string, signal?: AbortSignal) => get<ExamFeedback>(TRAINING_PATHS.examFeedback(taskId), { signal }),
  notes: (taskId: string, signal?: AbortSignal) => get(TRAINING_PATHS.coaching(taskId), { schema: CoachingNote.array(), signal }),
  addNote: (taskId: string, body: CreateCoachingNoteRequest) => post(TRAINING_PATHS.coaching(taskId), body, { schema: CoachingNote }),
  spotlight: (taskId: string, body: SpotlightRequest) => post(TRAINING_PATHS.spotlight(taskId), body, { schema: Spotlight }),
  streamUrl: (taskId: string) => TRAINING_PATHS.coachingStream(taskId),
};
