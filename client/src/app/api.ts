import type { z } from "zod";
import { ApiError as ApiErrorBody } from "../../../shared/api/common";
import { AUTH_PATHS, LogoutResponse, MeResponse, UserListResponse, type LoginRequest } from "../../../shared/api/auth";
import { NextTaskResponse, ProjectListResponse, TASK_PATHS, TaskDetail, TaskListResponse, type TaskListQuery } from "../../../shared/api/tasks";
import { VIDEO_PATHS, VideoMeta, type VideoMetadataPatch } from "../../../shared/api/videos";

/** A failed API call, carrying the server's own message (shown to the user as is). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

let onUnauthorized: (() => void) | null = null;

/**
 * Called when a request finds the session gone (401), so the app can return to the login page from wherever the
 * user is. Login and the initial "who am I" check handle their own 401.
 */
export function setUnauthorizedHandler(handler: (() => void) | null) {
  onUnauthorized = handler;
}

async function errorFrom(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy's error page, a dropped connection): fall through to a generic message.
  }
  const parsed = ApiErrorBody.safeParse(body);
  if (parsed.success) return new ApiError(res.status, parsed.data.error.code, parsed.data.error.message);
  const message = res.status >= 500 ? "The server had a problem; try again." : `Request failed (${res.status}).`;
  return new ApiError(res.status, "http_" + res.status, message);
}

export type RequestOptions<T> = {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** The caller handles "not signed in" itself. */
  quiet401?: boolean;
  signal?: AbortSignal;
  /** The response's schema in shared/api/: the body is checked and typed by it. */
  schema?: z.ZodType<T>;
};

/** JSON request to our own API; every path comes from the *_PATHS of shared/api/<resource>.ts. */
export async function request<T>(method: Method, path: string, opts: RequestOptions<T> = {}): Promise<T> {
  const qs = opts.query
    ? new URLSearchParams(
        Object.entries(opts.query).flatMap(([k, v]) => (v === undefined || v === "" ? [] : [[k, String(v)]])),
      ).toString()
    : "";
  let res: Response;
  try {
    res = await fetch(qs ? `${path}?${qs}` : path, {
      method,
      credentials: "same-origin",
      headers: opts.body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network", "Cannot reach the server. Check your connection and try again.");
  }
  if (!res.ok) {
    const error = await errorFrom(res);
    if (res.status === 401 && !opts.quiet401) onUnauthorized?.();
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const body: unknown = await res.json();
  if (!opts.schema) return body as T;
  const parsed = opts.schema.safeParse(body);
  // A body that does not match its schema means client and server disagree (a stale tab after a deploy).
  if (!parsed.success) throw new ApiError(res.status, "bad_response", "The server sent an unexpected answer; reload the page.");
  return parsed.data;
}

type Call<T> = Omit<RequestOptions<T>, "body">;

/** Shorthands by method: `get(path, { schema, query, signal })`, `post(path, body, { schema })`. */
export const get = <T>(path: string, opts?: Call<T>) => request<T>("GET", path, opts);
export const post = <T>(path: string, body?: unknown, opts?: Call<T>) => request<T>("POST", path, { ...opts, body });
export const put = <T>(path: string, body: unknown, opts?: Call<T>) => request<T>("PUT", path, { ...opts, body });
export const patch = <T>(path: string, body: unknown, opts?: Call<T>) => request<T>("PATCH", path, { ...opts, body });

/** Sessions, tasks, people, projects and videos: the calls every feature shares. */
export const api = {
  login: (body: LoginRequest) => post(AUTH_PATHS.login, body, { schema: MeResponse, quiet401: true }),
  logout: () => post(AUTH_PATHS.logout, undefined, { schema: LogoutResponse, quiet401: true }),
  me: () => get(AUTH_PATHS.me, { schema: MeResponse, quiet401: true }),
  tasks: (query: Partial<TaskListQuery> = {}, signal?: AbortSignal) => get(TASK_PATHS.list, { schema: TaskListResponse, query, signal }),
  nextTask: (after?: string) => get(TASK_PATHS.next, { schema: NextTaskResponse, query: after ? { after } : {} }),
  task: (id: string, signal?: AbortSignal) => get(TASK_PATHS.one(id), { schema: TaskDetail, signal }),
  users: (signal?: AbortSignal) => get(AUTH_PATHS.users, { schema: UserListResponse, signal }),
  projects: (signal?: AbortSignal) => get(TASK_PATHS.projects, { schema: ProjectListResponse, signal }),
  video: (id: string) => get(VIDEO_PATHS.one(id), { schema: VideoMeta }),
  patchVideoMetadata: (id: string, body: VideoMetadataPatch) => patch(VIDEO_PATHS.metadata(id), body, { schema: VideoMeta }),
};

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return "Something went wrong.";
}

export const isAbort = (err: unknown) => err instanceof DOMException && err.name === "AbortError";
