/**
 * Why a generation failed; `message` is meant to be shown in the room as it is.
 * - incomplete: the model stopped without finishing normally (token limit, safety, recitation, a cut stream).
 * - stream_error: the server reported an error inside a stream it had started.
 */
export type ProviderErrorCode =
  | "http"
  | "timeout"
  | "cancelled"
  | "network"
  | "bad_response"
  | "config"
  | "input"
  | "incomplete"
  | "stream_error";

export type ProviderErrorDetails = {
  /** The server's own finish reason when it gave one ("length", "SAFETY", …). */
  finishReason?: string | null;
  /** Text the model streamed before the failure; kept with a failed round, never saved as a caption. */
  partialText?: string;
};

export class ProviderError extends Error {
  override readonly name = "ProviderError";
  readonly finishReason: string | null;
  readonly partialText: string;
  constructor(
    readonly provider: string,
    readonly code: ProviderErrorCode,
    message: string,
    readonly status: number | null = null,
    /** Worth another attempt (429, 5xx, a dropped connection) when nothing was streamed yet. */
    readonly retryable = false,
    /** How long the server asked us to wait (retry-after-ms, Retry-After, Google's RetryInfo). */
    readonly retryAfterMs: number | null = null,
    details: ProviderErrorDetails = {},
  ) {
    super(message);
    this.finishReason = details.finishReason ?? null;
    this.partialText = details.partialText ?? "";
  }

  /** The same failure, carrying the text streamed before it. */
  withPartialText(partialText: string): ProviderError {
    return new ProviderError(this.provider, this.code, this.message, this.status, this.retryable, this.retryAfterMs, {
      finishReason: this.finishReason,
      partialText,
    });
  }
}

export const isProviderError = (e: unknown): e is ProviderError => e instanceof ProviderError;

type ErrorObject = { message?: unknown; status?: unknown; code?: unknown; type?: unknown; details?: unknown };

/**
 * The error objects in a body: OpenAI and Google nest them as {error: {...}} (Ollama's native API as {error: "…"},
 * older vLLM sends {object: "error", message}); Google's streaming endpoints may wrap them in an array.
 */
export function errorObjectsIn(json: unknown): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const c of Array.isArray(json) ? json : [json]) {
    if (!c || typeof c !== "object") continue;
    const err = (c as { error?: unknown }).error;
    if (typeof err === "string") out.push({ message: err });
    else if (err && typeof err === "object") out.push(err as ErrorObject);
    else if ((c as { object?: unknown }).object === "error") out.push(c as ErrorObject);
  }
  return out;
}

/** Parses JSON, or null when the text is not JSON. */
export function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The provider's own message from an error body. */
export function errorMessageFromBody(body: string): string {
  const trimmed = body.trim();
  if (!trimmed) return "(empty body)";
  const json = parseJsonOrNull(trimmed);
  for (const e of errorObjectsIn(json)) {
    if (typeof e.message === "string") return e.message;
  }
  if (json && typeof json === "object" && !Array.isArray(json)) {
    const msg = (json as { message?: unknown }).message;
    if (typeof msg === "string") return msg;
  }
  return trimmed.length > 500 ? `${trimmed.slice(0, 500)}…` : trimmed;
}
