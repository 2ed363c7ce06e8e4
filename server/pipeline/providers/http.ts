import { ProviderError, errorMessageFromBody } from "./errors";
import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS } from "./types";
import type { GenerateOptions, GenerateRequest, ModelProvider, RetryPolicy, StreamEvent } from "./types";

/**
 * POSTs a JSON body and streams the Server-Sent Events answer, for the network providers. Handles what they share:
 * a timeout on the response and on every silence inside the stream, retries with exponential backoff and jitter on
 * 429, 5xx and dropped connections (honouring Retry-After) while nothing has been streamed yet, cancellation.
 */
export type SseCall = {
  provider: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** Turns one event's data into stream events; throws ProviderError for an error sent inside the stream. */
  onData: (data: string) => StreamEvent[];
};

const MAX_ERROR_BODY = 64 * 1024;

/** A provider that answers each request with one streamed HTTP call (the hosted providers differ only in the call). */
export function sseProvider(name: string, model: string, callFor: (req: GenerateRequest) => SseCall): ModelProvider {
  return { name, model, generate: (req, opts) => streamSse(callFor(req), opts) };
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
      const err = e instanceof ProviderError ? e : new ProviderError(call.provider, "network", String(e));
      if (streamed || !err.retryable || attempt >= policy.retries) {
        if (streamed && err.code === "network") {
          throw new ProviderError(call.provider, err.code, `${err.message} (the stream was interrupted)`, err.status);
        }
        throw err;
      }
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
      const jittered = backoff / 2 + Math.random() * (backoff / 2);
      if (err.retryAfterMs !== null && err.retryAfterMs > policy.maxDelayMs) throw err;
      await sleep(Math.max(jittered, err.retryAfterMs ?? 0), opts.signal, call.provider);
    }
  }
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
      const retryable = res.status === 429 || res.status >= 500;
      throw new ProviderError(
        call.provider,
        "http",
        `${call.provider} returned HTTP ${res.status}: ${errorMessageFromBody(text)}`,
        res.status,
        retryable,
        retryAfterMs(res.headers.get("retry-after")),
      );
    }
    if (!res.body) throw new ProviderError(call.provider, "bad_response", `${call.provider}: the response has no body`);
    reader = res.body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
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
        if (data === "[DONE]") return;
        for (const event of call.onData(data)) {
          // Events parsed from one network read must not outlive a cancellation.
          if (signal?.aborted) throw cancelled(call.provider);
          yield event;
        }
      }
      if (chunk.done) return;
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    // Leaving early (done, error, or the consumer stopped reading): release the connection.
    controller.abort();
    reader?.releaseLock();
  }
}

/** Splits a Server-Sent Events byte stream into the data payloads of its events. */
export class SseParser {
  private buffer = "";
  private data: string[] = [];

  push(text: string): string[] {
    this.buffer += text;
    const out: string[] = [];
    let nl: number;
    while ((nl = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, nl);
      const sepLen = this.buffer.startsWith("\r\n", nl) ? 2 : 1;
      this.buffer = this.buffer.slice(nl + sepLen);
      if (line === "") {
        if (this.data.length) out.push(this.data.join("\n"));
        this.data = [];
      } else if (line.startsWith("data:")) {
        this.data.push(line.slice(5).replace(/^ /, ""));
      }
      // Comments (":"), event:, id: and retry: lines carry nothing the providers need.
    }
    return out;
  }
}

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

const cancelled = (provider: string) => new ProviderError(provider, "cancelled", `${provider}: the request was cancelled`);

function sleep(ms: number, signal: AbortSignal | undefined, provider: string): Promise<void> {
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
