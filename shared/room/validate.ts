import * as Y from "yjs";
import type { z } from "zod";
import { critiqueItemFromMap } from "./document";
import { FIELD_ACCESSORS, ROOM_FIELD_NAMES, ROOM_LAYOUT, RoomField, recordFromMap, type RoomFieldSpec } from "./layout";

/**
 * Checks a room document against the layout (layout.ts): every top-level field has its declared Yjs type and every
 * map entry parses. Returns the problems in words, [] for a sound document. It never changes content; it does bind
 * fields that arrived untyped from a remote update to their declared type (as any reader would).
 */
export function validateRoomDoc(doc: Y.Doc): string[] {
  const problems: string[] = [];
  for (const name of doc.share.keys()) {
    if (!RoomField.safeParse(name).success) problems.push(`unknown top-level field "${name}"`);
  }
  for (const field of ROOM_FIELD_NAMES) {
    if (!doc.share.has(field)) continue;
    const spec: RoomFieldSpec = ROOM_LAYOUT[field];
    let type: Y.XmlFragment | Y.Text | Y.Map<unknown>;
    try {
      type = FIELD_ACCESSORS[field](doc);
    } catch {
      problems.push(`${field}: is not a Y.${spec.type}`);
      continue;
    }
    // A field sent untyped takes the declared type here; content of the wrong shape shows as the wrong storage.
    const hasKeyed = type._map.size > 0;
    const hasSequence = type._start !== null;
    if (spec.type === "Map" ? hasSequence : hasKeyed) {
      problems.push(`${field}: holds ${spec.type === "Map" ? "sequence" : "keyed"} content, not a Y.${spec.type}`);
      continue;
    }
    if (spec.type === "Map" && type instanceof Y.Map) problems.push(...mapProblems(field, spec, type));
  }
  return problems;
}

function mapProblems(field: RoomField, spec: Extract<RoomFieldSpec, { type: "Map" }>, map: Y.Map<unknown>): string[] {
  if (spec.entries === "record") {
    if (map.size === 0) return [];
    const keys = Object.keys(spec.schema.shape);
    const unknown = [...map.keys()].filter((k) => !keys.includes(k)).map((k) => `${field}: unknown key "${k}"`);
    const parsed = spec.schema.safeParse(recordFromMap(map, keys));
    return parsed.success ? unknown : [...unknown, `${field}: ${issue(parsed.error)}`];
  }
  const problems: string[] = [];
  for (const [key, value] of map.entries()) {
    // Nested maps are critique items: read as every reader reads them (absent keys = null).
    if (spec.entry === "Y.Map") {
      const read = critiqueItemFromMap(key, value);
      if ("problem" in read) problems.push(`${field}.${key}: ${read.problem}`);
      continue;
    }
    const parsed = spec.schema.safeParse(value);
    if (!parsed.success) problems.push(`${field}.${key}: ${issue(parsed.error)}`);
    else if ((parsed.data as { id?: unknown }).id !== key) problems.push(`${field}.${key}: id does not match its key`);
  }
  return problems;
}

function issue(error: z.ZodError): string {
  const first = error.issues[0];
  return first ? `${first.path.join(".") || "entry"}: ${first.message}` : "invalid";
}
