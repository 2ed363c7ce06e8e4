import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ProviderError } from "./errors";
import { createGeminiProvider, geminiFps, type GeminiSettings } from "./gemini";
import { createProvider } from "./index";
import { sseThenHang, startScriptedServer } from "../../testing/scriptedProviderServer";
import { rateLimited, startFakeGeminiServer, type FakeGeminiOptions, type GeminiReply } from "../../testing/fakeModelServers/gemini";
import type { GenerateRequest, StreamEvent } from "./types";

const FAST_RETRY = { retries: 3, baseDelayMs: 1, maxDelayMs: 2_000 };
const req: GenerateRequest = { system: "You caption.", user: "Caption this.", mode: "text" };
const internal = { code: 500, message: "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting", status: "INTERNAL" };

let server: { close: () => Promise<void> } | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(replies: GeminiReply[], request: GenerateRequest = req, over: Partial<GeminiSettings> = {}, fakeOpts: Partial<FakeGeminiOptions> = {}) {
  const fake = await startFakeGeminiServer({ replies, ...fakeOpts });
  server = fake;
  const provider = createGeminiProvider({ apiKey: "g-key", model: "gemini-2.5-flash", baseUrl: `${fake.url}/v1beta`, filePollMs: 5, ...over });
  const events: StreamEvent[] = [];
  let error: ProviderError | null = null;
  const started = Date.now();
  try {
    for await (const e of provider.generate(request, { retry: FAST_RETRY })) events.push(e);
  } catch (e) {
    error = e as ProviderError;
  }
  return { fake, events, error, ms: Date.now() - started, text: events.map((e) => (e.type === "text" ? e.text : "")).join("") };
}

type Body = { contents: Array<{ parts: Array<Record<string, unknown>> }> };
const partsOf = (body: unknown) => (body as Body).contents[0]?.parts ?? [];

describe("gemini provider: a normal stream", () => {
  it("streams candidates' text, keeps the usage, ends with STOP, and sends the generateContent body", async () => {
    const { text, events, error, fake } = await run([{ kind: "stream", text: ["The camera ", "pans left."] }]);
    expect(error).toBeNull();
    expect(text).toBe("The camera pans left.");
    expect(events.at(-1)).toEqual({ type: "finish", reason: "STOP" });
    expect(events.filter((e) => e.type === "usage").at(-1)).toEqual({ type: "usage", inputTokens: 50, outputTokens: 2, totalTokens: 52 });
    const sent = fake.generateRequests()[0];
    expect(sent?.url).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    expect(sent?.headers["x-goog-api-key"]).toBe("g-key");
    expect(sent?.body).toEqual({
      system_instruction: { parts: [{ text: "You caption." }] },
      contents: [{ role: "user", parts: [{ text: "Caption this." }] }],
    });
  });
});

// Finding 1 (Gemini): only finishReason STOP is a finished answer.
describe("gemini provider: every other end is an error", () => {
  it.each([
    ["MAX_TOKENS", /output token limit/],
    ["SAFETY", /safety filter/],
    ["RECITATION", /recited source material/],
    ["PROHIBITED_CONTENT", /for its content/],
  ])("finishReason %s", async (reason, message) => {
    const { text, error } = await run([{ kind: "stream", text: ["The camera "], finishReason: reason }]);
    expect(text).toBe("The camera ");
    expect(error?.code).toBe("incomplete");
    expect(error?.finishReason).toBe(reason);
    expect(error?.message).toMatch(message);
  });

  it("a stream that ends with no finishReason", async () => {
    const { error } = await run([{ kind: "stream", text: ["The camera "], end: "cut" }]);
    expect(error?.code).toBe("incomplete");
    expect(error?.message).toMatch(/no finishReason/);
  });

  it("a blocked prompt", async () => {
    const { error } = await run([{ kind: "blocked", blockReason: "PROHIBITED_CONTENT" }]);
    expect(error?.code).toBe("incomplete");
    expect(error?.message).toBe("gemini blocked the prompt (PROHIBITED_CONTENT)");
  });
});

// Finding 2: errors with and without the data: prefix, array bodies, RetryInfo.
describe("gemini provider: errors in every framing", () => {
  it("a raw JSON error written into the stream without data:", async () => {
    const { text, error } = await run([{ kind: "raw-error", text: ["The "], error: internal }]);
    expect(text).toBe("The ");
    expect(error?.code).toBe("stream_error");
    expect(error?.message).toBe(`gemini reported an error in the stream: ${internal.message}`);
  });

  it("a raw JSON error array", async () => {
    const { error } = await run([{ kind: "raw-error", text: [], error: internal, array: true }]);
    expect(error?.code).toBe("stream_error");
    expect(error?.message).toContain("An internal error has occurred");
  });

  it("an error array as a data: event", async () => {
    const { error } = await run([{ kind: "data-error", text: ["The "], error: internal, array: true }]);
    expect(error?.code).toBe("stream_error");
  });

  it("an HTTP error whose body is an array", async () => {
    const { error, fake } = await run([
      { kind: "status", status: 400, body: [{ error: { code: 400, message: "API key not valid. Please pass a valid API key.", status: "INVALID_ARGUMENT" } }] },
    ]);
    expect(error?.message).toBe("gemini returned HTTP 400: API key not valid. Please pass a valid API key.");
    expect(fake.generateRequests()).toHaveLength(1);
  });

  it("waits the RetryInfo retryDelay of a 429, then succeeds", async () => {
    const { text, ms, fake } = await run([rateLimited("0.25s"), { kind: "stream", text: ["third time"] }]);
    expect(text).toBe("third time");
    expect(fake.generateRequests()).toHaveLength(2);
    expect(ms).toBeGreaterThanOrEqual(240);
  });

  it("does not retry when RetryInfo asks for longer than allowed, nor a daily quota", async () => {
    const long = await run([rateLimited("3600s"), { kind: "stream", text: ["never"] }]);
    expect(long.fake.generateRequests()).toHaveLength(1);
    expect(long.error?.message).toMatch(/asked to wait 3600 s/);
    await long.fake.close();
    const daily = await run([rateLimited("1s", "GenerateRequestsPerDayPerProjectPerModel-FreeTier"), { kind: "stream", text: ["never"] }]);
    expect(daily.fake.generateRequests()).toHaveLength(1);
    expect(daily.error?.message).toMatch(/daily quota is used up/);
  });

  it("retries 500 before the first token", async () => {
    const { text, fake } = await run([{ kind: "status", status: 500, body: { error: internal } }, { kind: "stream", text: ["ok"] }]);
    expect(text).toBe("ok");
    expect(fake.generateRequests()).toHaveLength(2);
  });
});

// Finding 3 and 4 (Gemini): frames with times, videoMetadata.fps, the Files API past the inline limit.
describe("gemini provider: frames and video", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "chai-gemini-"));
  const clip = (size: number) => {
    const file = path.join(tmp, `clip-${size}.webm`);
    fs.writeFileSync(file, Buffer.alloc(size, 7));
    return { path: file, mime: "video/webm", sizeBytes: size };
  };

  it("labels each frame with its time", async () => {
    const { fake } = await run([{ kind: "stream", text: ["ok"] }], { ...req, mode: "frames", images: [{ mime: "image/jpeg", base64: "F1", atSec: 0.5 }], durationSec: 4 });
    expect(partsOf(fake.generateRequests()[0]?.body)).toEqual([
      { text: "1 frames sampled from the video, a clip 4 s long, each after its time:" },
      { text: "Frame at 0.5 s:" },
      { inline_data: { mime_type: "image/jpeg", data: "F1" } },
      { text: "Caption this." },
    ]);
  });

  it("sends a small clip inline with video_metadata.fps (a 4 s clip is read at 8 fps, not 1)", async () => {
    const small = clip(600);
    const { fake, error } = await run([{ kind: "stream", text: ["ok"] }], { ...req, mode: "video", videoFile: small, durationSec: 4, temperature: 0.2 });
    expect(error).toBeNull();
    expect(geminiFps(4)).toBe(8);
    expect(partsOf(fake.generateRequests()[0]?.body)[0]).toEqual({
      inline_data: { mime_type: "video/webm", data: fs.readFileSync(small.path).toString("base64") },
      video_metadata: { fps: 8 },
    });
    expect((fake.generateRequests()[0]?.body as { generationConfig: unknown }).generationConfig).toEqual({ temperature: 0.2 });
  });

  it("uploads a clip over the inline limit through the Files API and waits for it to be ACTIVE", async () => {
    const big = clip(4000);
    const { fake, error, text } = await run([{ kind: "stream", text: ["from the file"] }], { ...req, mode: "video", videoFile: big, durationSec: 60 }, { inlineVideoMaxBytes: 1000 }, {
      inlineLimitBytes: 2000,
      processingPolls: 2,
    });
    expect(error).toBeNull();
    expect(text).toBe("from the file");
    const [file] = [...fake.files.values()];
    expect(file?.bytes?.equals(fs.readFileSync(big.path))).toBe(true);
    expect(file?.state).toBe("ACTIVE");
    expect(partsOf(fake.generateRequests()[0]?.body)[0]).toEqual({
      file_data: { mime_type: "video/webm", file_uri: `${fake.url}/v1beta/files/${file?.id}` },
      video_metadata: { fps: 1 },
    });
  });

  it("the fake refuses a clip inline past its limit, as the real API does", async () => {
    const big = clip(4000);
    const { error } = await run([{ kind: "stream", text: ["never"] }], { ...req, mode: "video", videoFile: big }, { inlineVideoMaxBytes: 1_000_000 }, { inlineLimitBytes: 2000 });
    expect(error?.message).toMatch(/Request payload size exceeds the limit/);
  });
});

describe("gemini provider: time limits, cancellation, configuration", () => {
  const chunk = (text: string) => ({ candidates: [{ content: { role: "model", parts: [{ text }] }, index: 0 }] });

  it("times out a stalled stream without retrying after the first token", async () => {
    const scripted = await startScriptedServer([sseThenHang([chunk("partial")])]);
    server = scripted;
    const provider = createGeminiProvider({ apiKey: "k", model: "m", baseUrl: scripted.url });
    let error: ProviderError | null = null;
    try {
      for await (const e of provider.generate(req, { stallTimeoutMs: 150 })) void e;
    } catch (e) {
      error = e as ProviderError;
    }
    expect(error?.code).toBe("timeout");
    expect(scripted.requests).toHaveLength(1);
  });

  it("cancels mid-stream", async () => {
    const scripted = await startScriptedServer([sseThenHang([chunk("one"), chunk(" two")])]);
    server = scripted;
    const provider = createProvider({ provider: "gemini", geminiApiKey: "k", model: "m", geminiBaseUrl: scripted.url });
    const controller = new AbortController();
    let error: unknown = null;
    const seen: string[] = [];
    try {
      for await (const e of provider.generate(req, { signal: controller.signal })) {
        if (e.type === "text") seen.push(e.text);
        controller.abort();
      }
    } catch (e) {
      error = e;
    }
    expect(seen).toEqual(["one"]);
    expect(error instanceof ProviderError && error.code).toBe("cancelled");
    await scripted.closed(0);
  });

  it("refuses to start without an API key", () => {
    expect(() => createProvider({ provider: "gemini", model: "m" })).toThrow(/GEMINI_API_KEY/);
    expect(() => createProvider({ provider: "openai", openaiBaseUrl: "http://x" })).toThrow(/MODEL/);
    expect(createProvider({ provider: "rules" }).name).toBe("rules");
  });
});
