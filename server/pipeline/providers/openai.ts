import { ProviderError } from "./errors";
import { parseJsonData, sseProvider, type SseCall } from "./http";
import type { GenerateRequest, ModelProvider, StreamEvent } from "./types";

/**
 * Any OpenAI-compatible chat-completions server (OpenAI, vLLM or Ollama serving Qwen3-VL), streamed over SSE.
 * Frames go as image_url parts with data: URLs; a video as a video_url part (the form vLLM accepts for Qwen-VL).
 */
export type OpenAiSettings = { baseUrl: string; apiKey?: string; model: string };

type ContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string } }
  | { type: "video_url"; video_url: { url: string } };

export function openAiRequestBody(model: string, req: GenerateRequest) {
  const media: ContentPart[] = [];
  if (req.mode === "frames") {
    for (const img of req.images ?? []) {
      media.push({ type: "image_url", image_url: { url: `data:${img.mime};base64,${img.base64}` } });
    }
  } else if (req.mode === "video") {
    const url = req.videoUrl ?? (req.video ? `data:${req.video.mime};base64,${req.video.base64}` : null);
    if (!url) throw new ProviderError("openai", "input", "openai: video mode needs a video URL or the video itself");
    media.push({ type: "video_url", video_url: { url } });
  }
  const userContent: string | ContentPart[] = media.length
    ? [...media, { type: "text", text: req.user }]
    : req.user;
  return {
    model,
    stream: true,
    stream_options: { include_usage: true },
    messages: [
      { role: "system", content: req.system },
      { role: "user", content: userContent },
    ],
    ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    ...(req.maxTokens !== undefined ? { max_tokens: req.maxTokens } : {}),
  };
}

type ChatChunk = {
  error?: { message?: string } | string;
  choices?: Array<{ delta?: { content?: string | null } }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null;
};

function eventsFromChunk(data: string): StreamEvent[] {
  const chunk = parseJsonData("openai", data) as ChatChunk;
  if (chunk.error) {
    const message = typeof chunk.error === "string" ? chunk.error : (chunk.error.message ?? "unknown error");
    throw new ProviderError("openai", "bad_response", `openai reported an error mid-stream: ${message}`);
  }
  const events: StreamEvent[] = [];
  const text = chunk.choices?.[0]?.delta?.content;
  if (typeof text === "string" && text) events.push({ type: "text", text });
  if (chunk.usage) {
    events.push({
      type: "usage",
      inputTokens: chunk.usage.prompt_tokens ?? null,
      outputTokens: chunk.usage.completion_tokens ?? null,
      totalTokens: chunk.usage.total_tokens ?? null,
    });
  }
  return events;
}

export function createOpenAiProvider(settings: OpenAiSettings): ModelProvider {
  const url = `${settings.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  return sseProvider("openai", settings.model, (req): SseCall => ({
    provider: "openai",
    url,
    headers: settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {},
    body: openAiRequestBody(settings.model, req),
    onData: eventsFromChunk,
  }));
}
