import type { ContentfulStatusCode } from "hono/utils/http-status";

/** An error meant for the client: its status and message are sent as JSON, nothing else is. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, "bad_request", message, details);
export const unauthorized = (message = "Sign in first.") => new HttpError(401, "unauthorized", message);
export const forbidden = (message = "You may not do that.") => new HttpError(403, "forbidden", message);
export const notFound = (message = "Not found.") => new HttpError(404, "not_found", message);
export const conflict = (message: string, details?: unknown) => new HttpError(409, "conflict", message, details);

/** The JSON body of every error response. */
export type ErrorBody = { error: { code: string; message: string; details?: unknown } };
