import { afterEach, describe, expect, it } from "vitest";
import { ProviderError } from "./errors";
import { createOpenAiProvider, isReasoningModel, openAiRequestBody, paramsFor, serverFromUrl, type OpenAiSettings } from "./openai";
import { hang, sse, sseThenHang, startScriptedServer, type Reply } from "../../testing/scriptedProviderServer";
import { startFakeChatServer, type ChatReply, type Dialect } from "../../testing/fakeModelServers/openaiCompatible";
import type { FakeServer } from "../../testing/fakeModelServers/base";
import type { Frame, GenerateOptions, GenerateRequest, StreamEvent } from "./types";

const FAST_RETRY = { retries: 3, baseDelayMs: 1, maxDelayMs: 2_000 };
const req: GenerateRequest = { system: "You caption.", user: "Caption this.", mode: "text" };
const frames: Frame[] = [
  { mime: "image/jpeg", base64: "AAAA", atSec: 0 },
  { mime: "image/jpeg", base64: "BBBB", atSec: 1.25 },
];

let server: { close: () => Promise<void> } | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const textOf = (events: StreamEvent[]) => events.map((e) => (e.type === "text" ? e.text : "")).join("");

async function runAgainst(
  dialect: Dialect,
  replies: ChatReply[],
  request: GenerateRequest = req,
  over: Partial<OpenAiSettings> = {},
  opts: GenerateOptions = {},
) {
  const fake = await startFakeChatServer(dialect, replies);
  server = fake;
  const provider = createOpenAiProvider({ baseUrl: `${fake.url}/v1/`, apiKey: "sk-test", model: "qwen3-vl", server: dialect, ...over });
  const events: StreamEvent[] = [];
  let error: ProviderError | null = null;
  const started = Date.now();
  try {
    for await (const e of provider.generate(request, { retry: FAST_RETRY, ...opts })) events.push(e);
  } catch (e) {
    error = e as ProviderError;
  }
  return { fake, events, error, text: textOf(events), ms: Date.now() - started };
}

const bodyOf = (fake: FakeServer, n = 0) => fake.requests[n]?.body as Record<string, unknown> & { messages: Array<{ content: unknown }> };

describe("openai-compatible provider: a normal stream", () => {
  it.each(["vllm", "ollama", "openai"] as const)("%s: reads role, content, finish and usage chunks and ends with the finish", async (dialect) => {
    const { events, error, text, fake } = await runAgainst(dialect, [{ kind: "stream", text: ["The camera ", "dollies ", "in."] }]);
    expect(error).toBeNull();
    expect(text).toBe("The camera dollies in.");
    expect(events.at(-1)).toEqual({ type: "finish", reason: "stop" });
    expect(events.find((e) => e.type === "usage")).toEqual({ type: "usage", inputTokens: 100, outputTokens: 3, totalTokens: 103 });
    expect(fake.requests[0]?.url).toBe("/v1/chat/completions");
    expect(fake.requests[0]?.headers.authorization).toBe("Bearer sk-test");
    expect(bodyOf(fake)).toMatchObject({ model: "qwen3-vl", stream: true, stream_options: { include_usage: true } });
  });

  it("reads CRLF-framed events", async () => {
    const { text, error } = await runAgainst("vllm", [{ kind: "stream", text: ["a ", "b"], crlf: true }]);
    expect(error).toBeNull();
    expect(text).toBe("a b");
  });
});

// Finding 1: a stream that stops early must never come back as a finished answer.
describe("openai-compatible provider: every end but a normal finish is an error", () => {
  it("vLLM stopping at the token limit (finish_reason length on the last content chunk)", async () => {
    const { text, error } = await runAgainst("vllm", [{ kind: "stream", text: ["The camera ", "dollies"], finish: "length" }]);
    expect(text).toBe("The camera dollies");
    expect(error?.code).toBe("incomplete");
    expect(error?.finishReason).toBe("length");
    expect(error?.message).toBe('vllm stopped at the token limit before finishing (finish_reason "length")');
  });

  it("OpenAI's content filter", async () => {
    const { error } = await runAgainst("openai", [{ kind: "stream", text: ["The "], finish: "content_filter" }], req, { model: "gpt-4o" });
    expect(error?.code).toBe("incomplete");
    expect(error?.message).toMatch(/content filter/);
  });

  it("vLLM's in-stream error, with [DONE] after it", async () => {
    const { text, error } = await runAgainst("vllm", [{ kind: "error-after", text: ["The "], message: "CUDA out of memory" }]);
    expect(text).toBe("The ");
    expect(error?.code).toBe("stream_error");
    expect(error?.message).toBe("vllm reported an error in the stream: CUDA out of memory");
  });

  it("Ollama failing after it started: one empty chunk, then the body ends with no finish and no [DONE]", async () => {
    const { text, error } = await runAgainst("ollama", [{ kind: "error-after", text: ["The camera "], message: "model runner stopped" }]);
    expect(text).toBe("The camera ");
    expect(error?.code).toBe("incomplete");
    expect(error?.message).toMatch(/^ollama: the stream ended before the model finished/);
  });

  it("a cut stream (the body ends mid-answer)", async () => {
    const { error } = await runAgainst("vllm", [{ kind: "stream", text: ["The "], end: "cut" }]);
    expect(error?.code).toBe("incomplete");
  });

  it("[DONE] without any finish_reason", async () => {
    const { error } = await runAgainst("openai", [{ kind: "stream", text: ["The "], end: "done-without-finish" }], req, { model: "gpt-4o" });
    expect(error?.code).toBe("incomplete");
    expect(error?.message).toMatch(/\(\[DONE\]\) without a finish_reason/);
  });

  it("is not retried once text has streamed", async () => {
    const { fake } = await runAgainst("vllm", [{ kind: "stream", text: ["The "], end: "cut" }, { kind: "stream", text: ["again"] }]);
    expect(fake.requests).toHaveLength(1);
  });
});

// Finding 3 and 4: frames carry their times; video parts go only where they are taken.
describe("openai-compatible provider: frames and video", () => {
  it("labels each frame with its time before the image (Ollama takes the parts)", async () => {
    const { fake, error } = await runAgainst("ollama", [{ kind: "stream", text: ["ok"] }], { ...req, mode: "frames", images: frames, durationSec: 2.5 });
    expect(error).toBeNull();
    expect(bodyOf(fake).messages[1]?.content).toEqual([
      { type: "text", text: "2 frames sampled from the video, a clip 2.5 s long, each after its time:" },
      { type: "text", text: "Frame at 0 s:" },
      { type: "image_url", image_url: { url: "data:image/jpeg;base64,AAAA" } },
      { type: "text", text: "Frame at 1.25 s:" },
      { type: "image_url", image_url: { url: "data:image/jpeg;base64,BBBB" } },
      { type: "text", text: "Caption this." },
    ]);
  });

  it("sends Qwen-VL on vLLM the frames as one JPEG-sequence video with its timeline", async () => {
    const { fake, error } = await runAgainst("vllm", [{ kind: "stream", text: ["ok"] }], { ...req, mode: "frames", images: frames, durationSec: 2.5 }, {
      model: "Qwen/Qwen3-VL-8B-Instruct",
    });
    expect(error).toBeNull();
    const body = bodyOf(fake);
    expect(body.messages[1]?.content).toEqual([
      { type: "video_url", video_url: { url: "data:video/jpeg;base64,AAAA,BBBB" } },
      { type: "text", text: "Caption this." },
    ]);
    // Qwen3-VL stamps frame i at frames_indices[i] / fps: 0 s and 1.25 s.
    expect(body.media_io_kwargs).toEqual({ video: { fps: 0.8, frames_indices: [0, 1], total_num_frames: 2, duration: 2.5 } });
  });

  it("falls back to labelled images when the frames' times cannot be told as a video", async () => {
    const uneven: Frame[] = [frames[0] as Frame, { ...(frames[1] as Frame), atSec: 0.2 }];
    const { fake } = await runAgainst("vllm", [{ kind: "stream", text: ["ok"] }], { ...req, mode: "frames", images: uneven, durationSec: 2.5 }, {
      model: "Qwen/Qwen3-VL-8B-Instruct",
    });
    expect(JSON.stringify(bodyOf(fake).messages[1]?.content)).toContain("Frame at 0.2 s:");
    expect(bodyOf(fake).media_io_kwargs).toBeUndefined();
  });

  it("sends a video_url part to vLLM", async () => {
    const { fake, error } = await runAgainst("vllm", [{ kind: "stream", text: ["ok"] }], { ...req, mode: "video", videoUrl: "http://media/clip.webm" });
    expect(error).toBeNull();
    expect(bodyOf(fake).messages[1]?.content).toEqual([
      { type: "video_url", video_url: { url: "http://media/clip.webm" } },
      { type: "text", text: "Caption this." },
    ]);
  });

  it("never sends a video part to Ollama or OpenAI (they refuse it)", async () => {
    for (const dialect of ["ollama", "openai"] as const) {
      const { fake, error } = await runAgainst(dialect, [{ kind: "stream", text: ["ok"] }], { ...req, mode: "video", videoUrl: "http://media/clip.webm" }, {
        model: "gpt-4o",
      });
      expect(error?.code).toBe("input");
      expect(fake.requests).toHaveLength(0);
      await fake.close();
    }
    server = undefined;
  });

  it("the fakes refuse what the real servers refuse", async () => {
    const ollama = await startFakeChatServer("ollama", []);
    const refused = await fetch(`${ollama.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", stream: true, messages: [{ role: "user", content: [{ type: "video_url", video_url: { url: "data:video/mp4;base64,AA" } }] }] }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: { message: "invalid message format", type: "invalid_request_error", param: null, code: null } });
    await ollama.close();
  });

  it("refuses 'video' frames for a server other than vLLM", () => {
    expect(() => paramsFor("ollama", "qwen3-vl", "video")).toThrow(/need vLLM/);
  });
});

// Finding 5: parameters the model accepts, retries that honour each service's signals.
describe("openai-compatible provider: parameters and retries", () => {
  it("the parameter table: reasoning models get no temperature and max_completion_tokens", async () => {
    expect(["o1", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5.1", "openai/gpt-5-nano"].every(isReasoningModel)).toBe(true);
    expect(["gpt-4o", "gpt-4.1-mini", "gpt-5-chat-latest", "Qwen/Qwen3-VL-8B-Instruct"].some(isReasoningModel)).toBe(false);
    const body = await openAiRequestBody("o4-mini", { ...req, temperature: 0, maxTokens: 400 }, "openai");
    expect(body).not.toHaveProperty("temperature");
    expect(body).toMatchObject({ max_completion_tokens: 400 });
    expect(await openAiRequestBody("gpt-4o", { ...req, temperature: 0.7 }, "openai")).toMatchObject({ temperature: 0.7 });
    expect(await openAiRequestBody("qwen3-vl", { ...req, maxTokens: 300 }, "ollama")).toMatchObject({ max_tokens: 300 });
    expect(serverFromUrl("https://api.openai.com/v1")).toBe("openai");
    expect(serverFromUrl("http://localhost:11434/v1")).toBe("ollama");
    expect(serverFromUrl("http://gpu-box:8000/v1")).toBe("generic");
  });

  it("a judge at temperature 0 reaches a reasoning model without the temperature it would refuse", async () => {
    const { error, fake } = await runAgainst("openai", [{ kind: "stream", text: ["Yes"] }], { ...req, temperature: 0, maxTokens: 5 }, { model: "o4-mini" });
    expect(error).toBeNull();
    expect(bodyOf(fake)).not.toHaveProperty("temperature");
  });

  it("surfaces the error body's message and does not retry a 401", async () => {
    const { error, fake } = await runAgainst("openai", [
      { kind: "status", status: 401, body: { error: { message: "Incorrect API key provided", type: "invalid_request_error" } } },
    ], req, { model: "gpt-4o" });
    expect(error?.code).toBe("http");
    expect(error?.message).toBe("openai returned HTTP 401: Incorrect API key provided");
    expect(fake.requests).toHaveLength(1);
  });

  it("waits retry-after-ms over Retry-After", async () => {
    const { text, ms, fake } = await runAgainst("openai", [
      { kind: "status", status: 429, body: { error: { message: "Rate limit reached" } }, headers: { "retry-after-ms": "150", "retry-after": "60" } },
      { kind: "stream", text: ["after retry"] },
    ], req, { model: "gpt-4o" });
    expect(text).toBe("after retry");
    expect(fake.requests).toHaveLength(2);
    expect(ms).toBeGreaterThanOrEqual(140);
  });

  it("obeys x-should-retry both ways", async () => {
    const no = await runAgainst("openai", [
      { kind: "status", status: 503, body: { error: { message: "overloaded" } }, headers: { "x-should-retry": "false" } },
    ], req, { model: "gpt-4o" });
    expect(no.fake.requests).toHaveLength(1);
    await no.fake.close();
    const yes = await runAgainst("openai", [
      { kind: "status", status: 400, body: { error: { message: "try again" } }, headers: { "x-should-retry": "true" } },
      { kind: "stream", text: ["ok"] },
    ], req, { model: "gpt-4o" });
    expect(yes.text).toBe("ok");
  });

  it("never retries 429 insufficient_quota", async () => {
    const quota = { error: { message: "You exceeded your current quota, please check your plan and billing details.", type: "insufficient_quota", param: null, code: "insufficient_quota" } };
    const { error, fake } = await runAgainst("openai", [
      { kind: "status", status: 429, body: quota },
      { kind: "stream", text: ["never"] },
    ], req, { model: "gpt-4o" });
    expect(fake.requests).toHaveLength(1);
    expect(error?.message).toMatch(/quota is used up; retrying cannot help/);
  });

  it("gives up at once when asked to wait longer than allowed", async () => {
    const { error, fake } = await runAgainst("vllm", [{ kind: "status", status: 429, body: { error: { message: "slow down" } }, headers: { "retry-after": "3600" } }]);
    expect(error?.status).toBe(429);
    expect(error?.message).toMatch(/asked to wait 3600 s; not retried/);
    expect(fake.requests).toHaveLength(1);
  });

  it("retries a dropped connection before the first token", async () => {
    const drop: Reply = (res) => {
      res.socket?.destroy();
    };
    const finished = { choices: [{ index: 0, delta: { content: "reconnected" }, finish_reason: "stop" }] };
    const scripted = await startScriptedServer([drop, sse([finished], { done: true })]);
    server = scripted;
    const provider = createOpenAiProvider({ baseUrl: scripted.url, model: "m" });
    const events: StreamEvent[] = [];
    for await (const e of provider.generate(req, { retry: FAST_RETRY })) events.push(e);
    expect(textOf(events)).toBe("reconnected");
    expect(scripted.requests).toHaveLength(2);
  });

  it("retries 5xx before the first token, then gives up with the last error", async () => {
    const busy: ChatReply = { kind: "status", status: 503, body: { error: { message: "overloaded" } } };
    const { error, fake } = await runAgainst("vllm", [busy, busy, busy], req, {}, { retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5 } });
    expect(error?.message).toBe("vllm returned HTTP 503: overloaded");
    expect(fake.requests).toHaveLength(3);
  });
});

describe("openai-compatible provider: time limits and cancellation", () => {
  const chunk = (content: string) => ({ choices: [{ index: 0, delta: { content }, finish_reason: null }] });

  it("times out a stalled stream, and a silent server", async () => {
    const scripted = await startScriptedServer([sseThenHang([chunk("The camera")]), hang]);
    server = scripted;
    const provider = createOpenAiProvider({ baseUrl: scripted.url, model: "m" });
    const events: StreamEvent[] = [];
    const err = await (async () => {
      try {
        for await (const e of provider.generate(req, { timeoutMs: 2_000, stallTimeoutMs: 150, retry: { retries: 0 } })) events.push(e);
      } catch (e) {
        return e as ProviderError;
      }
      return null;
    })();
    expect(textOf(events)).toBe("The camera");
    expect(err?.code).toBe("timeout");
    expect(err?.message).toMatch(/stalled/);
    const silent = await (async () => {
      try {
        for await (const e of provider.generate(req, { timeoutMs: 150, retry: { retries: 0 } })) events.push(e);
      } catch (e) {
        return e as ProviderError;
      }
      return null;
    })();
    expect(silent?.message).toMatch(/no response/);
  });

  it("stops mid-stream when cancelled and closes the connection", async () => {
    const scripted = await startScriptedServer([sseThenHang([chunk("The "), chunk("camera")])]);
    server = scripted;
    const provider = createOpenAiProvider({ baseUrl: scripted.url, model: "m" });
    const controller = new AbortController();
    const seen: string[] = [];
    let error: unknown = null;
    try {
      for await (const e of provider.generate(req, { signal: controller.signal, timeoutMs: 10_000 })) {
        if (e.type === "text") seen.push(e.text);
        if (seen.length === 2) controller.abort();
      }
    } catch (e) {
      error = e;
    }
    expect(seen).toEqual(["The ", "camera"]);
    expect(error instanceof ProviderError && error.code).toBe("cancelled");
    await scripted.closed(0);
    expect(scripted.requests[0]?.headers.authorization).toBeUndefined();
  });
});
