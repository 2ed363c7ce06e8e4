import { afterEach, describe, expect, it } from "vitest";
import { ProviderError } from "./errors";
import { createOpenAiProvider } from "./openai";
import { fail, hang, sse, sseThenHang, startScriptedServer } from "../../testing/scriptedProviderServer";
import type { Reply, ScriptedServer } from "../../testing/scriptedProviderServer";
import type { GenerateOptions, GenerateRequest, StreamEvent } from "./types";

const chunk = (content: string) => ({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  model: "qwen3-vl",
  choices: [{ index: 0, delta: { content }, finish_reason: null }],
});
const usageChunk = {
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  model: "qwen3-vl",
  choices: [],
  usage: { prompt_tokens: 120, completion_tokens: 7, total_tokens: 127 },
};
const FAST_RETRY = { retries: 3, baseDelayMs: 1, maxDelayMs: 50 };

const req: GenerateRequest = { system: "You caption.", user: "Caption this.", mode: "text" };

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(replies: Reply[], request: GenerateRequest = req, opts: GenerateOptions = {}) {
  server = await startScriptedServer(replies);
  const provider = createOpenAiProvider({ baseUrl: `${server.url}/v1/`, apiKey: "sk-test", model: "qwen3-vl" });
  const events: StreamEvent[] = [];
  try {
    for await (const e of provider.generate(request, { retry: FAST_RETRY, ...opts })) events.push(e);
    return { events, error: null, text: textOf(events) };
  } catch (error) {
    return { events, error: error as ProviderError, text: textOf(events) };
  }
}
const textOf = (events: StreamEvent[]) => events.map((e) => (e.type === "text" ? e.text : "")).join("");

describe("openai provider", () => {
  it("streams chunks, reads usage from the final chunk, and sends the chat-completions body", async () => {
    const { text, events, error } = await run([
      sse([chunk("The camera "), chunk("dollies "), chunk("in."), usageChunk], { done: true }),
    ]);
    expect(error).toBeNull();
    expect(text).toBe("The camera dollies in.");
    expect(events.at(-1)).toEqual({ type: "usage", inputTokens: 120, outputTokens: 7, totalTokens: 127 });
    const sent = server?.requests[0];
    expect(sent?.method).toBe("POST");
    expect(sent?.url).toBe("/v1/chat/completions");
    expect(sent?.headers.authorization).toBe("Bearer sk-test");
    expect(sent?.body).toEqual({
      model: "qwen3-vl",
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: "system", content: "You caption." },
        { role: "user", content: "Caption this." },
      ],
    });
  });

  it("sends sampled frames as image_url parts with data URLs", async () => {
    await run([sse([chunk("ok")], { done: true })], {
      ...req,
      mode: "frames",
      images: [
        { mime: "image/jpeg", base64: "AAAA" },
        { mime: "image/png", base64: "BBBB" },
      ],
    });
    const body = server?.requests[0]?.body as { messages: Array<{ content: unknown }> };
    expect(body.messages[1]?.content).toEqual([
      { type: "image_url", image_url: { url: "data:image/jpeg;base64,AAAA" } },
      { type: "image_url", image_url: { url: "data:image/png;base64,BBBB" } },
      { type: "text", text: "Caption this." },
    ]);
  });

  it("sends a video as a video_url part", async () => {
    await run([sse([chunk("ok")], { done: true })], { ...req, mode: "video", videoUrl: "http://media/clip.webm" });
    const body = server?.requests[0]?.body as { messages: Array<{ content: unknown }> };
    expect(body.messages[1]?.content).toEqual([
      { type: "video_url", video_url: { url: "http://media/clip.webm" } },
      { type: "text", text: "Caption this." },
    ]);
  });

  it("surfaces the error body's message and does not retry a 401", async () => {
    const { error } = await run([
      fail(401, { error: { message: "Incorrect API key provided", type: "invalid_request_error" } }),
    ]);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error?.code).toBe("http");
    expect(error?.status).toBe(401);
    expect(error?.message).toBe("openai returned HTTP 401: Incorrect API key provided");
    expect(server?.requests).toHaveLength(1);
  });

  it("retries a 429 (honouring Retry-After) and then succeeds", async () => {
    const { text, error } = await run([
      fail(429, { error: { message: "Rate limit reached" } }, { "retry-after": "0" }),
      sse([chunk("after "), chunk("retry")], { done: true }),
    ]);
    expect(error).toBeNull();
    expect(text).toBe("after retry");
    expect(server?.requests).toHaveLength(2);
  });

  it("retries a 500 and then succeeds", async () => {
    const { text } = await run([fail(500, { error: { message: "boom" } }), sse([chunk("fine")], { done: true })]);
    expect(text).toBe("fine");
    expect(server?.requests).toHaveLength(2);
  });

  it("retries a dropped connection before the first token", async () => {
    const drop: Reply = (res) => {
      res.socket?.destroy();
    };
    const { text, error } = await run([drop, sse([chunk("reconnected")], { done: true })]);
    expect(error).toBeNull();
    expect(text).toBe("reconnected");
    expect(server?.requests).toHaveLength(2);
  });

  it("gives up after the retries with the last error", async () => {
    const busy = fail(503, { error: { message: "overloaded" } });
    const { error } = await run([busy, busy, busy], req, { retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5 } });
    expect(error?.message).toBe("openai returned HTTP 503: overloaded");
    expect(server?.requests).toHaveLength(3);
  });

  it("does not wait longer than allowed for a Retry-After", async () => {
    const { error } = await run([fail(429, { error: { message: "slow down" } }, { "retry-after": "3600" })]);
    expect(error?.status).toBe(429);
    expect(server?.requests).toHaveLength(1);
  });

  it("reports an error sent inside the stream", async () => {
    const { text, error } = await run([sse([chunk("The "), { error: { message: "model crashed" } }])]);
    expect(text).toBe("The ");
    expect(error?.message).toBe("openai reported an error mid-stream: model crashed");
  });

  it("times out a stalled stream", async () => {
    const { text, error } = await run([sseThenHang([chunk("The camera")])], req, { timeoutMs: 2_000, stallTimeoutMs: 150 });
    expect(text).toBe("The camera");
    expect(error?.code).toBe("timeout");
    expect(error?.message).toMatch(/stalled/);
  });

  it("times out when no response comes", async () => {
    const { error } = await run([hang], req, { timeoutMs: 150 });
    expect(error?.code).toBe("timeout");
    expect(error?.message).toMatch(/no response/);
  });

  it("stops mid-stream when cancelled and closes the connection", async () => {
    server = await startScriptedServer([sseThenHang([chunk("The "), chunk("camera")])]);
    const provider = createOpenAiProvider({ baseUrl: server.url, model: "m" });
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
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe("cancelled");
    await server.closed(0);
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });
});
