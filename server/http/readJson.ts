import type { Context } from "hono";
import type { z } from "zod";
import { HttpError, badRequest } from "./errors";
import { describeIssues } from "./issues";

/** Default cap on a JSON request body; routes that take more say so. */
export const MAX_JSON_BYTES = 64 * 1024;

/**
 * Reads a JSON body with a size cap (413 when exceeded, even without a Content-Length) and validates it with a
 * zod schema (400 with the issues). Malformed JSON is a 400, never a 500.
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S, maxBytes = MAX_JSON_BYTES): Promise<z.infer<S>> {
  const tooLarge = () => new HttpError(413, "payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge();
  const body = c.req.raw.body;
  let text = "";
  if (body) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      text += decoder.decode(value, { stream: true });
    }
    text += decoder.decode();
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badRequest("The request body is not valid JSON.");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues, "request body"), parsed.error.issues);
  return parsed.data;
}
