/** Why a generation failed; `message` is meant to be shown in the room as it is. */
export type ProviderErrorCode = "http" | "timeout" | "cancelled" | "network" | "bad_response" | "config" | "input";

export class ProviderError extends Error {
  override readonly name = "ProviderError";
  constructor(
    readonly provider: string,
    readonly code: ProviderErrorCode,
    message: string,
    readonly status: number | null = null,
    /** Worth another attempt (429, 5xx, a dropped connection) when nothing was streamed yet. */
    readonly retryable = false,
    /** Seconds the server asked us to wait (Retry-After). */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

export const isProviderError = (e: unknown): e is ProviderError => e instanceof ProviderError;

/** The provider's own message from an error body (OpenAI and Google both use {error: {message}}). */
export function errorMessageFromBody(body: string): string {
  const trimmed = body.trim();
  if (!trimmed) return "(empty body)";
  try {
    const json: unknown = JSON.parse(trimmed);
    const candidates = Array.isArray(json) ? json : [json];
    for (const c of candidates) {
      if (c && typeof c === "object") {
        const err = (c as { error?: unknown }).error;
        if (typeof err === "string") return err;
        if (err && typeof err === "object" && typeof (err as { message?: unknown }).message === "string") {
          return (err as { message: string }).message;
        }
        const msg = (c as { message?: unknown }).message;
        if (typeof msg === "string") return msg;
      }
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  return trimmed.length > 500 ? `${trimmed.slice(0, 500)}…` : trimmed;
}
