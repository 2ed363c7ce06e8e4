import type { RulesTask } from "../prompts";

/** One piece of a streamed generation. */
export type StreamEvent =
  | { type: "text"; text: string }
  | { type: "usage"; inputTokens: number | null; outputTokens: number | null; totalTokens: number | null };

export type Usage = Omit<Extract<StreamEvent, { type: "usage" }>, "type">;

export type MediaPart = { mime: string; base64: string };

export type GenerateRequest = {
  system: string;
  user: string;
  /** How the video reaches the model: the video itself, sampled frames, or not at all. */
  mode: "video" | "frames" | "text";
  /** Sampled frames (mode "frames"). */
  images?: MediaPart[];
  /** The video inline (mode "video", providers that take bytes: gemini). */
  video?: MediaPart;
  /** A URL the model server can fetch the video from (mode "video", openai-compatible servers such as vLLM). */
  videoUrl?: string;
  temperature?: number;
  maxTokens?: number;
  /** The structured inputs behind the prompt, for providers that do not read prose (rules). */
  task?: RulesTask;
};

export type RetryPolicy = {
  /** Further attempts after the first, made only before the first token. */
  retries: number;
  baseDelayMs: number;
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

/** A model behind one streaming interface. */
export interface ModelProvider {
  readonly name: "rules" | "openai" | "gemini" | (string & {});
  readonly model: string;
  generate(req: GenerateRequest, opts?: GenerateOptions): AsyncIterable<StreamEvent>;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 8_000 };
