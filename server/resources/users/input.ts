import type { Context } from "hono";
import { z } from "zod";
import { badRequest } from "../../http/errors";
import { readJson } from "../../http/readJson";
import { describeIssues } from "../../http/issues";

/**
 * Reads and validates a JSON body, answering bad input with the schema's own messages in words ("Passwords need at
 * least 8 characters.") rather than a generic "Invalid request body"; the issues go along for forms to place.
 */
export async function readInput<S extends z.ZodType>(c: Context, schema: S, maxBytes = 16 * 1024): Promise<z.infer<S>> {
  const raw: unknown = await readJson(c, z.unknown(), maxBytes);
  return parseInput(schema, raw);
}

export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  throw badRequest(describeIssues(parsed.error.issues), parsed.error.issues);
}
