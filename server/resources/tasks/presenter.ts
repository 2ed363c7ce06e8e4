import type { Db } from "../../db/index";
import type { tasks } from "../../db/schema/index";
import { examsOfTasks } from "../../training/exams";
import type { TaskExamRef, TaskSummary } from "../../../shared/api/tasks";
import type { PersonRef } from "../../../shared/api/common";

export type TaskRow = typeof tasks.$inferSelect;

/** A task row joined with the names and video fields a list needs. */
export type TaskListRow = {
  task: TaskRow;
  annotatorName: string | null;
  reviewerName: string | null;
  videoTitle: string;
  videoDurationSec: number | null;
  videoFps: number | null;
};

function person(id: string | null, name: string | null): PersonRef | null {
  return id ? { id, name: name ?? "unknown" } : null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toTaskSummary(row: TaskListRow, exam: TaskExamRef | null): TaskSummary {
  const t = row.task;
  return {
    id: t.id,
    videoId: t.videoId,
    projectId: t.projectId,
    aspect: t.aspect,
    stage: t.stage,
    annotator: person(t.annotatorId, row.annotatorName),
    reviewer: person(t.reviewerId, row.reviewerName),
    isGold: t.isGold,
    score: t.score,
    specVersion: t.specVersion,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    submittedAt: iso(t.submittedAt),
    reviewedAt: iso(t.reviewedAt),
    video: { title: row.videoTitle, durationSec: row.videoDurationSec, fps: row.videoFps },
    exam,
  };
}

/** Task rows as the API sends them, with the exam each one is an attempt at (one query for the whole list). */
export async function presentTasks(db: Db, rows: readonly TaskListRow[]): Promise<TaskSummary[]> {
  const exams = await examsOfTasks(db, rows.map((r) => r.task.id));
  return rows.map((r) => toTaskSummary(r, exams.get(r.task.id) ?? null));
}
