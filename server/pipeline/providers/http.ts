import { ProviderError, errorMessageFromBody, errorObjectsIn, parseJsonOrNull } from "./errors";
import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS } from "./types";
import type { GenerateOptions, GenerateRequest, MediaSupport, ModelProvider, RetryPolicy, StreamEvent } from "./types";

/**
 * POSTs a JSON body and streams the Server-Sent Events answer, for the network providers. Handles what they share:
 * a timeout on the response and on every silence inside the stream; retries with exponential backoff and jitter
 * while nothing has been streamed yet, on the signals the services give (below); cancellation; and the end of the
 * stream, which each provider's decoder judges (a normal finish, or a ProviderError).
 */

/** Reads one attempt's stream; a fresh one per attempt. */
export type StreamDecoder = {
  /** One event's data. Throws ProviderError for an error sent inside the stream or a finish that is not normal. */
  data: (data: string) => StreamEvent[];
  /** The stream ended, after `data: [DONE]` ("done") or with the body ("eof"): the closing events, or a throw. */
  end: (how: "done" | "eof") => StreamEvent[];
};

export type HttpFailure = { status: number; headers: Headers; body: string };

/** A provider's own reading of an error response; what it sets wins over the generic rules. */
export type FailureVerdict = { retryable?: boolean; retryAfterMs?: number | null; note?: string };

export type SseCall = {
  provider: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  decoder: () => StreamDecoder;
  classify?: (f: HttpFailure) => FailureVerdict;
};

const MAX_ERROR_BODY = 64 * 1024;
/** Text outside `data:` lines kept for reading as a raw error body (Google streams may carry one). */
const MAX_STRAY = 64 * 1024;

/** A provider that answers each request with one streamed HTTP call, prepared (perhaps asynchronously) per request. */
export function sseProvider(
  name: string,
  model: string,
  media: MediaSupport,
  callFor: (req: GenerateRequest, opts: GenerateOptions) => SseCall | Promise<SseCall>,
): ModelProvider {
  return {
    name,
    model,
    media,
    reportsFinish: true,
    async *generate(req, opts = {}) {
      yield* streamSse(await callFor(req, opts), opts);
    },
  };
}

export async function* streamSse(call: SseCall, opts: GenerateOptions = {}): AsyncGenerator<StreamEvent> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...opts.retry };
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const stallMs = opts.stallTimeoutMs ?? timeoutMs;
  for (let attempt = 0; ; attempt++) {
    let streamed = false;
    try {
      for await (const event of attemptOnce(call, opts.signal, timeoutMs, stallMs)) {
        if (event.type === "text") streamed = true;
        yield event;
      }
      return;
    } catch (e) {
      // A bug in a decoder is not a network failure: never retried.
      const err = e instanceof ProviderError ? e : new ProviderError(call.provider, "bad_response", `${call.provider}: ${String(e)}`);
      if (streamed || !err.retryable || attempt >= policy.retries) {
        if (streamed && err.code === "network") {
          throw new ProviderError(call.provider, err.code, `${err.message} (the stream was interrupted)`, err.status);
        }
        throw err;
      }
      if (err.retryAfterMs !== null && err.retryAfterMs > policy.maxDelayMs) {
        const seconds = Math.ceil(err.retryAfterMs / 1000);
        throw new ProviderError(call.provider, err.code, `${err.message} (the server asked to wait ${seconds} s; not retried)`, err.status);
      }
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
      const jittered = backoff / 2 + Math.random() * (backoff / 2);
      await sleep(err.retryAfterMs ?? jittered, opts.signal, call.provider);
    }
  }
}

/**
 * The generic reading of a failed response, as openai-node's client does it: `x-should-retry: true|false` is obeyed
 * when present; otherwise 408, 409, 429 and 5xx are retried. The wait is `retry-after-ms` ("may not be standard"),
 * else `Retry-After` in seconds or as an HTTP date.
 */
export function genericVerdict(f: HttpFailure): { retryable: boolean; retryAfterMs: number | null } {
  const should = f.headers.get("x-should-retry");
  const retryable =
    should === "true" ? true : should === "false" ? false : f.status === 408 || f.status === 409 || f.status === 429 || f.status >= 500;
  return { retryable, retryAfterMs: retryAfterFromHeaders(f.headers) };
}

export function retryAfterFromHeaders(headers: Headers): number | null {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return n;
  }
  const header = headers.get("retry-after");
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

async function* attemptOnce(
  call: SseCall,
  signal: AbortSignal | undefined,
  timeoutMs: number,
  stallMs: number,
): AsyncGenerator<StreamEvent> {
  if (signal?.aborted) throw cancelled(call.provider);
  const controller = new AbortController();
  let timedOut: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (ms: number, what: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = what;
      controller.abort();
    }, ms);
  };
  const onAbort = () => controller.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  // Maps an exception from fetch or the body reader to what actually happened.
  const failure = (e: unknown, phase: "connect" | "stream"): ProviderError => {
    if (e instanceof ProviderError) return e;
    if (signal?.aborted) return cancelled(call.provider);
    if (timedOut) return new ProviderError(call.provider, "timeout", `${call.provider}: ${timedOut}`);
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : "";
    const what = phase === "connect" ? "could not reach the model server" : "the connection dropped";
    return new ProviderError(call.provider, "network", `${call.provider}: ${what} (${String(e)}${cause})`, null, true);
  };

  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    arm(timeoutMs, `no response within ${timeoutMs} ms`);
    let res: Response;
    try {
      res = await fetch(call.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream", ...call.headers },
        body: JSON.stringify(call.body),
        signal: controller.signal,
      });
    } catch (e) {
      throw failure(e, "connect");
    }
    if (!res.ok) {
      let text = "";
      try {
        text = (await res.text()).slice(0, MAX_ERROR_BODY);
      } catch (e) {
        throw failure(e, "connect");
      }
      const f: HttpFailure = { status: res.status, headers: res.headers, body: text };
      const verdict = { ...genericVerdict(f), ...call.classify?.(f) };
      const note = "note" in verdict && verdict.note ? ` (${verdict.note})` : "";
      throw new ProviderError(
        call.provider,
        "http",
        `${call.provider} returned HTTP ${res.status}: ${errorMessageFromBody(text)}${note}`,
        res.status,
        verdict.retryable,
        verdict.retryAfterMs ?? null,
      );
    }
    if (!res.body) throw new ProviderError(call.provider, "bad_response", `${call.provider}: the response has no body`);
    reader = res.body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    const stream = call.decoder();
    for (;;) {
      arm(stallMs, `the stream stalled (no data for ${stallMs} ms)`);
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (e) {
        throw failure(e, "stream");
      }
      const text = chunk.done ? decoder.decode() + "\n\n" : decoder.decode(chunk.value, { stream: true });
      for (const data of parser.push(text)) {
        if (data === "[DONE]") {
          // vLLM sends [DONE] after an in-stream error too: the decoder decides whether the model finished.
          for (const event of stream.end("done")) yield event;
          return;
        }
        for (const event of stream.data(data)) {
          // Events parsed from one network read must not outlive a cancellation.
          if (signal?.aborted) throw cancelled(call.provider);
          yield event;
        }
      }
      checkStray(call.provider, parser, chunk.done);
      if (chunk.done) {
        for (const event of stream.end("eof")) yield event;
        return;
      }
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    // Leaving early (done, error, or the consumer stopped reading): release the connection.
    controller.abort();
    reader?.releaseLock();
  }
}

/**
 * Text the stream carried outside `data:` lines: a raw JSON error object or array (Google writes these without the
 * SSE framing, often over several lines) is thrown with its message as soon as it parses; anything else left at
 * the end of the body means the server did not speak SSE.
 */
function checkStray(provider: string, parser: SseParser, atEnd: boolean): void {
  const stray = parser.stray.trim();
  if (!stray) return;
  const json = parseJsonOrNull(stray);
  if (json === null && !atEnd) return;
  const errors = errorObjectsIn(json);
  const message = errors.find((e) => typeof e.message === "string")?.message;
  if (errors.length) {
    throw new ProviderError(provider, "stream_error", `${provider} reported an error in the stream: ${typeof message === "string" ? message : stray.slice(0, 300)}`);
  }
  throw new ProviderError(provider, "bad_response", `${provider} sent text that is not an event stream: ${stray.slice(0, 200)}`);
}

/** Splits a Server-Sent Events byte stream into the data payloads of its events (LF, CR or CRLF line ends). */
export class SseParser {
  private buffer = "";
  private data: string[] = [];
  /** Lines that are no SSE field at all, kept (bounded) for checkStray. */
  stray = "";

  push(text: string): string[] {
    this.buffer += text;
    const out: string[] = [];
    let nl: number;
    while ((nl = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, nl);
      const sepLen = this.buffer.startsWith("\r\n", nl) ? 2 : 1;
      // A CR at the very end may be the first half of a CRLF split across reads: wait for the next byte.
      if (sepLen === 1 && this.buffer[nl] === "\r" && nl === this.buffer.length - 1) break;
      this.buffer = this.buffer.slice(nl + sepLen);
      if (line === "") {
        if (this.data.length) out.push(this.data.join("\n"));
        this.data = [];
      } else if (line.startsWith("data:")) {
        this.data.push(line.slice(5).replace(/^ /, ""));
      } else if (!/^(?::|event:|id:|retry:)/.test(line) && this.stray.length < MAX_STRAY) {
        this.stray += `${line}\n`;
      }
      // Comments (":"), event:, id: and retry: lines carry nothing the providers need.
    }
    return out;
  }
}

const cancelled = (provider: string) => new ProviderError(provider, "cancelled", `${provider}: the request was cancelled`);

export function sleep(ms: number, signal: AbortSignal | undefined, provider: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled(provider));
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(cancelled(provider));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Parses a JSON event payload, naming the provider when it is not JSON. */
export function parseJsonData(provider: string, data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new ProviderError(provider, "bad_response", `${provider} sent an unreadable stream event: ${data.slice(0, 200)}`);
  }
}
