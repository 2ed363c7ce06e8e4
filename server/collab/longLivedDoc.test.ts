import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { draftFragment, ROOM_FIELD_NAMES } from "../../shared/room/layout";
import { longLivedDoc } from "./longLivedDoc";
import { Room } from "./room";

type Internals = { _transactionCleanups: unknown[] };

/** The array Yjs will put the next transaction in, and what is left in it after one transaction. */
function leftAfterATransaction(doc: Y.Doc, change: () => void): number {
  const array = (doc as unknown as Internals)._transactionCleanups;
  change();
  // Yjs swaps in a fresh array after each round; the one it used is what an old-generation copy would keep alive.
  expect((doc as unknown as Internals)._transactionCleanups).not.toBe(array);
  return array.length;
}

describe("long-lived documents let finished transactions go", () => {
  it("a plain Y.Doc keeps its last transaction in the array it swapped out (why longLivedDoc exists)", () => {
    const doc = new Y.Doc();
    expect(leftAfterATransaction(doc, () => doc.getMap("m").set("k", 1))).toBe(1);
  });

  it("longLivedDoc empties it, local edits and applied updates alike, and the document works as before", () => {
    const doc = longLivedDoc({ guid: "t" });
    expect(leftAfterATransaction(doc, () => doc.getMap("m").set("k", 1))).toBe(0);
    const other = new Y.Doc();
    other.getText("t").insert(0, "hello");
    expect(leftAfterATransaction(doc, () => Y.applyUpdate(doc, Y.encodeStateAsUpdate(other)))).toBe(0);
    const seen: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => seen.push(u));
    doc.getText("t").insert(5, " world");
    expect(doc.getText("t").toString()).toBe("hello world");
    expect(doc.getMap("m").get("k")).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it("a room's document and its write gate's shadow are long-lived documents", () => {
    const room = new Room("task:long-lived", { storedBytes: 0, tailUpdates: 0, tailBytes: 0 });
    const client = new Y.Doc();
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText("a line")]);
    draftFragment(client).insert(0, [paragraph]);
    const update = Y.encodeStateAsUpdate(client);
    // A structural update (a new paragraph) goes through the shadow, not the typing fast path.
    expect(room.gate.check(update, { userId: "u1", roomWrites: [...ROOM_FIELD_NAMES] })).toEqual({ ok: true, changes: true });
    const shadow = (room.gate as unknown as { shadow: Y.Doc | null }).shadow;
    expect(shadow).not.toBeNull();
    expect(leftAfterATransaction(shadow!, () => shadow!.getMap("scratch").set("k", 1))).toBe(0);
    expect(leftAfterATransaction(room.doc, () => room.gate.commit(() => Y.applyUpdate(room.doc, update)))).toBe(0);
    expect(draftFragment(room.doc).toString()).toContain("a line");
    room.destroy();
  });
});
