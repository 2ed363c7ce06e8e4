import fs from "node:fs/promises";
import { ProviderError, errorMessageFromBody, errorObjectsIn, parseJsonOrNull } from "./errors";
import { parseJsonData, sleep, sseProvider, type FailureVerdict, type HttpFailure, type StreamDecoder } from "./http";
import type { Frame, GenerateOptions, GenerateRequest, ModelProvider, StreamEvent, VideoFile } from "./types";

/**
 * Google's Generative Language API, `models/{model}:streamGenerateContent?alt=sse`, the key in x-goog-api-key.
 * The video goes inline when small, through the Files API (resumable upload) when not, with `video_metadata.fps`
 * so a short clip is not read at the default 1 fps; frames go as inline images each after its time.
 */
export const GEMINI_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";
/**
 * Inline data counts against the request size, as base64 (4/3 of the bytes): Google's limit has long been 20 MB a
 * request (newer docs allow more), so clips up to 14 MiB go inline and larger ones through the Files API.
 */
export const GEMINI_INLINE_VIDEO_MAX_BYTES = 14 * 1024 * 1024;
/** Frames we want Gemini to read from a clip; fps is bounded by the API's (0, 24] and Gemini's 1 fps default. */
const GEMINI_TARGET_FRAMES = 32;

export type GeminiSettings = {
  apiKey: string;
  model: string;
  baseUrl?: string;
  /** Larger clips are uploaded (tests lower it). */
  inlineVideoMaxBytes?: number;
  /** Polling of an uploaded file until it is ACTIVE. */
  filePollMs?: number;
  fileWaitMs?: number;
};

type Part =
  | { text: string }
  | { inline_data: { mime_type: string; data: string }; video_metadata?: { fps: number } }
  | { file_data: { mime_type: string; file_uri: string }; video_metadata?: { fps: number } };

/** The sampling rate asked of Gemini: about 32 frames over the clip, at least its default 1 fps, at most 24. */
export function geminiFps(durationSec: number | null | undefined): number {
  if (!durationSec || durationSec <= 0) return 2;
  return Math.min(24, Math.max(1, Math.round((GEMINI_TARGET_FRAMES / durationSec) * 100) / 100));
}

const fmt = (sec: number) => `${Number(sec.toFixed(2))} s`;

function frameParts(frames: readonly Frame[], durationSec: number | null | undefined): Part[] {
  const length = durationSec && durationSec > 0 ? `, a clip ${fmt(durationSec)} long` : "";
  const parts: Part[] = [{ text: `${frames.length} frames sampled from the video${length}, each after its time:` }];
  frames.forEach((f, i) => {
    parts.push({ text: f.atSec === null ? `Frame ${i + 1} of ${frames.length} (time unknown):` : `Frame at ${fmt(f.atSec)}:` });
    parts.push({ inline_data: { mime_type: f.mime, data: f.base64 } });
  });
  return parts;
}

/** An uploaded file's reference, for a request body. */
export type GeminiFileRef = { uri: string; mime: string };

/** The generateContent body; `file` is the uploaded clip when the video went through the Files API. */
export function geminiRequestBody(req: GenerateRequest, media: { inline?: { mime: string; base64: string }; file?: GeminiFileRef } = {}) {
  const parts: Part[] = [];
  if (req.mode === "video") {
    // "The metadata should only be specified while the video data is presented in inline_data or file_data" (js-genai).
    const video_metadata = { fps: geminiFps(req.durationSec) };
    const inline = media.inline ?? req.video;
    if (media.file) parts.push({ file_data: { mime_type: media.file.mime, file_uri: media.file.uri }, video_metadata });
    else if (inline) parts.push({ inline_data: { mime_type: inline.mime, data: inline.base64 }, video_metadata });
    else if (req.videoUrl) parts.push({ file_data: { mime_type: videoMime(req.videoUrl), file_uri: req.videoUrl }, video_metadata });
    else throw new ProviderError("gemini", "input", "gemini: video mode needs the video bytes, a file or a file URI");
  } else if (req.mode === "frames" && req.images?.length) {
    parts.push(...frameParts(req.images, req.durationSec));
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
  candidates?: Array<{ content?: { parts?: Array<{ text?: string; thought?: boolean }> }; finishReason?: string }>;
  promptFeedback?: { blockReason?: string };
  usageMetadata?: { promptTokenCount?: number; candidatesTokenCount?: number; totalTokenCount?: number };
};

/** js-genai's FinishReason: only STOP is a natural end; the others are said plainly in the room. */
function finishMessage(reason: string): string {
  switch (reason) {
    case "MAX_TOKENS":
      return `gemini stopped at the output token limit before finishing (finishReason MAX_TOKENS)`;
    case "SAFETY":
      return `gemini's safety filter stopped the answer (finishReason SAFETY)`;
    case "RECITATION":
      return `gemini stopped because the answer recited source material (finishReason RECITATION)`;
    case "PROHIBITED_CONTENT":
    case "BLOCKLIST":
    case "SPII":
      return `gemini stopped the answer for its content (finishReason ${reason})`;
    default:
      return `gemini stopped without finishing the text (finishReason ${reason})`;
  }
}

/**
 * One stream's reading: each event is a GenerateContentResponse (or an array of them); the last candidate chunk
 * carries finishReason, usage may follow. An error may come as `data: {"error": …}`, as an array, or as raw JSON
 * without the `data:` framing (the latter is caught by the HTTP layer's stray-text check).
 */
export function geminiDecoder(): StreamDecoder {
  let finish: string | null = null;
  return {
    data(data) {
      const json = parseJsonData("gemini", data);
      const errors = errorObjectsIn(json);
      if (errors.length) {
        const e = errors[0];
        const message = typeof e?.message === "string" ? e.message : typeof e?.status === "string" ? e.status : "unknown error";
        throw new ProviderError("gemini", "stream_error", `gemini reported an error in the stream: ${message}`);
      }
      const events: StreamEvent[] = [];
      for (const chunk of (Array.isArray(json) ? json : [json]) as GeminiChunk[]) {
        const blocked = chunk.promptFeedback?.blockReason;
        if (blocked) {
          throw new ProviderError("gemini", "incomplete", `gemini blocked the prompt (${blocked})`, null, false, null, { finishReason: blocked });
        }
        const candidate = chunk.candidates?.[0];
        for (const part of candidate?.content?.parts ?? []) {
          // Thought summaries are not part of the answer.
          if (typeof part.text === "string" && part.text && !part.thought) events.push({ type: "text", text: part.text });
        }
        if (candidate?.finishReason) finish = candidate.finishReason;
        const u = chunk.usageMetadata;
        if (u) {
          events.push({
            type: "usage",
            inputTokens: u.promptTokenCount ?? null,
            outputTokens: u.candidatesTokenCount ?? null,
            totalTokens: u.totalTokenCount ?? null,
          });
        }
      }
      return events;
    },
    end() {
      if (finish === "STOP") return [{ type: "finish", reason: "STOP" }];
      if (finish) throw new ProviderError("gemini", "incomplete", finishMessage(finish), null, false, null, { finishReason: finish });
      throw new ProviderError("gemini", "incomplete", "gemini: the stream ended before the model finished (no finishReason)");
    },
  };
}

/** "3.5s" (a protobuf Duration in JSON) in milliseconds. */
function durationMs(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const m = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return m ? Number(m[1]) * 1000 : null;
}

type RpcDetail = { "@type"?: string; retryDelay?: string; violations?: Array<{ quotaId?: string }> };

/**
 * Google puts the wait in the body: `error.details[]` holds a `google.rpc.RetryInfo` with `retryDelay` ("43s").
 * A `google.rpc.QuotaFailure` on a per-day quota (quotaId …PerDay…) will not clear by waiting.
 */
export function classifyGeminiFailure(f: HttpFailure): FailureVerdict {
  const details = errorObjectsIn(parseJsonOrNull(f.body)).flatMap((e) => (Array.isArray(e.details) ? (e.details as RpcDetail[]) : []));
  const verdict: FailureVerdict = {};
  const retry = details.find((d) => d["@type"]?.endsWith("google.rpc.RetryInfo"));
  const wait = durationMs(retry?.retryDelay);
  if (wait !== null) verdict.retryAfterMs = wait;
  const daily = details.some((d) => d["@type"]?.endsWith("google.rpc.QuotaFailure") && d.violations?.some((v) => /PerDay/i.test(v.quotaId ?? "")));
  if (daily) return { ...verdict, retryable: false, note: "a daily quota is used up; retrying today cannot help" };
  return verdict;
}

type UploadedFile = { name?: string; uri?: string; mimeType?: string; state?: string; error?: { message?: string } };

/**
 * The Files API's resumable upload, as js-genai does it: POST {origin}/upload/v1beta/files with
 * X-Goog-Upload-Protocol: resumable, X-Goog-Upload-Command: start and the size and type; the answer's
 * x-goog-upload-url takes the bytes with X-Goog-Upload-Command: "upload, finalize" and X-Goog-Upload-Offset: 0
 * (x-goog-upload-status "final", body {file}). A video is PROCESSING until GET {base}/{name} says ACTIVE.
 */
export class GeminiFiles {
  /** Uploads by path, size and mtime: best-of-N's candidates share one (files live 48 h; reused for 24 h). */
  private readonly uploads = new Map<string, { at: number; ref: Promise<GeminiFileRef> }>();

  constructor(
    private readonly base: string,
    private readonly apiKey: string,
    private readonly pollMs = 2_000,
    private readonly waitMs = 5 * 60_000,
  ) {}

  async refFor(file: VideoFile, signal: AbortSignal | undefined): Promise<GeminiFileRef> {
    const stat = await fs.stat(file.path);
    const key = `${file.path}\u0000${stat.size}\u0000${stat.mtimeMs}`;
    const cached = this.uploads.get(key);
    if (cached && Date.now() - cached.at < 24 * 3600_000) return cached.ref;
    const ref = this.upload(file, signal);
    this.uploads.set(key, { at: Date.now(), ref });
    ref.catch(() => this.uploads.delete(key));
    return ref;
  }

  private uploadUrl(): string {
    const url = new URL(this.base);
    return `${url.origin}/upload${url.pathname.replace(/\/+$/, "")}/files`;
  }

  private async request(url: string, init: RequestInit, what: string): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, headers: { "x-goog-api-key": this.apiKey, ...(init.headers as Record<string, string>) } });
    } catch (e) {
      if (init.signal?.aborted) throw new ProviderError("gemini", "cancelled", "gemini: the request was cancelled");
      throw new ProviderError("gemini", "network", `gemini: could not ${what} (${String(e)})`, null, true);
    }
    if (!res.ok) {
      const body = (await res.text().catch(() => "")).slice(0, 64 * 1024);
      throw new ProviderError("gemini", "http", `gemini returned HTTP ${res.status} when asked to ${what}: ${errorMessageFromBody(body)}`, res.status);
    }
    return res;
  }

  private async upload(file: VideoFile, signal: AbortSignal | undefined): Promise<GeminiFileRef> {
    const bytes = await fs.readFile(file.path);
    const start = await this.request(
      this.uploadUrl(),
      {
        method: "POST",
        signal,
        headers: {
          "content-type": "application/json",
          "X-Goog-Upload-Protocol": "resumable",
          "X-Goog-Upload-Command": "start",
          "X-Goog-Upload-Header-Content-Length": String(bytes.length),
          "X-Goog-Upload-Header-Content-Type": file.mime,
        },
        body: JSON.stringify({ file: { display_name: file.path.split(/[\\/]/).pop() ?? "clip" } }),
      },
      "start the clip's upload",
    );
    const target = start.headers.get("x-goog-upload-url");
    if (!target) throw new ProviderError("gemini", "bad_response", "gemini: the upload was not given an x-goog-upload-url");
    const done = await this.request(
      target,
      {
        method: "POST",
        signal,
        headers: { "X-Goog-Upload-Command": "upload, finalize", "X-Goog-Upload-Offset": "0", "content-type": file.mime },
        body: bytes,
      },
      "upload the clip",
    );
    if (done.headers.get("x-goog-upload-status") !== "final") {
      throw new ProviderError("gemini", "bad_response", "gemini: the upload did not finalize");
    }
    let uploaded = ((await done.json()) as { file?: UploadedFile }).file;
    const deadline = Date.now() + this.waitMs;
    while (uploaded?.state === "PROCESSING") {
      if (Date.now() > deadline) throw new ProviderError("gemini", "timeout", `gemini: the uploaded clip was still processing after ${this.waitMs} ms`);
      await sleep(this.pollMs, signal, "gemini");
      const res = await this.request(`${this.base}/${uploaded.name ?? ""}`, { method: "GET", signal }, "read the uploaded clip's state");
      uploaded = (await res.json()) as UploadedFile;
    }
    if (uploaded?.state === "FAILED") {
      throw new ProviderError("gemini", "input", `gemini could not process the clip: ${uploaded.error?.message ?? "FAILED"}`);
    }
    if (!uploaded?.uri) throw new ProviderError("gemini", "bad_response", "gemini: the uploaded file has no uri");
    return { uri: uploaded.uri, mime: uploaded.mimeType ?? file.mime };
  }
}

export function createGeminiProvider(settings: GeminiSettings): ModelProvider {
  const base = (settings.baseUrl ?? GEMINI_BASE_URL).replace(/\/+$/, "");
  const url = `${base}/models/${encodeURIComponent(settings.model)}:streamGenerateContent?alt=sse`;
  const inlineMax = settings.inlineVideoMaxBytes ?? GEMINI_INLINE_VIDEO_MAX_BYTES;
  const files = new GeminiFiles(base, settings.apiKey, settings.filePollMs, settings.fileWaitMs);
  return sseProvider("gemini", settings.model, { frames: true, video: true }, async (req: GenerateRequest, opts: GenerateOptions) => {
    const media: { inline?: { mime: string; base64: string }; file?: GeminiFileRef } = {};
    if (req.mode === "video" && !req.video && req.videoFile) {
      if (req.videoFile.sizeBytes <= inlineMax) {
        media.inline = { mime: req.videoFile.mime, base64: (await fs.readFile(req.videoFile.path)).toString("base64") };
      } else {
        media.file = await files.refFor(req.videoFile, opts.signal);
      }
    }
    return {
      provider: "gemini",
      url,
      headers: { "x-goog-api-key": settings.apiKey },
      body: geminiRequestBody(req, media),
      decoder: geminiDecoder,
      classify: classifyGeminiFailure,
    };
  });
}
