import type { ServerResponse } from "node:http";
import { json, startFake, tick, writeEvents, type FakeServer, type Recorded } from "./base";

/**
 * A fake OpenAI-compatible chat-completions server speaking one real dialect, from the servers' own source:
 *
 * - vllm (entrypoints/openai serving code): a role chunk `{role: "assistant", content: ""}`, content chunks, the
 *   last content chunk carrying `finish_reason`, a usage chunk with `choices: []` when `stream_options.include_usage`,
 *   then `[DONE]`; an error inside the stream is `data: {"error": {message, type, param, code}}` — and `[DONE]`
 *   still follows it. Takes text, image_url, video_url (a `data:video/jpeg;base64,<f>,<f>,…` frame sequence checked
 *   against `media_io_kwargs.video` as VideoMediaIO does), input_audio and audio_url parts.
 * - ollama (openai/openai.go, middleware/openai.go): the first chunk carries the role and the first content, a
 *   separate finish chunk with an empty delta, the usage chunk, `[DONE]`. An error after streaming began is written
 *   as `{"error": "…"}`, which the OpenAI layer turns into one empty chunk before the body ends — no finish chunk,
 *   no `[DONE]`. Refuses every part but text, image_url (base64 jpeg/png/webp only) and input_audio with
 *   "invalid message format".
 * - openai: role chunk, content chunks, finish chunk, usage chunk (`usage: null` on the others), `[DONE]`. Refuses
 *   video_url ("Invalid value"), and for reasoning models a temperature other than 1 and `max_tokens`.
 */

export type Dialect = "openai" | "vllm" | "ollama";

export type ChatReply =
  /** A stream of `text` pieces ending with `finish` (default "stop"); `end` cuts it short instead. */
  | { kind: "stream"; text: string[]; finish?: string; end?: "finish" | "cut" | "done-without-finish"; crlf?: boolean }
  /** The dialect's own framing of an error raised after `text` was streamed. */
  | { kind: "error-after"; text: string[]; message: string }
  | { kind: "status"; status: number; body: unknown; headers?: Record<string, string> };

export type FakeChatServer = FakeServer & { dialect: Dialect };

const created = 1_767_225_600;

/** The fake's own reading of OpenAI's reasoning models (o-series, gpt-5 family but its chat models). */
const reasoning = (model: string) => /^(o\d|codex-mini)/.test(model) || (/^gpt-5/.test(model) && !model.includes("-chat"));

function errorBody(dialect: Dialect, message: string, extra: { param?: string | null; code?: string | null } = {}) {
  if (dialect === "vllm") return { error: { message, type: "BadRequestError", param: extra.param ?? null, code: 400 } };
  if (dialect === "ollama") return { error: { message, type: "invalid_request_error", param: null, code: null } };
  return { error: { message, type: "invalid_request_error", param: extra.param ?? null, code: extra.code ?? null } };
}

type Part = { type?: unknown; image_url?: { url?: unknown } | string; video_url?: { url?: unknown } };
type Body = {
  model?: string;
  messages?: Array<{ role?: string; content?: unknown }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  temperature?: number;
  max_tokens?: number;
  media_io_kwargs?: { video?: { fps?: number; frames_indices?: unknown; total_num_frames?: number } };
};

/** What the real server would refuse, as its error message; null when it takes the request. */
export function refusal(dialect: Dialect, body: Body): { message: string; param?: string; code?: string } | null {
  if (!Array.isArray(body.messages) || body.messages.length === 0) return { message: "[] is too short - 'messages'" };
  const model = body.model ?? "";
  if (dialect === "openai" && reasoning(model)) {
    if (body.temperature !== undefined && body.temperature !== 1) {
      return {
        message: `Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`,
        param: "temperature",
        code: "unsupported_value",
      };
    }
    if (body.max_tokens !== undefined) {
      return {
        message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        param: "max_tokens",
        code: "unsupported_parameter",
      };
    }
  }
  for (const [i, msg] of body.messages.entries()) {
    if (!Array.isArray(msg.content)) continue;
    for (const [j, raw] of (msg.content as Part[]).entries()) {
      const type = typeof raw.type === "string" ? raw.type : "";
      if (dialect === "ollama") {
        if (type === "text" || type === "input_audio") continue;
        if (type !== "image_url") return { message: "invalid message format" };
        const url = typeof raw.image_url === "string" ? raw.image_url : raw.image_url?.url;
        if (typeof url !== "string") return { message: "invalid message format" };
        if (/^https?:\/\//.test(url)) return { message: "image URLs are not currently supported, please use base64 encoded data instead" };
        if (!/^data:(image\/(jpeg|jpg|png|webp))?;base64,/.test(url)) return { message: "invalid image input" };
        continue;
      }
      if (dialect === "openai") {
        if (["text", "image_url", "input_audio", "refusal", "audio", "file"].includes(type)) continue;
        return {
          message: `Invalid value: '${type}'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal', 'audio', and 'file'.`,
          param: `messages[${i}].content[${j}].type`,
          code: "invalid_value",
        };
      }
      if (["text", "image_url", "input_audio", "audio_url"].includes(type)) continue;
      if (type !== "video_url") return { message: `Unknown part type: ${type}` };
      const url = raw.video_url?.url;
      if (typeof url !== "string") return { message: "video_url must have a url" };
      const jpeg = /^data:video\/jpeg;base64,(.*)$/s.exec(url);
      if (jpeg) {
        const total = (jpeg[1] ?? "").split(",").length;
        const indices = body.media_io_kwargs?.video?.frames_indices;
        if (indices !== undefined && (!Array.isArray(indices) || indices.length !== total)) {
          return { message: `frames_indices length (${Array.isArray(indices) ? indices.length : "?"}) must match number of frames sent (${total})` };
        }
        const totalNum = body.media_io_kwargs?.video?.total_num_frames;
        if (totalNum !== undefined && totalNum < total) {
          return { message: `total_num_frames (${totalNum}) must be >= number of frames sent (${total})` };
        }
      }
    }
  }
  return null;
}

function chunkOf(dialect: Dialect, model: string, choices: unknown[], usage: unknown, withUsageField: boolean) {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion.chunk",
    created,
    model,
    system_fingerprint: dialect === "ollama" ? "fp_ollama" : "fp_fake",
    choices,
    ...(withUsageField || usage ? { usage } : {}),
  };
}

async function stream(dialect: Dialect, res: ServerResponse, body: Body, reply: Exclude<ChatReply, { kind: "status" }>): Promise<void> {
  const model = body.model ?? "model";
  const includeUsage = body.stream_options?.include_usage === true;
  const eol = reply.kind === "stream" && reply.crlf ? "\r\n" : "\n";
  const events: string[] = [];
  // OpenAI puts `usage: null` on every chunk but the last when usage is asked for.
  const usageField = dialect === "openai" && includeUsage;
  const choice = (delta: Record<string, unknown>, finish: string | null) => ({ index: 0, delta, logprobs: null, finish_reason: finish });
  const push = (choices: unknown[], usage: unknown = null) => events.push(JSON.stringify(chunkOf(dialect, model, choices, usage, usageField)));
  const text = reply.text;
  const end = reply.kind === "stream" ? (reply.end ?? "finish") : "error";
  const finish = reply.kind === "stream" ? (reply.finish ?? "stop") : null;

  if (dialect === "ollama") {
    text.forEach((t, i) => push([choice(i === 0 ? { role: "assistant", content: t } : { content: t }, null)]));
  } else {
    push([choice(dialect === "openai" ? { role: "assistant", content: "", refusal: null } : { role: "assistant", content: "" }, null)]);
    text.forEach((t, i) => {
      // vLLM carries finish_reason on the chunk with the last piece of text.
      const last = dialect === "vllm" && end === "finish" && i === text.length - 1;
      push([choice({ content: t }, last ? finish : null)]);
    });
  }
  const usage = { prompt_tokens: 100, completion_tokens: text.length, total_tokens: 100 + text.length };
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
  if (end === "finish") {
    if (dialect !== "vllm" || text.length === 0) push([choice({}, finish)]);
    if (includeUsage) push([], usage);
    await writeEvents(res, [...events, "[DONE]"], eol);
  } else if (end === "cut") {
    await writeEvents(res, events, eol);
  } else if (end === "done-without-finish") {
    await writeEvents(res, [...events, "[DONE]"], eol);
  } else if (reply.kind === "error-after") {
    if (dialect === "ollama") {
      // routes.go encodes {"error": "…"} into the writer; ChatWriter turns it into a chunk with empty content.
      push([choice({ content: "" }, null)]);
      await writeEvents(res, events, eol);
    } else if (dialect === "vllm") {
      const error = { error: { message: reply.message, type: "InternalServerError", param: null, code: 500 } };
      await writeEvents(res, [...events, JSON.stringify(error), "[DONE]"], eol);
    } else {
      const error = { error: { message: reply.message, type: "server_error", param: null, code: null } };
      await writeEvents(res, [...events, JSON.stringify(error)], eol);
    }
  }
  await tick();
  res.end();
}

export async function startFakeChatServer(dialect: Dialect, replies: ChatReply[]): Promise<FakeChatServer> {
  const server = await startFake(async (req: Recorded, res, n) => {
    if (req.method !== "POST" || !req.url.endsWith("/chat/completions")) {
      json(res, 404, errorBody(dialect, `not found: ${req.url}`));
      return;
    }
    const body = (req.body ?? {}) as Body;
    const refused = refusal(dialect, body);
    if (refused) {
      json(res, 400, errorBody(dialect, refused.message, { param: refused.param ?? null, code: refused.code ?? null }));
      return;
    }
    const reply = replies[n];
    if (!reply) {
      json(res, 500, errorBody(dialect, "unscripted request"));
      return;
    }
    if (reply.kind === "status") {
      json(res, reply.status, reply.body, reply.headers);
      return;
    }
    await stream(dialect, res, body, reply);
  });
  return { ...server, dialect };
}
