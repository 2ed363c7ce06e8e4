import * as Y from "yjs";
import { fromBase64, toBase64 } from "lib0/buffer";
import { CritiqueItem, MAX_CRITIQUE_ITEMS, sortByTime } from "../critique/items";
import type { CritiqueAnchor } from "../critique/items";
import {
  CRITIQUE_ITEM_KEYS,
  IDLE_REVISION,
  RevisionState,
  critiqueMap,
  draftFragment,
  postText,
  recordFromMap,
  revisionMap,
  writeRecordToMap,
} from "./layout";

/**
 * Reading and writing the room document's collaborative content — the draft (as text, with anchors), critique
 * items, the post-caption and the revision status. The layout itself (fields, types, writers) is in layout.ts.
 * A client can write any bytes into the document, so everything read here is validated; bad entries are reported
 * and skipped, never thrown.
 */

// Re-exported for the many readers that import them with the helpers; layout.ts declares them.
export { IDLE_REVISION, RevisionState, critiqueMap, draftFragment, postText, revisionMap };
export { ROOM_FIELD_NAMES, RoomField } from "./layout";

// ---------------------------------------------------------------------------------------------------------------
// Draft: the fragment read as plain text. Top-level blocks (paragraphs) are joined by "\n"; a hard break inside a
// paragraph is "\n"; an embed inside text is U+FFFC so offsets stay aligned with Yjs indices.

const BLOCK_SEPARATOR = "\n";
const EMBED = "\uFFFC";

type XmlNode = Y.XmlElement | Y.XmlText | Y.XmlHook;

type DraftLayout = {
  text: string;
  /** Where each live XmlText / XmlElement begins and ends in `text`. */
  starts: Map<object, number>;
  ends: Map<object, number>;
  /** Each element's (and the fragment's) live children, in order. */
  children: Map<object, XmlNode[]>;
};

/**
 * A node's XML children. A foreign update can leave raw values (strings, JSON) where nodes belong, as in a room
 * poisoned before the server checked updates: those are skipped, so reading never throws.
 */
function xmlChildren(parent: Y.XmlFragment | Y.XmlElement): XmlNode[] {
  return (parent.toArray() as unknown[]).filter(
    (n): n is XmlNode => n instanceof Y.XmlElement || n instanceof Y.XmlText || n instanceof Y.XmlHook,
  );
}

function layoutDraft(fragment: Y.XmlFragment): DraftLayout {
  const layout: DraftLayout = { text: "", starts: new Map(), ends: new Map(), children: new Map() };
  const parts: string[] = [];
  let offset = 0;
  const push = (s: string) => {
    parts.push(s);
    offset += s.length;
  };
  const visit = (node: XmlNode) => {
    layout.starts.set(node, offset);
    if (node instanceof Y.XmlText) {
      for (const op of node.toDelta() as Array<{ insert: unknown }>) {
        push(typeof op.insert === "string" ? op.insert : EMBED);
      }
    } else if (node instanceof Y.XmlHook) {
      // Hooks hold no text.
    } else if (node.nodeName === "hardBreak") {
      push("\n");
      layout.children.set(node, []);
    } else {
      const kids = xmlChildren(node);
      layout.children.set(node, kids);
      kids.forEach(visit);
    }
    layout.ends.set(node, offset);
  };
  const blocks = xmlChildren(fragment);
  layout.children.set(fragment, blocks);
  layout.starts.set(fragment, 0);
  blocks.forEach((block, i) => {
    if (i > 0) push(BLOCK_SEPARATOR);
    visit(block);
  });
  layout.ends.set(fragment, offset);
  layout.text = parts.join("");
  return layout;
}

/** The draft as plain text (paragraphs separated by "\n"). */
export function draftText(doc: Y.Doc): string {
  return layoutDraft(draftFragment(doc)).text;
}

/** Replaces the draft with `text` (one paragraph per line), e.g. a model's pre-caption written by the server. */
export function setDraftText(doc: Y.Doc, text: string, origin: unknown = null): void {
  const fragment = draftFragment(doc);
  doc.transact(() => {
    fragment.delete(0, fragment.length);
    const paragraphs = text.split(/\r?\n/).map((line) => {
      const p = new Y.XmlElement("paragraph");
      if (line) p.insert(0, [new Y.XmlText(line)]);
      return p;
    });
    fragment.insert(0, paragraphs);
  }, origin);
}

// ---------------------------------------------------------------------------------------------------------------
// Anchors: a span of the draft held as two Yjs RelativePositions (base64) plus the quoted text for recovery.

/** The XmlText holding plain-text offset `at` (the text ending there when `preferEnd`), and the index inside it. */
function locate(layout: DraftLayout, at: number, preferEnd: boolean): { type: Y.XmlText; index: number } | null {
  let best: { type: Y.XmlText; index: number } | null = null;
  for (const [type, start] of layout.starts) {
    if (!(type instanceof Y.XmlText)) continue;
    const end = layout.ends.get(type) ?? start;
    if (at < start || at > end) continue;
    const candidate = { type, index: at - start };
    // At a boundary between two texts, the start of a span belongs to the text after it, the end to the one before.
    if (!best || (preferEnd ? at === end : at === start)) best = candidate;
  }
  return best;
}

const encode = (pos: Y.RelativePosition) => toBase64(Y.encodeRelativePosition(pos));

/**
 * Anchors the plain-text span [from, to) of the draft. The start sticks to the span's first character and the end
 * to its last, so text typed just outside the span stays outside it.
 */
export function anchorFromTextRange(doc: Y.Doc, from: number, to: number): CritiqueAnchor {
  const layout = layoutDraft(draftFragment(doc));
  if (!(from >= 0 && to > from && to <= layout.text.length)) {
    throw new RangeError(`span ${from}–${to} is outside the draft (length ${layout.text.length})`);
  }
  const start = locate(layout, from, false);
  const end = locate(layout, to, true);
  if (!start || !end) throw new RangeError(`span ${from}–${to} does not fall inside the draft's text`);
  return {
    start: encode(Y.createRelativePositionFromTypeIndex(start.type, start.index, 0)),
    end: encode(Y.createRelativePositionFromTypeIndex(end.type, end.index, -1)),
    quote: layout.text.slice(from, to),
  };
}

export type ResolvedAnchor =
  | { orphaned: false; from: number; to: number; text: string }
  | { orphaned: true; quote: string };

function decodePosition(b64: string): Y.RelativePosition | null {
  try {
    return Y.decodeRelativePosition(fromBase64(b64));
  } catch {
    return null;
  }
}

function absoluteOffset(doc: Y.Doc, layout: DraftLayout, pos: Y.RelativePosition): number | null {
  const abs = Y.createAbsolutePositionFromRelativePosition(pos, doc);
  if (!abs) return null;
  const type = abs.type;
  if (type instanceof Y.XmlText) {
    const start = layout.starts.get(type);
    return start === undefined ? null : start + Math.min(abs.index, type.length);
  }
  // A position between blocks or inline nodes (as y-tiptap makes at paragraph edges).
  const kids = layout.children.get(type);
  if (!kids) return null;
  const next = kids[abs.index];
  return next ? (layout.starts.get(next) ?? null) : (layout.ends.get(type) ?? null);
}

/**
 * Where an anchor's span is now, in plain-text offsets of `draftText(doc)`; orphaned (with the original quote) when
 * the span was deleted or the anchor cannot be read.
 */
export function resolveAnchor(doc: Y.Doc, anchor: CritiqueAnchor): ResolvedAnchor {
  const orphaned = { orphaned: true as const, quote: anchor.quote };
  const startPos = decodePosition(anchor.start);
  const endPos = decodePosition(anchor.end);
  if (!startPos || !endPos) return orphaned;
  const layout = layoutDraft(draftFragment(doc));
  let from: number | null;
  let to: number | null;
  try {
    from = absoluteOffset(doc, layout, startPos);
    to = absoluteOffset(doc, layout, endPos);
  } catch {
    // Positions naming items this document never saw.
    return orphaned;
  }
  if (from === null || to === null || to <= from) return orphaned;
  return { orphaned: false, from, to, text: layout.text.slice(from, to) };
}

// ---------------------------------------------------------------------------------------------------------------
// Critique items

export type InvalidCritiqueEntry = { key: string; problem: string };

/** One critique entry read and validated: the nested Y.Map's keys are the item schema's keys, absent = null. */
export function critiqueItemFromMap(key: string, value: unknown): { item: CritiqueItem } | { problem: string } {
  if (!(value instanceof Y.Map)) return { problem: "not a map" };
  const raw: Record<string, unknown> = {};
  for (const f of CRITIQUE_ITEM_KEYS) {
    const v: unknown = value.get(f);
    raw[f] = v === undefined && f !== "id" ? null : v;
  }
  const parsed = CritiqueItem.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { problem: first ? `${first.path.join(".") || "item"}: ${first.message}` : "invalid" };
  }
  if (parsed.data.id !== key) return { problem: `id ${JSON.stringify(parsed.data.id)} does not match its key` };
  return { item: parsed.data };
}

/** Reads and validates every critique item; invalid entries are reported and skipped. Items in time order. */
export function critiqueItemsFromDoc(doc: Y.Doc): { items: CritiqueItem[]; invalid: InvalidCritiqueEntry[] } {
  const items: CritiqueItem[] = [];
  const invalid: InvalidCritiqueEntry[] = [];
  for (const [key, value] of critiqueMap(doc).entries()) {
    const read = critiqueItemFromMap(key, value);
    if ("problem" in read) invalid.push({ key, problem: read.problem });
    else items.push(read.item);
  }
  // Bounded: beyond the limit the latest items are reported, not used.
  if (items.length > MAX_CRITIQUE_ITEMS) {
    items.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    for (const extra of items.splice(MAX_CRITIQUE_ITEMS)) {
      invalid.push({ key: extra.id, problem: `more than ${MAX_CRITIQUE_ITEMS} critique items` });
    }
  }
  return { items: sortByTime(items), invalid };
}

/** Adds or replaces an item (validated first). */
export function putCritiqueItem(doc: Y.Doc, item: CritiqueItem, origin: unknown = null): void {
  const valid = CritiqueItem.parse(item);
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    for (const f of CRITIQUE_ITEM_KEYS) m.set(f, f === "anchor" && valid.anchor ? { ...valid.anchor } : valid[f]);
    critiqueMap(doc).set(valid.id, m);
  }, origin);
}

/** Updates some fields of an existing item in place (concurrent edits of other fields survive). */
export function updateCritiqueItem(
  doc: Y.Doc,
  id: string,
  patch: Partial<Omit<CritiqueItem, "id">>,
  origin: unknown = null,
): boolean {
  const m = critiqueMap(doc).get(id);
  if (!(m instanceof Y.Map)) return false;
  doc.transact(() => {
    for (const [k, v] of Object.entries(patch)) m.set(k, k === "anchor" && v ? { ...(v as CritiqueAnchor) } : v);
  }, origin);
  return true;
}

export function removeCritiqueItem(doc: Y.Doc, id: string, origin: unknown = null): boolean {
  const map = critiqueMap(doc);
  if (!map.has(id)) return false;
  doc.transact(() => map.delete(id), origin);
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Post-caption

export const readPostText = (doc: Y.Doc) => postText(doc).toString();

/** Replaces the post-caption (a revision starting, or a finished revision's final text). */
export function setPostText(doc: Y.Doc, text: string, origin: unknown = null): void {
  const t = postText(doc);
  doc.transact(() => {
    if (t.length > 0) t.delete(0, t.length);
    if (text) t.insert(0, text);
  }, origin);
}

/** Appends a streamed chunk to the post-caption. */
export function appendPostText(doc: Y.Doc, chunk: string, origin: unknown = null): void {
  if (!chunk) return;
  const t = postText(doc);
  doc.transact(() => t.insert(t.length, chunk), origin);
}

// ---------------------------------------------------------------------------------------------------------------
// Revision status (server-written; clients only display it)

/** The revision status; idle when absent or unreadable. */
export function readRevision(doc: Y.Doc): RevisionState {
  const parsed = RevisionState.safeParse(recordFromMap(revisionMap(doc), Object.keys(IDLE_REVISION)));
  return parsed.success ? parsed.data : IDLE_REVISION;
}

export function writeRevision(doc: Y.Doc, state: RevisionState, origin: unknown = null): void {
  writeRecordToMap(revisionMap(doc), RevisionState.parse(state), origin);
}
