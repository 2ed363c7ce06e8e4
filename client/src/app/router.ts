import { useSyncExternalStore } from "react";
import { TaskListFilters, type TaskListFilter } from "../../../shared/api/tasks";

/** The app's pages. Paths are matched here only, so a link and the page it opens cannot disagree. */
export type Route =
  | { name: "queue" }
  | { name: "login" }
  | { name: "task"; taskId: string }
  | { name: "spec" }
  | { name: "figures" }
  | { name: "training" }
  | { name: "dashboard" }
  | { name: "tasks" }
  | { name: "exports" }
  | { name: "diff"; taskId: string }
  | { name: "coaching"; taskId: string }
  | { name: "feedback"; taskId: string }
  | { name: "projects" }
  | { name: "project"; projectId: string }
  | { name: "setup" }
  | { name: "users" }
  | { name: "audit" }
  | { name: "invite"; token: string }
  | { name: "notFound" };

const TASK_PATH = /^\/tasks\/([0-9a-fA-F-]{36})\/?$/;

/** Pure: the route a pathname names. */
export function matchRoute(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  if (path === "/" || path === "") return { name: "queue" };
  if (path === "/login") return { name: "login" };
  if (path === "/spec") return { name: "spec" };
  if (path === "/figures") return { name: "figures" };
  if (path === "/training") return { name: "training" };
  if (path === "/dashboard") return { name: "dashboard" };
  if (path === "/tasks") return { name: "tasks" };
  if (path === "/exports") return { name: "exports" };
  if (path === "/setup") return { name: "setup" };
  if (path === "/admin/users") return { name: "users" };
  if (path === "/admin/audit") return { name: "audit" };
  const invite = /^\/invite\/([A-Za-z0-9_-]{20,128})$/.exec(path);
  if (invite?.[1]) return { name: "invite", token: invite[1] };
  if (path === "/admin/projects") return { name: "projects" };
  const project = /^\/admin\/projects\/([0-9a-fA-F-]{36})$/.exec(path);
  if (project?.[1]) return { name: "project", projectId: project[1].toLowerCase() };
  const sub = /^\/tasks\/([0-9a-fA-F-]{36})\/(diff|coaching|feedback)$/.exec(path);
  if (sub?.[1] && (sub[2] === "diff" || sub[2] === "coaching" || sub[2] === "feedback")) return { name: sub[2], taskId: sub[1].toLowerCase() };
  const task = TASK_PATH.exec(path);
  if (task?.[1]) return { name: "task", taskId: task[1].toLowerCase() };
  return { name: "notFound" };
}

export const taskHref = (taskId: string) => `/tasks/${encodeURIComponent(taskId)}`;
export const diffHref = (taskId: string) => `${taskHref(taskId)}/diff`;
export const coachingHref = (taskId: string) => `${taskHref(taskId)}/coaching`;
/** An exam attempt's instant feedback (where a trainee lands after submitting it). */
export const feedbackHref = (taskId: string) => `${taskHref(taskId)}/feedback`;

/** The keys of the leads' task list, in the order links write them (GET /api/tasks takes the same keys). */
export const TASK_LIST_KEYS = Object.keys(TaskListFilters.shape) as (keyof TaskListFilter)[];

/**
 * The leads' task list narrowed by `filter` (shared/api/tasks.ts TaskListQuery keys), e.g. the tasks behind a
 * dashboard figure or a project's progress cell: `/tasks?projectId=…&annotatorId=…&stage=…`. Keys come out in one
 * fixed order, so equal filters give equal links; empty values are left out.
 */
export function tasksHref(filter: TaskListFilter = {}): string {
  const p = new URLSearchParams();
  for (const key of TASK_LIST_KEYS) {
    const v = filter[key];
    if (v !== undefined && v !== "") p.set(key, String(v));
  }
  const s = p.toString();
  return s ? `/tasks?${s}` : "/tasks";
}

/**
 * Where to go after signing in: only a same-origin path, never a full URL, so a crafted `?next=` link cannot send
 * someone to another site.
 */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  return next === "/login" || next.startsWith("/login?") ? "/" : next;
}

export const loginHref = (next?: string) =>
  next && next !== "/" ? `/login?next=${encodeURIComponent(next)}` : "/login";

// --- history ----------------------------------------------------------------------------------------------------

export type Location = { pathname: string; search: string };

const listeners = new Set<() => void>();
let snapshot: Location | null = null;

function readLocation(): Location {
  const { pathname, search } = window.location;
  // useSyncExternalStore needs a stable object while nothing changed.
  if (!snapshot || snapshot.pathname !== pathname || snapshot.search !== search) snapshot = { pathname, search };
  return snapshot;
}

function notify() {
  for (const l of listeners) l();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (listeners.size === 1) window.addEventListener("popstate", notify);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener("popstate", notify);
  };
}

/** Goes to an in-app path (pushes history unless `replace`). */
export function navigate(to: string, opts: { replace?: boolean } = {}) {
  const current = window.location.pathname + window.location.search;
  if (to === current) return;
  if (opts.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  notify();
}

/** The current location; re-renders on navigate() and on back/forward. */
export function useLocation(): Location {
  return useSyncExternalStore(subscribe, readLocation);
}

/** True for a click the browser should handle itself (new tab, download, modified click). */
export function isModifiedClick(e: { button: number; metaKey: boolean; ctrlKey: boolean; shiftKey: boolean; altKey: boolean }) {
  return e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey;
}
