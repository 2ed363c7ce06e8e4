import * as Y from "yjs";
import { z } from "zod";
import { CritiqueItem, MAX_CRITIQUE_FIELD } from "../critique/items";
import { CatchKind, CatchStatus } from "../domain";

/**
 * The layout of a task room's Y.Doc: every top-level field, its Yjs type, what its entries hold and who writes it.
 * This table is the one source of truth; the helpers beside it (document.ts, catches.ts, polish.ts) read and write
 * through the accessors below, and validate.ts checks a document against it.
 *
 * A client can write any bytes into the document, so every reader validates what it reads.
 */

/** Every top-level field of the room document. */
export const ROOM_FIELD_NAMES = ["draft", "critique", "post", "revision", "catches", "polish"] as const;
export const RoomField = z.enum(ROOM_FIELD_NAMES);
export type RoomField = z.infer<typeof RoomField>;

// ---- What map fields hold

/** The running revision's status, one record spread over the map's keys. */
export const RevisionState = z.strictObject({
  status: z.enum(["idle", "running", "failed"]),
  roundId: z.string().max(100).nullable(),
  n: z.number().int().min(0).nullable(),
  error: z.string().max(MAX_CRITIQUE_FIELD).nullable(),
  startedBy: z.string().max(200).nullable(),
  /** ISO 8601. */
  startedAt: z.string().max(40).nullable(),
});
export type RevisionState = z.infer<typeof RevisionState>;

export const IDLE_REVISION: RevisionState = {
  status: "idle",
  roundId: null,
  n: null,
  error: null,
  startedBy: null,
  startedAt: null,
};

/**
 * A light summary of a catch, mirrored by the server so everyone in the room sees catches appear live. The database
 * holds the real record (the catches API); the room shows the summary only.
 */
export const CatchSummary = z.object({
  id: z.string().min(1).max(100),
  kind: CatchKind,
  itemId: z.string().max(100).nullable(),
  timeStart: z.number().nullable(),
  timeEnd: z.number().nullable(),
  note: z.string().max(2000),
  status: CatchStatus,
  reviewerName: z.string().max(200),
  createdAt: z.string().max(40),
});
export type CatchSummary = z.infer<typeof CatchSummary>;

/** The annotator's critique as rendered and the model's tidied wording of it, one record over the map's keys. */
export const PolishRecord = z.strictObject({
  original: z.string(),
  polished: z.string(),
  by: z.string(),
  at: z.string(),
  promptHash: z.string(),
});
export type PolishRecord = z.infer<typeof PolishRecord>;

/** The keys a critique item's Y.Map holds: the item schema's own keys, never a second list. */
export const CRITIQUE_ITEM_KEYS = Object.keys(CritiqueItem.shape) as (keyof CritiqueItem)[];

// ---- The table

/**
 * Who writes a field: "server" = only the server (pipeline, review service) — a person's update touching it is not
 * theirs to make; "people" = the server and anyone whose TaskAbilities.roomWrites (shared/api/abilities.ts) name it.
 */
export type RoomWriters = "server" | "people";

export type RoomFieldSpec =
  | { type: "XmlFragment"; writers: RoomWriters; holds: string }
  | { type: "Text"; writers: RoomWriters; holds: string }
  /** One record whose fields are the map's keys (absent = never written). */
  | { type: "Map"; entries: "record"; schema: z.ZodObject; writers: RoomWriters; holds: string }
  /** One entry per id: a nested Y.Map of the schema's fields (critique items), or a plain JSON object. */
  | { type: "Map"; entries: "byId"; entry: "Y.Map" | "object"; schema: z.ZodType; writers: RoomWriters; holds: string };

export const ROOM_LAYOUT = {
  draft: {
    type: "XmlFragment",
    writers: "people",
    holds: "the pre-caption: paragraphs of text bound to Tiptap's Collaboration extension (written by the model, fixed by reviewers)",
  },
  critique: {
    type: "Map",
    entries: "byId",
    entry: "Y.Map",
    schema: CritiqueItem,
    writers: "people",
    holds: "one Y.Map per critique item, keyed by item id (fields of shared/critique/items.ts CritiqueItem)",
  },
  post: { type: "Text", writers: "people", holds: "the post-caption, streamed into by revisions" },
  revision: { type: "Map", entries: "record", schema: RevisionState, writers: "server", holds: "the running revision's status" },
  catches: {
    type: "Map",
    entries: "byId",
    entry: "object",
    schema: CatchSummary,
    writers: "server",
    holds: "a summary of each catch, keyed by catch id",
  },
  polish: { type: "Map", entries: "record", schema: PolishRecord, writers: "server", holds: "the critique and its polished wording" },
} as const satisfies Record<RoomField, RoomFieldSpec>;

/** Fields a person may be allowed to write (by their abilities); the rest are the server's alone. */
export const PEOPLE_WRITABLE_FIELDS: readonly RoomField[] = ROOM_FIELD_NAMES.filter((f) => ROOM_LAYOUT[f].writers === "people");

// ---- Typed accessors: the only places that name a field

export const draftFragment = (doc: Y.Doc) => doc.getXmlFragment("draft");
export const critiqueMap = (doc: Y.Doc) => doc.getMap<unknown>("critique");
export const postText = (doc: Y.Doc) => doc.getText("post");
export const revisionMap = (doc: Y.Doc) => doc.getMap<unknown>("revision");
export const catchesMap = (doc: Y.Doc) => doc.getMap<unknown>("catches");
export const polishMap = (doc: Y.Doc) => doc.getMap<unknown>("polish");

/** The Yjs type of each field, as its accessor gives it. */
export const FIELD_ACCESSORS: Record<RoomField, (doc: Y.Doc) => Y.XmlFragment | Y.Text | Y.Map<unknown>> = {
  draft: draftFragment,
  critique: critiqueMap,
  post: postText,
  revision: revisionMap,
  catches: catchesMap,
  polish: polishMap,
};

/** Writes a record (already validated) over a record map's keys, in one transaction. */
export function writeRecordToMap(map: Y.Map<unknown>, record: Record<string, unknown>, origin: unknown): void {
  const doc = map.doc;
  if (!doc) throw new Error("the map is not part of a document");
  doc.transact(() => {
    for (const [k, v] of Object.entries(record)) map.set(k, v);
  }, origin);
}

/** Reads a record map (revision, polish) as a plain object, absent keys as null. */
export function recordFromMap(map: Y.Map<unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, map.get(k) ?? null]));
}
