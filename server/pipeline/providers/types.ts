import type { RulesTask } from "../prompts";

/**
 * One piece of a streamed generation. A network provider ends its stream with one `finish` event when, and only
 * when, the model said it finished normally (OpenAI-compatible `finish_reason: "stop"`, Gemini `finishReason:
 * "STOP"`); every other end is thrown as a ProviderError (code "incomplete" or "stream_error").
 */
export type StreamEvent =
  | { type: "text"; text: string }
  | { type: "usage"; inputTokens: number | null; outputTokens: number | null; totalTokens: number | null }
  | { type: "finish"; reason: string };

export type Usage = Omit<Extract<StreamEvent, { type: "usage" }>, "type">;

export type MediaPart = { mime: string; base64: string };

/** A sampled frame and when it was taken (seconds from the clip's start; null when the time is not known). */
export type Frame = MediaPart & { atSec: number | null };

/** The clip as a file on this server, for providers that read or upload it themselves (vLLM data URL, Gemini). */
export type VideoFile = { path: string; mime: string; sizeBytes: number };

export type GenerateRequest = {
  system: string;
  user: string;
  /** How the video reaches the model: the video itself, sampled frames, or not at all. */
  mode: "video" | "frames" | "text";
  /** Sampled frames with their times (mode "frames"). */
  images?: Frame[];
  /** The video's bytes (mode "video"), when the caller already has them. */
  video?: MediaPart;
  /** The video on disk (mode "video"): the provider inlines it or uploads it (Gemini's Files API). */
  videoFile?: VideoFile;
  /** A URL the model server can fetch the video from (mode "video", vLLM). */
  videoUrl?: string;
  /** The clip's length, for the sampling a provider describes to the server (Gemini fps, vLLM video metadata). */
  durationSec?: number | null;
  temperature?: number;
  maxTokens?: number;
  /** The structured inputs behind the prompt, for providers that do not read prose (rules). */
  task?: RulesTask;
};

export type RetryPolicy = {
  /** Further attempts after the first, made only before the first token. */
  retries: number;
  baseDelayMs: number;
  /** Longest wait between attempts; a server asking for a longer wait fails the call at once with its message. */
  maxDelayMs: number;
};

export type GenerateOptions = {
  signal?: AbortSignal;
  /** Longest wait for the response, and for each next byte of the stream (a stalled stream is aborted). */
  timeoutMs?: number;
  /** Longest silence inside a started stream, when it should differ from timeoutMs. */
  stallTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
};

/** What a provider can be sent besides text (the loop's media choice reads it). */
export type MediaSupport = {
  /** Takes sampled frames as images. */
  frames: boolean;
  /** Takes the video itself (vLLM video_url, Gemini inline data or the Files API). */
  video: boolean;
};

/** A model behind one streaming interface. */
export interface ModelProvider {
  readonly name: "rules" | "openai" | "gemini" | (string & {});
  readonly model: string;
  /** Set by providers whose stream ends with a `finish` event; runPrompt then refuses a stream without one. */
  readonly reportsFinish?: boolean;
  /** Absent: text only (the rules provider). */
  readonly media?: MediaSupport;
  generate(req: GenerateRequest, opts?: GenerateOptions): AsyncIterable<StreamEvent>;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 8_000 };
