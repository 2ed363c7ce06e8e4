import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DomainError, type DomainErrorKind } from "../errors";

/** An error of the transport itself (e.g. a body too large): its status and message are sent as JSON. */
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

/** The one place domain error kinds become HTTP status codes and response codes. */
const STATUS: Record<DomainErrorKind, { status: ContentfulStatusCode; code: string }> = {
  invalid: { status: 400, code: "bad_request" },
  unauthorized: { status: 401, code: "unauthorized" },
  forbidden: { status: 403, code: "forbidden" },
  not_found: { status: 404, code: "not_found" },
  conflict: { status: 409, code: "conflict" },
  unavailable: { status: 503, code: "unavailable" },
};

/** The HTTP form of an error meant for the client, or null when the error is not (an unexpected failure). */
export function toHttpError(err: unknown): HttpError | null {
  if (err instanceof HttpError) return err;
  if (err instanceof DomainError) {
    const { status, code } = STATUS[err.kind];
    return new HttpError(status, err.reason ?? code, err.message, err.details);
  }
  return null;
}

// Route handlers raise the same domain errors as the services they call (request validation is "invalid").
export { invalid as badRequest, unauthorized, forbidden, notFound, conflict } from "../errors";

/** The JSON body of every error response. */
export type ErrorBody = { error: { code: string; message: string; details?: unknown } };
