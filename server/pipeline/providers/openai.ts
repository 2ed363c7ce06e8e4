import fs from "node:fs/promises";
import { ProviderError, errorObjectsIn, parseJsonOrNull } from "./errors";
import { parseJsonData, sseProvider, type FailureVerdict, type HttpFailure, type SseCall, type StreamDecoder } from "./http";
import type { Frame, GenerateRequest, ModelProvider, StreamEvent } from "./types";

/**
 * Any OpenAI-compatible chat-completions server, streamed over SSE: OpenAI itself, vLLM or Ollama serving
 * Qwen3-VL, or another compatible server ("generic"). The dialects differ in what they take, so the request is
 * built from a per-server, per-model parameter table (`paramsFor`) rather than one shape for all.
 */
export const OPENAI_SERVERS = ["openai", "vllm", "ollama", "generic"] as const;
export type OpenAiServer = (typeof OPENAI_SERVERS)[number];
/** How sampled frames are sent: images each after a "Frame at 1.25 s:" label, or one video part (vLLM). */
export const FRAME_INPUTS = ["labels", "video"] as const;
export type FrameInput = (typeof FRAME_INPUTS)[number];

export type OpenAiSettings = {
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** Which server this is; inferred from the URL when absent (see serverFromUrl). */
  server?: OpenAiServer;
  /** Overrides the table's choice of frame input (only vLLM takes "video"). */
  frames?: FrameInput;
};

/** api.openai.com is OpenAI; port 11434 or a host named ollama is Ollama; anything else must be named to get video. */
export function serverFromUrl(baseUrl: string): OpenAiServer {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return "generic";
  }
  if (url.hostname === "api.openai.com") return "openai";
  if (url.port === "11434" || /(^|\.)ollama\b/.test(url.hostname)) return "ollama";
  return "generic";
}

/**
 * OpenAI's reasoning models (the o-series and the GPT-5 family, per openai-node's ChatModel list: o1, o3, o3-mini,
 * o4-mini, gpt-5, gpt-5-mini, gpt-5.1, …) reject `temperature` other than the default and `max_tokens` ("not
 * compatible with o-series models", openai-node). The `*-chat-latest` models are the non-reasoning chat variants.
 */
export function isReasoningModel(model: string): boolean {
  const name = model.slice(model.lastIndexOf("/") + 1).toLowerCase();
  if (/^o\d(?:$|[-.])/.test(name) || name.startsWith("codex-mini")) return true;
  return /^gpt-5(?:$|[-.])/.test(name) && !name.includes("-chat");
}

/** Qwen2-VL, Qwen2.5-VL and Qwen3-VL: their processor gives each frame of a video input its timestamp. */
export const isQwenVl = (model: string) => /qwen[\d.]*-?vl/i.test(model);

export type ModelParams = {
  /** The server honours `temperature` for this model. */
  temperature: boolean;
  /** Ollama reads only `max_tokens`; OpenAI wants `max_completion_tokens` (required by reasoning models). */
  maxTokensField: "max_tokens" | "max_completion_tokens";
  /** Takes a `video_url` part (vLLM only: Ollama answers "invalid message format", OpenAI has no video part). */
  video: boolean;
  frames: FrameInput;
};

export function paramsFor(server: OpenAiServer, model: string, frames?: FrameInput): ModelParams {
  if (frames === "video" && server !== "vllm") {
    throw new ProviderError("openai", "config", `openai: frames as a video part need vLLM (the ${server} server refuses video_url parts)`);
  }
  switch (server) {
    case "openai":
      return { temperature: !isReasoningModel(model), maxTokensField: "max_completion_tokens", video: false, frames: "labels" };
    case "vllm":
      return { temperature: true, maxTokensField: "max_tokens", video: true, frames: frames ?? (isQwenVl(model) ? "video" : "labels") };
    case "ollama":
    case "generic":
      return { temperature: true, maxTokensField: "max_tokens", video: false, frames: "labels" };
  }
}

type ContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string } }
  | { type: "video_url"; video_url: { url: string } };

/** vLLM's per-request video loader arguments (`media_io_kwargs.video`) for a JPEG frame sequence. */
export type VideoTimeline = { fps: number; frames_indices: number[]; total_num_frames: number; duration: number };

const fmt = (sec: number) => `${Number(sec.toFixed(2))} s`;

/** "Frame at 1.25 s:" before each image: the model can place the critique's time ranges. */
export function labelledFrames(frames: readonly Frame[], durationSec: number | null | undefined): ContentPart[] {
  const parts: ContentPart[] = [];
  const length = durationSec && durationSec > 0 ? `, a clip ${fmt(durationSec)} long` : "";
  parts.push({ type: "text", text: `${frames.length} frames sampled from the video${length}, each after its time:` });
  frames.forEach((f, i) => {
    parts.push({ type: "text", text: f.atSec === null ? `Frame ${i + 1} of ${frames.length} (time unknown):` : `Frame at ${fmt(f.atSec)}:` });
    parts.push({ type: "image_url", image_url: { url: `data:${f.mime};base64,${f.base64}` } });
  });
  return parts;
}

/**
 * The frames as one video for vLLM: `data:video/jpeg;base64,<frame>,<frame>,…` is vLLM's JPEG-sequence video
 * ("if media_type.lower() == 'video/jpeg'" in VideoMediaIO.load_base64), whose metadata comes from the request's
 * media_io_kwargs: `fps` (default 1), `frames_indices`, `total_num_frames`, `duration`. Qwen3-VL stamps frame i at
 * frames_indices[i] / fps, so evenly spaced frames at k·d/n are described as indices 0…n−1 at n/d fps. Null when
 * the frames are not JPEG, evenly spaced from 0 with known times, so a video cannot describe them truthfully.
 */
export function videoTimeline(frames: readonly Frame[], durationSec: number | null | undefined): VideoTimeline | null {
  const n = frames.length;
  if (n === 0 || !durationSec || durationSec <= 0) return null;
  if (frames.some((f) => f.mime !== "image/jpeg" || f.atSec === null)) return null;
  const fps = n / durationSec;
  const indices = frames.map((f) => Math.round((f.atSec ?? 0) * fps));
  if (!indices.every((idx, k) => idx === k)) return null;
  return { fps, frames_indices: indices, total_num_frames: n, duration: durationSec };
}

async function videoUrlOf(req: GenerateRequest, label: string): Promise<string> {
  if (req.videoUrl) return req.videoUrl;
  if (req.video) return `data:${req.video.mime};base64,${req.video.base64}`;
  if (req.videoFile) {
    const bytes = await fs.readFile(req.videoFile.path);
    return `data:${req.videoFile.mime};base64,${bytes.toString("base64")}`;
  }
  throw new ProviderError(label, "input", `${label}: video mode needs a video URL or the video itself`);
}

export async function openAiRequestBody(model: string, req: GenerateRequest, server: OpenAiServer = "generic", frames?: FrameInput) {
  const params = paramsFor(server, model, frames);
  const label = serverLabel(server);
  const media: ContentPart[] = [];
  const extra: Record<string, unknown> = {};
  if (req.mode === "frames" && req.images?.length) {
    const timeline = params.frames === "video" ? videoTimeline(req.images, req.durationSec) : null;
    if (timeline) {
      media.push({ type: "video_url", video_url: { url: `data:video/jpeg;base64,${req.images.map((f) => f.base64).join(",")}` } });
      extra.media_io_kwargs = { video: timeline };
    } else {
      media.push(...labelledFrames(req.images, req.durationSec));
    }
  } else if (req.mode === "video") {
    if (!params.video) {
      throw new ProviderError(label, "input", `${label}: this server does not accept video parts (only vLLM does); send sampled frames`);
    }
    // A real video: vLLM's loader samples it and its Qwen-VL processor reads the clip's own fps for timestamps.
    media.push({ type: "video_url", video_url: { url: await videoUrlOf(req, label) } });
  }
  const userContent: string | ContentPart[] = media.length ? [...media, { type: "text", text: req.user }] : req.user;
  return {
    model,
    stream: true,
    stream_options: { include_usage: true },
    messages: [
      { role: "system", content: req.system },
      { role: "user", content: userContent },
    ],
    ...(req.temperature !== undefined && params.temperature ? { temperature: req.temperature } : {}),
    ...(req.maxTokens !== undefined ? { [params.maxTokensField]: req.maxTokens } : {}),
    ...extra,
  };
}

const serverLabel = (server: OpenAiServer) => (server === "vllm" || server === "ollama" ? server : "openai");

type ChatChunk = {
  choices?: Array<{ index?: number; delta?: { content?: string | null } | null; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null;
};

/** What an OpenAI-compatible finish_reason means for the caption (openai-node: stop | length | tool_calls | content_filter | function_call). */
function finishMessage(label: string, reason: string): string {
  if (reason === "length") return `${label} stopped at the token limit before finishing (finish_reason "length")`;
  if (reason === "content_filter") return `${label}'s content filter stopped the answer (finish_reason "content_filter")`;
  return `${label} stopped without finishing the text (finish_reason "${reason}")`;
}

/**
 * One stream's reading. Chunks carry the role first, then content, then a chunk whose choice has a finish_reason
 * (vLLM may put the last content in it), then a usage chunk with no choices, then `[DONE]`. Only "stop" is a
 * normal finish. An error arrives as `data: {"error": {...}}` (vLLM, followed by `[DONE]`; older vLLM sends
 * `{"object": "error", ...}`); Ollama, failing after it started, sends one empty chunk and ends the body with
 * neither a finish chunk nor `[DONE]`.
 */
export function openAiDecoder(label: string): StreamDecoder {
  let finish: string | null = null;
  return {
    data(data) {
      const json = parseJsonData(label, data);
      const errors = errorObjectsIn(json);
      if (errors.length) {
        const message = errors.map((e) => e.message).find((m) => typeof m === "string") ?? "unknown error";
        throw new ProviderError(label, "stream_error", `${label} reported an error in the stream: ${String(message)}`);
      }
      const chunk = json as ChatChunk;
      const events: StreamEvent[] = [];
      for (const choice of chunk.choices ?? []) {
        if ((choice.index ?? 0) !== 0) continue;
        const text = choice.delta?.content;
        if (typeof text === "string" && text) events.push({ type: "text", text });
        if (choice.finish_reason) finish = choice.finish_reason;
      }
      if (chunk.usage) {
        events.push({
          type: "usage",
          inputTokens: chunk.usage.prompt_tokens ?? null,
          outputTokens: chunk.usage.completion_tokens ?? null,
          totalTokens: chunk.usage.total_tokens ?? null,
        });
      }
      return events;
    },
    end(how) {
      if (finish === "stop") return [{ type: "finish", reason: "stop" }];
      if (finish) throw new ProviderError(label, "incomplete", finishMessage(label, finish), null, false, null, { finishReason: finish });
      const why =
        how === "done"
          ? "the server ended the stream ([DONE]) without a finish_reason"
          : "the stream ended before the model finished (no finish_reason and no [DONE]; Ollama ends a stream this way when the model fails after it started)";
      throw new ProviderError(label, "incomplete", `${label}: ${why}`);
    },
  };
}

/** A 429 `insufficient_quota` ({"error": {"type"|"code": "insufficient_quota"}}) never clears by waiting. */
export function classifyOpenAiFailure(f: HttpFailure): FailureVerdict {
  if (f.status !== 429) return {};
  const quota = errorObjectsIn(parseJsonOrNull(f.body)).some((e) => e.code === "insufficient_quota" || e.type === "insufficient_quota");
  return quota ? { retryable: false, note: "the account's quota is used up; retrying cannot help" } : {};
}

export function createOpenAiProvider(settings: OpenAiSettings): ModelProvider {
  const url = `${settings.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  const server = settings.server ?? serverFromUrl(settings.baseUrl);
  const params = paramsFor(server, settings.model, settings.frames);
  const label = serverLabel(server);
  return sseProvider("openai", settings.model, { frames: true, video: params.video }, async (req): Promise<SseCall> => ({
    provider: label,
    url,
    headers: settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {},
    body: await openAiRequestBody(settings.model, req, server, settings.frames),
    decoder: () => openAiDecoder(label),
    classify: classifyOpenAiFailure,
  }));
}
