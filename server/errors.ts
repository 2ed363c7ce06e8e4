/**
 * Errors of the domain: what went wrong, in the domain's words. Services throw these; the HTTP layer alone decides
 * which status code each kind becomes (server/http/errors.ts), so the same services serve the CLI and jobs too.
 */
export type DomainErrorKind = "invalid" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "unavailable";

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details?: unknown,
    /** A finer reason the client may act on (e.g. "provider_unavailable"); the kind's own name otherwise. */
    readonly reason?: string,
  ) {
    super(message);
  }
}

export const invalid = (message: string, details?: unknown) => new DomainError("invalid", message, details);
export const unauthorized = (message = "Sign in first.") => new DomainError("unauthorized", message);
export const forbidden = (message = "You may not do that.") => new DomainError("forbidden", message);
export const notFound = (message = "Not found.") => new DomainError("not_found", message);
export const conflict = (message: string, details?: unknown) => new DomainError("conflict", message, details);
/** A service the request needs (a model provider) is not available. */
export const unavailable = (reason: string, message: string) => new DomainError("unavailable", message, undefined, reason);
