import { afterEach, describe, expect, it } from "vitest";
import { ProviderError } from "./errors";
import { createGeminiProvider } from "./gemini";
import { createProvider } from "./index";
import { fail, sse, sseThenHang, startScriptedServer } from "../../testing/scriptedProviderServer";
import type { Reply, ScriptedServer } from "../../testing/scriptedProviderServer";
import type { GenerateOptions, GenerateRequest, StreamEvent } from "./types";

const chunk = (text: string, usage?: { promptTokenCount: number; candidatesTokenCount: number; totalTokenCount: number }) => ({
  candidates: [{ content: { role: "model", parts: [{ text }] }, index: 0 }],
  ...(usage ? { usageMetadata: usage } : {}),
  modelVersion: "gemini-2.5-flash",
});
const FAST_RETRY = { retries: 3, baseDelayMs: 1, maxDelayMs: 50 };
const req: GenerateRequest = { system: "You caption.", user: "Caption this.", mode: "text" };

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(replies: Reply[], request: GenerateRequest = req, opts: GenerateOptions = {}) {
  server = await startScriptedServer(replies);
  const provider = createGeminiProvider({ apiKey: "g-key", model: "gemini-2.5-flash", baseUrl: `${server.url}/v1beta` });
  const events: StreamEvent[] = [];
  let error: ProviderError | null = null;
  try {
    for await (const e of provider.generate(request, { retry: FAST_RETRY, ...opts })) events.push(e);
  } catch (e) {
    error = e as ProviderError;
  }
  return { events, error, text: events.map((e) => (e.type === "text" ? e.text : "")).join("") };
}

describe("gemini provider", () => {
  it("streams candidates' text, keeps the usage metadata, and sends the generateContent body", async () => {
    const { text, events, error } = await run([
      sse([
        chunk("The camera ", { promptTokenCount: 50, candidatesTokenCount: 2, totalTokenCount: 52 }),
        chunk("pans left.", { promptTokenCount: 50, candidatesTokenCount: 5, totalTokenCount: 55 }),
      ]),
    ]);
    expect(error).toBeNull();
    expect(text).toBe("The camera pans left.");
    expect(events.filter((e) => e.type === "usage").at(-1)).toEqual({
      type: "usage",
      inputTokens: 50,
      outputTokens: 5,
      totalTokens: 55,
    });
    const sent = server?.requests[0];
    expect(sent?.url).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    expect(sent?.headers["x-goog-api-key"]).toBe("g-key");
    expect(sent?.body).toEqual({
      system_instruction: { parts: [{ text: "You caption." }] },
      contents: [{ role: "user", parts: [{ text: "Caption this." }] }],
    });
  });

  it("sends the video inline, before the text", async () => {
    await run([sse([chunk("ok")])], { ...req, mode: "video", video: { mime: "video/webm", base64: "VIDEO" }, temperature: 0.2 });
    expect(server?.requests[0]?.body).toEqual({
      system_instruction: { parts: [{ text: "You caption." }] },
      contents: [
        { role: "user", parts: [{ inline_data: { mime_type: "video/webm", data: "VIDEO" } }, { text: "Caption this." }] },
      ],
      generationConfig: { temperature: 0.2 },
    });
  });

  it("sends frames as inline images", async () => {
    await run([sse([chunk("ok")])], { ...req, mode: "frames", images: [{ mime: "image/jpeg", base64: "F1" }] });
    const body = server?.requests[0]?.body as { contents: Array<{ parts: unknown[] }> };
    expect(body.contents[0]?.parts[0]).toEqual({ inline_data: { mime_type: "image/jpeg", data: "F1" } });
  });

  it("surfaces Google's error message", async () => {
    const { error } = await run([
      fail(400, { error: { code: 400, message: "API key not valid. Please pass a valid API key.", status: "INVALID_ARGUMENT" } }),
    ]);
    expect(error?.message).toBe("gemini returned HTTP 400: API key not valid. Please pass a valid API key.");
    expect(server?.requests).toHaveLength(1);
  });

  it("retries 429 and 500 before the first token", async () => {
    const { text, error } = await run([
      fail(429, { error: { code: 429, message: "Resource has been exhausted", status: "RESOURCE_EXHAUSTED" } }),
      fail(500, { error: { code: 500, message: "Internal error", status: "INTERNAL" } }),
      sse([chunk("third time")]),
    ]);
    expect(error).toBeNull();
    expect(text).toBe("third time");
    expect(server?.requests).toHaveLength(3);
  });

  it("times out a stalled stream without retrying after the first token", async () => {
    const { text, error } = await run([sseThenHang([chunk("partial")])], req, { stallTimeoutMs: 150 });
    expect(text).toBe("partial");
    expect(error?.code).toBe("timeout");
    expect(server?.requests).toHaveLength(1);
  });

  it("cancels mid-stream", async () => {
    server = await startScriptedServer([sseThenHang([chunk("one"), chunk(" two")])]);
    const provider = createProvider({ provider: "gemini", geminiApiKey: "k", model: "m", geminiBaseUrl: server.url });
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
    await server.closed(0);
  });

  it("refuses to start without an API key", () => {
    expect(() => createProvider({ provider: "gemini", model: "m" })).toThrow(/GEMINI_API_KEY/);
    expect(() => createProvider({ provider: "openai", openaiBaseUrl: "http://x" })).toThrow(/MODEL/);
    expect(createProvider({ provider: "rules" }).name).toBe("rules");
  });
});
