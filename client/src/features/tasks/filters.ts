import { TASK_PATHS, TaskListResponse, type TaskListFilter } from "../../../../shared/api/tasks";
import { ASPECT_LABELS, CATCH_KIND_LABELS, ERROR_TYPE_LABELS } from "../../../../shared/domain";
import { STAGE_LABELS } from "../../../../shared/domain/stages";
import { get } from "../../app/api";
import { TASK_LIST_KEYS, tasksHref } from "../../app/router";
import { labelOf } from "../../ui/format";

/**
 * The leads' task list filters as the URL carries them (the API's own keys, shared/api/tasks.ts TaskListQuery):
 * read as written and sent on as they are, so a bad link gets the server's answer in words.
 */
export type TaskListSearch = Partial<Record<keyof TaskListFilter, string>>;

export function parseTaskListSearch(search: string): TaskListSearch {
  const p = new URLSearchParams(search);
  const out: TaskListSearch = {};
  for (const key of TASK_LIST_KEYS) {
    const v = p.get(key)?.trim();
    if (v) out[key] = v.slice(0, 100);
  }
  return out;
}

export const tasksApi = {
  list: (query: TaskListSearch, signal?: AbortSignal) => get(TASK_PATHS.list, { schema: TaskListResponse, query, signal }),
};

/** The keys that only mean something with the event: removing the event chip removes them with it. */
const EVENT_GROUP = ["event", "from", "to", "errorType", "catchKind", "leftStage"] as const;

const EVENT_LABELS: Record<string, string> = {
  final: "Final version",
  annotated: "Annotator's first version",
  submitted: "Sent to review",
  left_stage: "Left a stage",
  catch: "Catch recorded",
};

/** Names the filters need: the project and people lists (ids otherwise). */
export type Names = { projects: Map<string, string>; people: Map<string, string> };

export type Chip = { keys: (keyof TaskListFilter)[]; label: string };

const span = (f: TaskListSearch) => (f.from && f.to ? (f.from === f.to ? f.from : `${f.from} – ${f.to}`) : f.from ? `from ${f.from}` : f.to ? `to ${f.to}` : "");

/** Pure: the filters as removable chips, in key order; the event and its keys make one chip. */
export function filterChips(f: TaskListSearch, names: Names): Chip[] {
  const chips: Chip[] = [];
  if (f.event) {
    const parts = [
      f.event === "left_stage" && f.leftStage ? `Left ${labelOf(STAGE_LABELS, f.leftStage)}` : labelOf(EVENT_LABELS, f.event),
      f.errorType ? labelOf(ERROR_TYPE_LABELS, f.errorType) : "",
      f.catchKind ? labelOf(CATCH_KIND_LABELS, f.catchKind) : "",
      span(f),
    ];
    chips.push({ keys: EVENT_GROUP.filter((k) => f[k] !== undefined), label: parts.filter(Boolean).join(" · ") });
  }
  for (const key of TASK_LIST_KEYS) {
    const v = f[key];
    if (v === undefined || (f.event && (EVENT_GROUP as readonly string[]).includes(key))) continue;
    chips.push({ keys: [key], label: chipLabel(key, v, names) });
  }
  return chips;
}

function chipLabel(key: keyof TaskListFilter, v: string, names: Names): string {
  switch (key) {
    case "projectId":
      return `Project: ${names.projects.get(v) ?? v}`;
    case "annotatorId":
      return `Annotator: ${names.people.get(v) ?? v}`;
    case "reviewerId":
      return `Reviewer: ${names.people.get(v) ?? v}`;
    case "aspect":
      return `Aspect: ${labelOf(ASPECT_LABELS, v)}`;
    case "stage":
      return `Stage: ${labelOf(STAGE_LABELS, v)}`;
    case "overlap":
      return "Clips two annotators labelled";
    case "gold":
      return v === "false" ? "No gold tasks" : v === "true" ? "Gold tasks only" : `gold: ${v}`;
    case "limit":
      return `At most ${v}`;
    case "videoId":
      return "One clip";
    default:
      return `${key}: ${v}`;
  }
}

/** Pure: the list's link without the chip's keys. */
export function withoutChip(f: TaskListSearch, chip: Chip): string {
  const rest: TaskListSearch = { ...f };
  for (const k of chip.keys) delete rest[k];
  // The values stay as the URL wrote them; tasksHref only orders and writes them, the server checks them.
  return tasksHref(rest as TaskListFilter);
}
