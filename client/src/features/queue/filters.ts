import { Aspect } from "../../../../shared/domain";
import { QueueViewKey } from "../../../../shared/api/abilities";
import { Stage } from "../../../../shared/domain/stages";
import { Id } from "../../../../shared/api/common";
import type { TaskListQuery, TaskSummary } from "../../../../shared/api/tasks";

/**
 * The queue's filters as they live in the URL query. Keys are the API's own query keys (plus `q`, a text filter
 * applied in the browser), so a shared link reproduces the same list.
 */
export type QueueFilters = {
  aspect?: Aspect;
  stage?: Stage;
  annotatorId?: string;
  reviewerId?: string;
  projectId?: string;
  q?: string;
  view?: QueueViewKey;
};

export type { QueueViewKey };

export type QueueView = {
  key: QueueViewKey;
  label: string;
  /** Keeps the rows of this view; the server has already limited the list to what the caller may see. */
  keep(task: TaskSummary, me: { id: string }): boolean;
};

const VIEWS: Record<QueueViewKey, QueueView> = {
  mine: { key: "mine", label: "My tasks", keep: (t, me) => t.annotator?.id === me.id },
  // A reviewer's queue: submitted work nobody has picked up yet, or that is already theirs and not yet decided.
  to_review: {
    key: "to_review",
    label: "To review",
    keep: (t, me) =>
      t.annotator?.id !== me.id &&
      ((t.stage === "submitted" && (t.reviewer === null || t.reviewer.id === me.id)) ||
        (t.stage === "in_review" && t.reviewer?.id === me.id)),
  },
  assigned: { key: "assigned", label: "Assigned to me", keep: (t, me) => t.reviewer?.id === me.id },
  trainees: { key: "trainees", label: "Trainee tasks", keep: (t, me) => t.annotator?.id !== me.id },
  all: { key: "all", label: "All tasks", keep: () => true },
};

/** The queue tabs the server's app policy gave this person (`me.abilities.queues`), first = default. */
export const queueViews = (keys: readonly QueueViewKey[]): QueueView[] => keys.map((k) => VIEWS[k]);

const MAX_TEXT = 200;

/** Pure: filters from a URL query string; anything invalid is dropped rather than sent to the server. */
export function parseQueueFilters(search: string): QueueFilters {
  const p = new URLSearchParams(search);
  const out: QueueFilters = {};
  const aspect = Aspect.safeParse(p.get("aspect"));
  if (aspect.success) out.aspect = aspect.data;
  const stage = Stage.safeParse(p.get("stage"));
  if (stage.success) out.stage = stage.data;
  for (const key of ["annotatorId", "reviewerId", "projectId"] as const) {
    const id = Id.safeParse(p.get(key));
    if (id.success) out[key] = id.data;
  }
  const q = p.get("q")?.trim();
  if (q) out.q = q.slice(0, MAX_TEXT);
  const view = p.get("view");
  const viewKey = QueueViewKey.safeParse(view);
  if (viewKey.success) out.view = viewKey.data;
  return out;
}

const ORDER: (keyof QueueFilters)[] = ["view", "aspect", "stage", "annotatorId", "reviewerId", "projectId", "q"];

/** Pure: the URL query string ("" or "?…") for filters, in a fixed key order so equal filters give equal URLs. */
export function queueSearch(filters: QueueFilters): string {
  const p = new URLSearchParams();
  for (const key of ORDER) {
    const v = filters[key];
    if (v) p.set(key, v);
  }
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** The part of the filters the server applies; person and project filters only for who may use them (the "filter_by_person" ability). */
export function apiQuery(filters: QueueFilters, byPerson: boolean): Partial<TaskListQuery> {
  const query: Partial<TaskListQuery> = { aspect: filters.aspect, stage: filters.stage };
  if (byPerson) {
    query.annotatorId = filters.annotatorId;
    query.reviewerId = filters.reviewerId;
    query.projectId = filters.projectId;
  }
  return query;
}

/** The text filter: every word must appear in the clip title, aspect, stage, a person's name or the exam's. */
export function matchesText(task: TaskSummary, q: string | undefined): boolean {
  if (!q) return true;
  const hay = [task.video.title, task.aspect, task.stage.replace("_", " "), task.annotator?.name, task.reviewer?.name, task.exam ? `exam ${task.exam.name}` : null]
    .filter(Boolean)
    .join(" ")
    .toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => hay.includes(word));
}

export const hasFilters = (f: QueueFilters) =>
  Boolean(f.aspect || f.stage || f.annotatorId || f.reviewerId || f.projectId || f.q);
