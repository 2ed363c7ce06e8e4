import type { CatchView } from "../../../../shared/api/review";
import type { Stage } from "../../../../shared/domain/stages";
import type { TaskDetail } from "../../../../shared/api/tasks";

/**
 * What the side panel offers whom (pure). The server decides for real; this only hides buttons that would be
 * refused, so nobody is invited to act on their own work.
 */
export type PanelViewer = { id: string; role: string };
export type PanelTask = { stage: Stage; annotatorId: string | null; reviewerId: string | null };

/** The panel's view of a task from GET /api/tasks/:id. */
export const panelTaskOf = (task: Pick<TaskDetail, "stage" | "annotator" | "reviewer">): PanelTask => ({
  stage: task.stage,
  annotatorId: task.annotator?.id ?? null,
  reviewerId: task.reviewer?.id ?? null,
});

const isStaff = (v: PanelViewer) => v.role === "lead" || v.role === "admin";
const ownWork = (v: PanelViewer, t: PanelTask) => t.annotatorId === v.id;

export const canStartReview = (v: PanelViewer, t: PanelTask) =>
  t.stage === "submitted" && !ownWork(v, t) && (v.role === "reviewer" || isStaff(v)) && (t.reviewerId === null || t.reviewerId === v.id || isStaff(v));

export const canRecordCatch = (v: PanelViewer, t: PanelTask) => t.stage === "in_review" && t.reviewerId === v.id && !ownWork(v, t);

export const canDecide = (v: PanelViewer, t: PanelTask) =>
  t.stage === "in_review" && !ownWork(v, t) && (t.reviewerId === v.id || isStaff(v));

export const canDispute = (v: PanelViewer, t: PanelTask, c: CatchView, now = Date.now()) =>
  c.status === "open" && t.annotatorId === v.id && now <= Date.parse(c.disputeUntil);

export const canResolve = (v: PanelViewer, t: PanelTask, c: CatchView) =>
  c.status === "disputed" && isStaff(v) && c.reviewer.id !== v.id && t.annotatorId !== v.id;

/** A fresh idempotency key per catch the reviewer starts writing (kept across retries of that catch). */
export function newRequestKey(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `k-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
