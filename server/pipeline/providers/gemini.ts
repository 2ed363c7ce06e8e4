import { ProviderError } from "./errors";
import { parseJsonData, sseProvider } from "./http";
import type { GenerateRequest, ModelProvider, StreamEvent } from "./types";

/**
 * Google's Generative Language API, `models/{model}:streamGenerateContent?alt=sse`: the video itself (or frames) as
 * inline_data parts, the key in the x-goog-api-key header.
 */
export const GEMINI_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";
export type GeminiSettings = { apiKey: string; model: string; baseUrl?: string };

type Part =
  | { text: string }
  | { inline_data: { mime_type: string; data: string } }
  | { file_data: { mime_type: string; file_uri: string } };

export function geminiRequestBody(req: GenerateRequest) {
  const parts: Part[] = [];
  if (req.mode === "video") {
    if (req.video) parts.push({ inline_data: { mime_type: req.video.mime, data: req.video.base64 } });
    else if (req.videoUrl) parts.push({ file_data: { mime_type: videoMime(req.videoUrl), file_uri: req.videoUrl } });
    else throw new ProviderError("gemini", "input", "gemini: video mode needs the video bytes or a file URI");
  } else if (req.mode === "frames") {
    for (const img of req.images ?? []) parts.push({ inline_data: { mime_type: img.mime, data: img.base64 } });
  }
  parts.push({ text: req.user });
  const generationConfig: Record<string, number> = {};
  if (req.temperature !== undefined) generationConfig.temperature = req.temperature;
  if (req.maxTokens !== undefined) generationConfig.maxOutputTokens = req.maxTokens;
  return {
    system_instruction: { parts: [{ text: req.system }] },
    contents: [{ role: "user", parts }],
    ...(Object.keys(generationConfig).length ? { generationConfig } : {}),
  };
}

function videoMime(url: string): string {
  const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  return ext === "webm" ? "video/webm" : ext === "mov" ? "video/quicktime" : "video/mp4";
}

type GeminiChunk = {
  error?: { message?: string; status?: string };
  candidates?: Array<{ content?: { parts?: Array<{ text?: string; thought?: boolean }> }; finishReason?: string }>;
  promptFeedback?: { blockReason?: string };
  usageMetadata?: { promptTokenCount?: number; candidatesTokenCount?: number; totalTokenCount?: number };
};

function eventsFromChunk(data: string): StreamEvent[] {
  const chunk = parseJsonData("gemini", data) as GeminiChunk;
  if (chunk.error) {
    throw new ProviderError("gemini", "bad_response", `gemini reported an error mid-stream: ${chunk.error.message ?? chunk.error.status ?? "unknown error"}`);
  }
  if (chunk.promptFeedback?.blockReason) {
    throw new ProviderError("gemini", "bad_response", `gemini blocked the prompt (${chunk.promptFeedback.blockReason})`);
  }
  const events: StreamEvent[] = [];
  for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
    // Thought summaries are not part of the answer.
    if (typeof part.text === "string" && part.text && !part.thought) events.push({ type: "text", text: part.text });
  }
  const u = chunk.usageMetadata;
  if (u) {
    events.push({
      type: "usage",
      inputTokens: u.promptTokenCount ?? null,
      outputTokens: u.candidatesTokenCount ?? null,
      totalTokens: u.totalTokenCount ?? null,
    });
  }
  return events;
}

export function createGeminiProvider(settings: GeminiSettings): ModelProvider {
  const base = (settings.baseUrl ?? GEMINI_BASE_URL).replace(/\/+$/, "");
  const url = `${base}/models/${encodeURIComponent(settings.model)}:streamGenerateContent?alt=sse`;
  return sseProvider("gemini", settings.model, (req) => ({
    provider: "gemini",
    url,
    headers: { "x-goog-api-key": settings.apiKey },
    body: geminiRequestBody(req),
    onData: eventsFromChunk,
  }));
}
