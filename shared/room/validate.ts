import * as Y from "yjs";
import type { z } from "zod";
import { critiqueItemFromMap } from "./document";
import { draftStructureProblems } from "./draftSchema";
import { FIELD_ACCESSORS, ROOM_FIELD_NAMES, ROOM_LAYOUT, RoomField, recordFromMap, type RoomFieldSpec } from "./layout";

/**
 * Checks a room document against the layout (layout.ts): every top-level field has its declared Yjs type, the
 * draft holds only what the editor's schema allows (draftSchema.ts), and every map entry parses. Returns the
 * problems in words, [] for a sound document. It never changes content; it does bind fields that arrived untyped
 * from a remote update to their declared type (as any reader would).
 */
export function validateRoomDoc(doc: Y.Doc): string[] {
  const problems = unknownFieldProblems(doc);
  for (const field of ROOM_FIELD_NAMES) problems.push(...validateRoomField(doc, field));
  return problems;
}

/** Top-level names that are not fields of the layout. */
export function unknownFieldProblems(doc: Y.Doc): string[] {
  const problems: string[] = [];
  for (const name of doc.share.keys()) {
    if (!RoomField.safeParse(name).success) problems.push(`unknown top-level field "${name}"`);
  }
  return problems;
}

/**
 * One field's problems. For a by-id map, `entries` limits the check to those keys (the ones an update touched);
 * the collaboration server checks only what changed, so a keystroke costs the same in a long critique.
 */
export function validateRoomField(doc: Y.Doc, field: RoomField, entries?: Iterable<string>): string[] {
  if (!doc.share.has(field)) return [];
  const spec: RoomFieldSpec = ROOM_LAYOUT[field];
  let type: Y.XmlFragment | Y.Text | Y.Map<unknown>;
  try {
    type = FIELD_ACCESSORS[field](doc);
  } catch {
    return [`${field}: is not a Y.${spec.type}`];
  }
  // A field sent untyped takes the declared type here; content of the wrong shape shows as the wrong storage.
  const hasKeyed = type._map.size > 0;
  const hasSequence = type._start !== null;
  if (spec.type === "Map" ? hasSequence : hasKeyed) {
    return [`${field}: holds ${spec.type === "Map" ? "sequence" : "keyed"} content, not a Y.${spec.type}`];
  }
  if (spec.type === "Map" && type instanceof Y.Map) return mapProblems(field, spec, type, entries);
  if (spec.type === "XmlFragment" && type instanceof Y.XmlFragment) return draftStructureProblems(type);
  if (spec.type === "Text" && type instanceof Y.Text) return textProblems(field, type);
  return [];
}

/** A plain-text field holds strings only (no embeds, no formatting). */
function textProblems(field: RoomField, text: Y.Text): string[] {
  for (const op of text.toDelta() as { insert: unknown; attributes?: object }[]) {
    if (typeof op.insert !== "string") return [`${field}: holds an embed, not text`];
    if (op.attributes) return [`${field}: holds formatted text`];
  }
  return [];
}

function mapProblems(
  field: RoomField,
  spec: Extract<RoomFieldSpec, { type: "Map" }>,
  map: Y.Map<unknown>,
  only?: Iterable<string>,
): string[] {
  if (spec.entries === "record") {
    if (map.size === 0) return [];
    const keys = Object.keys(spec.schema.shape);
    const unknown = [...map.keys()].filter((k) => !keys.includes(k)).map((k) => `${field}: unknown key "${k}"`);
    const parsed = spec.schema.safeParse(recordFromMap(map, keys));
    return parsed.success ? unknown : [...unknown, `${field}: ${issue(parsed.error)}`];
  }
  const problems: string[] = [];
  const keys = only ? [...only].filter((k) => map.has(k)) : [...map.keys()];
  for (const key of keys) {
    const value = map.get(key);
    // Nested maps are critique items: read as every reader reads them (absent keys = null), no other keys.
    if (spec.entry === "Y.Map") {
      const read = critiqueItemFromMap(key, value);
      if ("problem" in read) problems.push(`${field}.${key}: ${read.problem}`);
      else if (value instanceof Y.Map && value.size > Object.keys(read.item).length) {
        problems.push(`${field}.${key}: holds keys that are not fields of a critique item`);
      }
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
