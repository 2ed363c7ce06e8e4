import { ApiError as ApiErrorBody } from "../../../shared/api/common";
import type { LoginRequest, LogoutResponse, MeResponse, UserListResponse } from "../../../shared/api/auth";
import type { ProjectListResponse, TaskDetail, TaskListQuery, TaskListResponse } from "../../../shared/api/tasks";
import type { VideoMeta, VideoMetadataPatch } from "../../../shared/api/videos";

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

/** JSON request to our own API. `quiet401` = the caller handles "not signed in" itself. */
export async function request<T>(
  method: Method,
  path: string,
  opts: { body?: unknown; query?: Record<string, string | number | undefined>; quiet401?: boolean; signal?: AbortSignal } = {},
): Promise<T> {
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
  return (await res.json()) as T;
}

/** The API the client uses, one function per endpoint, typed by the shared schemas. */
export const api = {
  login: (body: LoginRequest) => request<MeResponse>("POST", "/api/auth/login", { body, quiet401: true }),
  logout: () => request<LogoutResponse>("POST", "/api/auth/logout", { quiet401: true }),
  me: () => request<MeResponse>("GET", "/api/me", { quiet401: true }),
  tasks: (query: Partial<TaskListQuery> = {}, signal?: AbortSignal) =>
    request<TaskListResponse>("GET", "/api/tasks", { query, signal }),
  task: (id: string, signal?: AbortSignal) => request<TaskDetail>("GET", `/api/tasks/${encodeURIComponent(id)}`, { signal }),
  users: (signal?: AbortSignal) => request<UserListResponse>("GET", "/api/users", { signal }),
  projects: (signal?: AbortSignal) => request<ProjectListResponse>("GET", "/api/projects", { signal }),
  video: (id: string) => request<VideoMeta>("GET", `/api/videos/${encodeURIComponent(id)}`),
  patchVideoMetadata: (id: string, body: VideoMetadataPatch) =>
    request<VideoMeta>("PATCH", `/api/videos/${encodeURIComponent(id)}/metadata`, { body }),
};

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return "Something went wrong.";
}

export const isAbort = (err: unknown) => err instanceof DOMException && err.name === "AbortError";
