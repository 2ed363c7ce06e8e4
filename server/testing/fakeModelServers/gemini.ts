import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { json, startFake, tick, writeEvents, type FakeServer, type Recorded } from "./base";

/**
 * A fake of Google's Generative Language API, as js-genai and the REST streaming examples show it:
 * `models/{m}:streamGenerateContent?alt=sse` answers `data: <GenerateContentResponse>` events (CRLF framed), the
 * last candidate chunk carrying `finishReason` (STOP, MAX_TOKENS, SAFETY — with no content when the filter blocks —
 * RECITATION, PROHIBITED_CONTENT, …). Errors come as `{error: {code, message, status, details}}`, sometimes inside
 * an array, sometimes written into the stream as raw (pretty-printed) JSON without the `data:` framing; a 429's
 * `details` carry a `google.rpc.RetryInfo` with `retryDelay`.
 *
 * It refuses what the real API refuses: a request body over the inline size limit ("Request payload size exceeds
 * the limit"), a part with more than one data field or with video_metadata beside text, an fps outside (0, 24],
 * and a file_data URI that is not an uploaded, ACTIVE file. The Files API is the resumable protocol: a start
 * request answered with x-goog-upload-url, an "upload, finalize" request answered with x-goog-upload-status: final
 * and {file}, the file PROCESSING until polled.
 */

export type GeminiError = { code: number; message: string; status: string; details?: unknown[] };

export type GeminiReply =
  | { kind: "stream"; text: string[]; finishReason?: string; end?: "finish" | "cut" }
  | { kind: "blocked"; blockReason: string }
  /** An error written after `text` as raw JSON without `data:` (`array`: wrapped in [ ]). */
  | { kind: "raw-error"; text: string[]; error: GeminiError; array?: boolean }
  /** An error sent as a `data:` event after `text`. */
  | { kind: "data-error"; text: string[]; error: GeminiError; array?: boolean }
  | { kind: "status"; status: number; body: unknown; headers?: Record<string, string> };

export type FakeGeminiOptions = {
  replies: GeminiReply[];
  /** Bytes a generate request may have (inline data counts as base64); Google's long-standing figure is 20 MB. */
  inlineLimitBytes?: number;
  /** GETs of an uploaded file that still answer PROCESSING. */
  processingPolls?: number;
};

type UploadedFile = { id: string; mime: string; size: number; bytes?: Buffer; state: "PROCESSING" | "ACTIVE"; polls: number };

export type FakeGeminiServer = FakeServer & {
  generateRequests: () => Recorded[];
  files: Map<string, UploadedFile>;
};

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

type Part = Record<string, unknown>;
type Body = { contents?: Array<{ parts?: Part[] }> };

const DATA_FIELDS = ["text", "inline_data", "inlineData", "file_data", "fileData"];

function refusal(body: Body, raw: Buffer, limit: number, files: Map<string, UploadedFile>, base: string): { status: number; message: string } | null {
  if (raw.length > limit) return { status: 400, message: `Request payload size exceeds the limit: ${limit} bytes.` };
  for (const content of body.contents ?? []) {
    for (const part of content.parts ?? []) {
      const data = DATA_FIELDS.filter((k) => k in part);
      if (data.length !== 1) return { status: 400, message: "Invalid value at 'contents[0].parts': a part must have exactly one data field" };
      const meta = (part.video_metadata ?? part.videoMetadata) as { fps?: unknown } | undefined;
      if (meta) {
        if (data[0] === "text") return { status: 400, message: "video_metadata is only allowed with inline_data or file_data" };
        if (meta.fps !== undefined && (typeof meta.fps !== "number" || meta.fps <= 0 || meta.fps > 24)) {
          return { status: 400, message: `Invalid fps: ${String(meta.fps)}; it must be in (0, 24]` };
        }
      }
      const file = (part.file_data ?? part.fileData) as { file_uri?: string; fileUri?: string } | undefined;
      const uri = file?.file_uri ?? file?.fileUri;
      if (uri !== undefined) {
        const id = uri.startsWith(`${base}/v1beta/files/`) ? uri.slice(`${base}/v1beta/files/`.length) : "";
        const f = files.get(id);
        if (!f) return { status: 403, message: `You do not have permission to access the File ${id || uri} or it may not exist.` };
        if (f.state !== "ACTIVE") return { status: 400, message: `The File ${id} is not in an ACTIVE state and usage is not allowed.` };
      }
    }
  }
  return null;
}

const chunk = (parts: Part[] | null, finishReason?: string, usage?: { p: number; c: number }) => ({
  candidates: [{ ...(parts ? { content: { parts, role: "model" } } : {}), ...(finishReason ? { finishReason } : {}), index: 0 }],
  ...(usage ? { usageMetadata: { promptTokenCount: usage.p, candidatesTokenCount: usage.c, totalTokenCount: usage.p + usage.c } } : {}),
  modelVersion: "gemini-2.5-flash",
  responseId: "fake-response",
});

async function streamReply(res: ServerResponse, reply: Exclude<GeminiReply, { kind: "status" }>): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "x-fake": "gemini" });
  const eol = "\r\n";
  if (reply.kind === "blocked") {
    await writeEvents(res, [JSON.stringify({ promptFeedback: { blockReason: reply.blockReason }, usageMetadata: { promptTokenCount: 50, totalTokenCount: 50 } })], eol);
    res.end();
    return;
  }
  const text = reply.text;
  const events = text.map((t, i) => JSON.stringify(chunk([{ text: t }], undefined, { p: 50, c: i + 1 })));
  if (reply.kind === "stream") {
    const reason = reply.finishReason ?? "STOP";
    if ((reply.end ?? "finish") === "finish") {
      // A safety stop streams no content with its finishReason.
      const parts = reason === "SAFETY" || reason === "PROHIBITED_CONTENT" ? null : [{ text: "" }];
      events.push(JSON.stringify(chunk(parts, reason, { p: 50, c: text.length })));
    }
    await writeEvents(res, events, eol);
  } else {
    const err = reply.array ? [{ error: reply.error }] : { error: reply.error };
    await writeEvents(res, events, eol);
    if (reply.kind === "raw-error") res.write(`${pretty(err)}\n`);
    else await writeEvents(res, [JSON.stringify(err)], eol);
  }
  await tick();
  res.end();
}

export async function startFakeGeminiServer(opts: FakeGeminiOptions): Promise<FakeGeminiServer> {
  const files = new Map<string, UploadedFile>();
  const pending = new Map<string, { mime: string; size: number }>();
  const limit = opts.inlineLimitBytes ?? 20 * 1024 * 1024;
  let generated = 0;
  let base = "";
  const server = await startFake(async (req, res) => {
    const url = new URL(req.url, base);
    if (req.method === "POST" && url.pathname === "/upload/v1beta/files" && !url.searchParams.has("upload_id")) {
      if (req.headers["x-goog-upload-protocol"] !== "resumable" || req.headers["x-goog-upload-command"] !== "start") {
        json(res, 400, { error: { code: 400, message: "Upload protocol not supported", status: "INVALID_ARGUMENT" } });
        return;
      }
      const id = randomUUID().slice(0, 12);
      pending.set(id, { mime: String(req.headers["x-goog-upload-header-content-type"]), size: Number(req.headers["x-goog-upload-header-content-length"]) });
      res
        .writeHead(200, { "x-goog-upload-url": `${base}/upload/v1beta/files?upload_id=${id}&upload_protocol=resumable`, "x-goog-upload-status": "active" })
        .end();
      return;
    }
    if (req.method === "POST" && url.pathname === "/upload/v1beta/files") {
      const id = url.searchParams.get("upload_id") ?? "";
      const p = pending.get(id);
      const command = String(req.headers["x-goog-upload-command"] ?? "");
      if (!p || req.headers["x-goog-upload-offset"] !== "0" || !command.includes("finalize") || req.raw.length !== p.size) {
        json(res, 400, { error: { code: 400, message: "Failed to upload file", status: "INVALID_ARGUMENT" } });
        return;
      }
      const file: UploadedFile = { id, mime: p.mime, size: p.size, bytes: req.raw, state: "PROCESSING", polls: 0 };
      files.set(id, file);
      json(res, 200, { file: describe(file) }, { "x-goog-upload-status": "final" });
      return;
    }
    const fileGet = /^\/v1beta\/files\/([\w-]+)$/.exec(url.pathname);
    if (req.method === "GET" && fileGet) {
      const file = files.get(fileGet[1] ?? "");
      if (!file) {
        json(res, 404, { error: { code: 404, message: "File not found", status: "NOT_FOUND" } });
        return;
      }
      file.polls++;
      if (file.polls > (opts.processingPolls ?? 1)) file.state = "ACTIVE";
      json(res, 200, describe(file));
      return;
    }
    if (req.method === "POST" && /^\/v1beta\/models\/[^/]+:streamGenerateContent$/.test(url.pathname) && url.searchParams.get("alt") === "sse") {
      const refused = refusal((req.body ?? {}) as Body, req.raw, limit, files, base);
      if (refused) {
        json(res, refused.status, { error: { code: refused.status, message: refused.message, status: refused.status === 403 ? "PERMISSION_DENIED" : "INVALID_ARGUMENT" } });
        return;
      }
      const reply = opts.replies[generated++];
      if (!reply) {
        json(res, 500, { error: { code: 500, message: "unscripted request", status: "INTERNAL" } });
        return;
      }
      if (reply.kind === "status") json(res, reply.status, reply.body, reply.headers);
      else await streamReply(res, reply);
      return;
    }
    json(res, 404, { error: { code: 404, message: `not found: ${req.url}`, status: "NOT_FOUND" } });
  });
  base = server.url;
  const describe = (f: UploadedFile) => ({
    name: `files/${f.id}`,
    mimeType: f.mime,
    sizeBytes: String(f.size),
    uri: `${base}/v1beta/files/${f.id}`,
    state: f.state,
  });
  return {
    ...server,
    files,
    generateRequests: () => server.requests.filter((r) => r.url.includes(":streamGenerateContent")),
  };
}

/** A 429 as Google sends it, with the wait in a RetryInfo (and, for a daily quota, the QuotaFailure saying so). */
export function rateLimited(retryDelay: string, quotaId = "GenerateRequestsPerMinutePerProjectPerModel"): GeminiReply {
  return {
    kind: "status",
    status: 429,
    body: {
      error: {
        code: 429,
        message: "You exceeded your current quota, please check your plan and billing details.",
        status: "RESOURCE_EXHAUSTED",
        details: [
          { "@type": "type.googleapis.com/google.rpc.QuotaFailure", violations: [{ quotaMetric: "generativelanguage.googleapis.com/generate_content_requests", quotaId }] },
          { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay },
        ],
      },
    },
  };
}
