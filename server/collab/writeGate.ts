import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import type { RefusalReason } from "../../shared/collab/protocol";
import { critiqueMap, RoomField } from "../../shared/room/layout";
import { validateRoomField } from "../../shared/room/validate";
import { checkTyping } from "./typingCheck";
import { longLivedDoc } from "./longLivedDoc";

/** Who is writing: the user (for identities such as createdBy) and the fields the task policy lets them write now. */
export type Writer = { userId: string; roomWrites: readonly RoomField[] };

export type GateVerdict =
  /** `changes` false: the message held nothing new (an empty sync step 2, content already known). */
  | { ok: true; changes: boolean }
  /** `deletedExisting`: the update deleted content the room had, which no message can restore on the sender's side. */
  | { ok: false; reason: RefusalReason; detail: string; deletedExisting: boolean };

/**
 * What one update touches: top-level field name → keys of its entries touched (by-id maps) by new or deleted items,
 * and whether it added anything that could change the field's structure. Typing (a string inserted into an XmlText
 * that is already in place) and deleting cannot, so a keystroke does not re-walk the whole draft.
 */
type Touched = Map<string, { entries: Set<string>; structural: boolean }>;

const GATE_ORIGIN = Symbol("write-gate");

/** A shadow no full check has needed for this long is dropped (a room being typed in needs none; rebuilt on demand). */
const SHADOW_IDLE_MS = 5_000;

/**
 * Authority over what a client's update may change, enforced before anything is applied to the room. The update is
 * applied first to a shadow copy of the room document; the new and deleted items are traced to their top-level
 * field, which must be one the writer may write now; the touched fields must still pass the structural validator
 * (shared/room/validate.ts); a critique item's author may only be set to the writer. Only then is it applied to the
 * room (commit). A refused update leaves the shadow dirty, so the shadow is rebuilt from the room (refusals are
 * rare; accepted updates cost one extra apply). An update Yjs would hold pending (missing dependencies) is refused:
 * nothing is ever acknowledged that the log does not hold.
 *
 * Keystrokes (text typed into or deleted from XmlTexts already in place) are judged on the room itself, without the
 * shadow (typingCheck.ts). The shadow is created on the first other client write and follows every other change of
 * the room (server writes, peers, loads, keystrokes) through the room document's update event, until keystrokes
 * alone have come for SHADOW_IDLE_MS: then it is dropped (half the room's memory) and rebuilt when next needed.
 */
export class WriteGate {
  private shadow: Y.Doc | null = null;
  private readonly roots = new Map<Y.AbstractType<unknown>, string>();
  private committing = false;
  /** The last ok verdict came from the typing fast path: the shadow (if any) has not seen that update yet. */
  private unshadowed = false;
  /** performance.now() of the last full check (one that needed the shadow). */
  private lastFullCheck = 0;
  private readonly mirror = (update: Uint8Array) => {
    if (this.shadow && !this.committing) Y.applyUpdate(this.shadow, update, GATE_ORIGIN);
  };

  /** `fastTyping: false` sends every update through the shadow (tests compare the two paths). */
  constructor(
    private readonly doc: Y.Doc,
    private readonly opts: { fastTyping: boolean } = { fastTyping: true },
  ) {
    doc.on("update", this.mirror);
  }

  /**
   * Judges an update without changing the room. Throws on bytes that do not decode (the shadow is rebuilt). After
   * an ok verdict with changes, the caller applies the update with commit() before anything else runs, or discard().
   */
  check(update: Uint8Array, writer: Writer): GateVerdict {
    this.unshadowed = false;
    // Keystrokes need no shadow: checkTyping proves them harmless on the room itself (most rooms never build one).
    const typing = this.opts.fastTyping ? checkTyping(this.doc, update, writer.roomWrites, (type) => this.rootName(type)) : null;
    if (typing) {
      if (this.shadow && performance.now() - this.lastFullCheck > SHADOW_IDLE_MS) this.discard();
      this.unshadowed = typing.changes;
      return { ok: true, changes: typing.changes };
    }
    this.lastFullCheck = performance.now();
    const shadow = this.ensureShadow();
    let verdict: GateVerdict = { ok: true, changes: false };
    try {
      shadow.transact((tr) => {
        Y.applyUpdate(shadow, update, GATE_ORIGIN);
        verdict = this.judge(shadow, tr, writer);
      }, GATE_ORIGIN);
    } catch (err) {
      this.discard();
      throw err;
    }
    if (!verdict.ok) this.discard();
    return verdict;
  }

  /** Applies an accepted update to the room (the shadow has it already). */
  commit(apply: () => void): void {
    if (this.unshadowed) {
      // The room's update event brings it to the shadow (mirror).
      this.unshadowed = false;
      return apply();
    }
    this.committing = true;
    try {
      apply();
    } finally {
      this.committing = false;
    }
  }

  /** Forgets the shadow (it holds something the room does not); the next check rebuilds it. */
  discard(): void {
    this.unshadowed = false;
    this.shadow?.destroy();
    this.shadow = null;
    this.roots.clear();
  }

  destroy(): void {
    this.doc.off("update", this.mirror);
    this.discard();
  }

  private ensureShadow(): Y.Doc {
    if (this.shadow) return this.shadow;
    const shadow = longLivedDoc({ guid: this.doc.guid });
    Y.applyUpdate(shadow, Y.encodeStateAsUpdate(this.doc), GATE_ORIGIN);
    this.shadow = shadow;
    return shadow;
  }

  private judge(shadow: Y.Doc, tr: Y.Transaction, writer: Writer): GateVerdict {
    const refuse = (reason: RefusalReason, detail: string, deletedExisting = false): GateVerdict => ({ ok: false, reason, detail, deletedExisting });
    const store = shadow.store;
    if (store.pendingStructs !== null || store.pendingDs !== null) {
      return refuse("missing_dependencies", "the update builds on changes the server never received");
    }
    const touched: Touched = new Map();
    let changes = false;
    // New structs: everything past each client's state before this transaction.
    for (const [client, structs] of store.clients) {
      const before = tr.beforeState.get(client) ?? 0;
      const last = structs[structs.length - 1];
      if (!last || last.id.clock + last.length <= before) continue;
      changes = true;
      for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) this.trace(structs[i]!, touched, true);
    }
    // Deleted items: the parents of what was deleted (and whether any of it existed before this update).
    let deletedExisting = false;
    for (const [client, ranges] of tr.deleteSet.clients) {
      const structs = store.clients.get(client);
      if (!structs) continue;
      const before = tr.beforeState.get(client) ?? 0;
      for (const { clock, len } of ranges) {
        changes = true;
        if (clock < before) deletedExisting = true;
        for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < clock + len; i++) this.trace(structs[i]!, touched, false);
      }
    }
    if (!changes) return { ok: true, changes: false };
    for (const [name, { entries, structural }] of touched) {
      const field = RoomField.safeParse(name);
      if (!field.success) return refuse("invalid_structure", `unknown top-level field "${name}"`, deletedExisting);
      if (!writer.roomWrites.includes(field.data)) {
        return refuse(writer.roomWrites.length === 0 ? "read_only" : "field_not_writable", `may not write "${name}" now`, deletedExisting);
      }
      const problems = structural || entries.size > 0 ? validateRoomField(shadow, field.data, entries) : [];
      if (problems.length > 0) return refuse("invalid_structure", problems.join("; "), deletedExisting);
      if (field.data === "critique") {
        const wrongAuthor = [...entries].find((key) => !this.authorKept(shadow, key, writer.userId));
        if (wrongAuthor) return refuse("identity_mismatch", `critique.${wrongAuthor}: createdBy is not the writer`, deletedExisting);
      }
    }
    return { ok: true, changes: true };
  }

  /** Notes the top-level field (and its entry) an item belongs to. GC'd structs carry no parent: nothing to note. */
  private trace(struct: Y.Item | Y.GC | Y.Skip, touched: Touched, added: boolean): void {
    if (!(struct instanceof Y.Item)) return;
    const typing = struct.content instanceof Y.ContentString && struct.parent instanceof Y.XmlText;
    let node: Y.Item = struct;
    let parent = struct.parent;
    while (parent instanceof Y.AbstractType && parent._item !== null) {
      node = parent._item;
      parent = node.parent;
    }
    if (!(parent instanceof Y.AbstractType)) return;
    const name = this.rootName(parent);
    let t = touched.get(name);
    if (!t) touched.set(name, (t = { entries: new Set(), structural: false }));
    if (added && !typing) t.structural = true;
    if (node.parentSub !== null) t.entries.add(node.parentSub);
  }

  private rootName(type: Y.AbstractType<unknown>): string {
    let name = this.roots.get(type);
    if (name === undefined) {
      name = Y.findRootTypeKey(type);
      this.roots.set(type, name);
    }
    return name;
  }

  /** A critique item's author is unchanged by the update, or set to the writer. */
  private authorKept(shadow: Y.Doc, key: string, userId: string): boolean {
    const after = authorOf(critiqueMap(shadow).get(key));
    return after === null || after === userId || after === authorOf(critiqueMap(this.doc).get(key));
  }
}

function authorOf(entry: unknown): unknown {
  return entry instanceof Y.Map ? (entry.get("createdBy") ?? null) : null;
}

/**
 * An update for the sender only that deletes the items of a refused update the room never took, so the sender's
 * copy no longer shows them (a stock client applies it like any update). Deletions it made cannot be undone this
 * way. Null when there is nothing to delete.
 */
export function revertOf(refused: Uint8Array, room: Y.Doc): Uint8Array | null {
  const { from, to } = Y.parseUpdateMeta(refused);
  const ranges: [client: number, clock: number, len: number][] = [];
  for (const [client, end] of to) {
    const start = Math.max(from.get(client) ?? 0, Y.getState(room.store, client));
    if (end > start) ranges.push([client, start, end - start]);
  }
  if (ranges.length === 0) return null;
  // The update encoding (v1): no structs, then the delete set: per client, its ranges as (clock, length).
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, ranges.length);
  for (const [client, clock, len] of ranges) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, clock);
    encoding.writeVarUint(e, len);
  }
  return encoding.toUint8Array(e);
}
