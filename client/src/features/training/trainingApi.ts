import type {
  AssignExamResponse,
  CoachingNote,
  CreateCoachingNoteRequest,
  CreateExamRequest,
  ExamResult,
  ExamSummary,
  GoldTaskRef,
  MarkGoldResponse,
  PromoteResponse,
  Spotlight,
  SpotlightRequest,
  TrainerHome,
} from "../../../../shared/api/training";
import { request } from "../../app/api";

const task = (id: string) => `/api/tasks/${encodeURIComponent(id)}`;

/** The training endpoints (server/routes/training.ts and coaching.ts), one function each. */
export const trainingApi = {
  home: (signal?: AbortSignal) => request<TrainerHome>("GET", "/api/trainer/home", { signal }),
  goldTasks: (signal?: AbortSignal) => request<GoldTaskRef[]>("GET", "/api/gold-tasks", { signal }),
  createExam: (body: CreateExamRequest) => request<ExamSummary>("POST", "/api/exams", { body }),
  assignExam: (examId: string, traineeId: string) =>
    request<AssignExamResponse>("POST", `/api/exams/${encodeURIComponent(examId)}/assign`, { body: { traineeId } }),
  promote: (userId: string) => request<PromoteResponse>("POST", `/api/users/${encodeURIComponent(userId)}/promote`),
  markGold: (taskId: string) => request<MarkGoldResponse>("POST", `${task(taskId)}/gold`),
  mine: (signal?: AbortSignal) => request<ExamResult[]>("GET", "/api/training/mine", { signal }),
  notes: (taskId: string, signal?: AbortSignal) => request<CoachingNote[]>("GET", `${task(taskId)}/coaching`, { signal }),
  addNote: (taskId: string, body: CreateCoachingNoteRequest) => request<CoachingNote>("POST", `${task(taskId)}/coaching`, { body }),
  spotlight: (taskId: string, body: SpotlightRequest) => request<Spotlight>("POST", `${task(taskId)}/spotlight`, { body }),
  streamUrl: (taskId: string) => `${task(taskId)}/coaching/stream`,
};

export const formatShare = (v: number | null) => (v === null ? "–" : `${Math.round(v * 100)}%`);
