import * as Y from "yjs";
import { RoomField } from "../../shared/room/layout";

/**
 * The write gate's fast path for the commonest message of all, a keystroke: decides without a shadow document whether
 * an update only inserts text into XmlTexts already in the room and/or deletes existing content, all under top-level
 * fields the writer may write now and outside by-id map entries. For such an update the full check (writeGate.ts
 * judge) would find nothing to validate — typing and deleting cannot change a field's structure — so the verdict is
 * the same. Anything else, or anything this function is unsure of (a gap, an unknown origin, garbage-collected
 * content, formatting, a new element, a field the writer may not write) answers null and the gate takes its full path,
 * which also words every refusal.
 */
/** `changes`: whether the update holds anything the room lacks. null = unsure (or refused: the full path says why). */
export type TypingVerdict = { changes: boolean } | null;

const UNSURE: TypingVerdict = null;

/** Whether `id` is already integrated in the store (not merely referenced). */
const known = (store: Y.Doc["store"], id: Y.ID) => id.clock < Y.getState(store, id.client);

export function checkTyping(doc: Y.Doc, update: Uint8Array, roomWrites: readonly RoomField[], rootName: (type: Y.AbstractType<unknown>) => string): TypingVerdict {
  const store = doc.store;
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return UNSURE; // the full path throws with its own error
  }
  let changes = false;
  /** The XmlText each root's field is checked for once; per client, the new run of this update (clock end, its text). */
  const checked = new Map<Y.XmlText, boolean>();
  const runs = new Map<number, { end: number; text: Y.XmlText }>();

  const writable = (text: Y.XmlText): boolean => {
    let ok = checked.get(text);
    if (ok === undefined) checked.set(text, (ok = mayType(text, roomWrites, rootName)));
    return ok;
  };

  /** The XmlText an id's item sits in: a known item of the room, or one of this update's new ones. */
  const textOf = (id: Y.ID): Y.XmlText | null => {
    if (known(store, id)) {
      const at = Y.getItem(store, id);
      return at instanceof Y.Item && at.parent instanceof Y.XmlText ? at.parent : null;
    }
    const run = runs.get(id.client);
    return run && id.clock < run.end ? run.text : null;
  };

  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) return UNSURE;
    const { client, clock } = struct.id;
    const state = Y.getState(store, client);
    if (clock + struct.length <= state) continue; // already in the room
    const run = runs.get(client);
    // A gap (Yjs would hold it pending) or a partly known struct: the full path decides.
    if (clock !== (run ? run.end : state)) return UNSURE;
    if (!(struct.content instanceof Y.ContentString) || struct.parentSub !== null) return UNSURE;
    let text: Y.XmlText | null = null;
    if (struct.parent !== null) {
      // Explicit parent: the id of the XmlText's own item (a root key string is never an XmlText here).
      if (typeof struct.parent === "string" || !(struct.parent instanceof Y.ID) || !known(store, struct.parent)) return UNSURE;
      const parentItem = Y.getItem(store, struct.parent);
      if (!(parentItem instanceof Y.Item) || !(parentItem.content instanceof Y.ContentType) || !(parentItem.content.type instanceof Y.XmlText)) return UNSURE;
      text = parentItem.content.type;
    }
    for (const neighbour of [struct.origin, struct.rightOrigin]) {
      if (neighbour === null) continue;
      const t = textOf(neighbour);
      if (t === null || (text !== null && t !== text)) return UNSURE;
      text = t;
    }
    if (text === null || text._item?.deleted || !writable(text)) return UNSURE;
    runs.set(client, { end: clock + struct.length, text });
    changes = true;
  }

  for (const [client, ranges] of decoded.ds.clients) {
    const structs = store.clients.get(client);
    const state = Y.getState(store, client);
    const run = runs.get(client);
    for (const { clock, len } of ranges) {
      changes = true;
      const end = clock + len;
      // Deleting what this update itself adds: those items were checked above.
      if (clock >= state) {
        if (!run || end > run.end) return UNSURE;
        continue;
      }
      if (end > state && (!run || end > run.end)) return UNSURE;
      if (!structs) return UNSURE;
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < Math.min(end, state); i++) {
        const s = structs[i]!;
        if (!(s instanceof Y.Item)) continue; // garbage-collected: nothing left to delete
        if (!(s.content instanceof Y.ContentString) || !(s.parent instanceof Y.XmlText) || !writable(s.parent)) return UNSURE;
      }
    }
  }
  return { changes };
}

/** Whether the writer may type inside `text`: its top-level field is writable now and it is not in a by-id map entry. */
function mayType(text: Y.XmlText, roomWrites: readonly RoomField[], rootName: (type: Y.AbstractType<unknown>) => string): boolean {
  let type = text as Y.AbstractType<unknown>;
  let node: Y.Item | null = null;
  while (type._item !== null) {
    node = type._item;
    if (!(node.parent instanceof Y.AbstractType)) return false;
    type = node.parent;
  }
  if (node === null || node.parentSub !== null) return false;
  const field = RoomField.safeParse(rootName(type));
  return field.success && roomWrites.includes(field.data);
}
