import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import type { PresenceUser } from "../../shared/collab/presence";
import { stampAwarenessUpdate } from "./awarenessStamp";

const me: PresenceUser = { id: "u1", name: "Ann", role: "annotator", relation: "annotator", colour: "#123456" };

/** An awareness update in the y-protocols encoding: count, then (clientID, clock, JSON state) per entry. */
function encode(list: { id: number; clock: number; state: unknown }[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, list.length);
  for (const x of list) {
    encoding.writeVarUint(e, x.id);
    encoding.writeVarUint(e, x.clock);
    encoding.writeVarString(e, JSON.stringify(x.state));
  }
  return encoding.toUint8Array(e);
}

function decode(update: Uint8Array): { id: number; state: unknown }[] {
  const d = decoding.createDecoder(update);
  return Array.from({ length: decoding.readVarUint(d) }, () => {
    const id = decoding.readVarUint(d);
    decoding.readVarUint(d);
    return { id, state: JSON.parse(decoding.readVarString(d)) as unknown };
  });
}

const caps = { owned: new Set<number>(), maxStateBytes: 1000, maxClientIds: 4, maxNewClientIds: 2 };
const caret = { anchor: { type: { client: 1, clock: 2 }, tname: "draft", assoc: 0 }, head: { item: { client: 1, clock: 5 } } };

describe("stampAwarenessUpdate", () => {
  it("replaces the claimed identity with the authenticated one and drops entries for other clients", () => {
    const forged = encode([
      { id: 11, clock: 1, state: { user: { id: "boss", name: "Admin", role: "admin" }, cursor: caret } },
      { id: 22, clock: 5, state: { cursor: caret } },
      { id: 11, clock: 2, state: null },
    ]);
    const result = stampAwarenessUpdate(forged, { ...caps, user: me, mayClaim: (id) => id === 11 });
    expect(result.clientIds).toEqual([11, 11]);
    expect(decode(result.update!)).toEqual([
      { id: 11, state: { user: me, cursor: caret } },
      { id: 11, state: null },
    ]);
    expect(stampAwarenessUpdate(forged, { ...caps, user: me, mayClaim: () => false }).update).toBeNull();
  });

  it("passes only the known presence fields, each only in its own shape", () => {
    const update = encode([
      { id: 5, clock: 1, state: { cursor: { anchor: 1, head: 2 }, playhead: { time: 3.5, playing: true }, html: "<script>", blob: [1, 2] } },
    ]);
    const [entry] = decode(stampAwarenessUpdate(update, { ...caps, user: me, mayClaim: () => true }).update!);
    expect(entry!.state).toEqual({ playhead: { time: 3.5, playing: true }, user: me });
  });

  it("caps the client ids one message and one connection may claim; ids it holds always pass", () => {
    const many = encode(Array.from({ length: 500 }, (_, i) => ({ id: 1000 + i, clock: 1, state: {} })));
    expect(stampAwarenessUpdate(many, { ...caps, user: me, mayClaim: () => true }).clientIds).toEqual([1000, 1001]);
    const owned = new Set([1, 2, 3]);
    const more = encode([1, 2, 3, 7, 8].map((id) => ({ id, clock: 2, state: {} })));
    // Three held, room for one more: 7 is claimed, 8 is past the per-connection cap.
    expect(stampAwarenessUpdate(more, { ...caps, owned, user: me, mayClaim: () => true }).clientIds).toEqual([1, 2, 3, 7]);
  });

  it("rejects bytes that do not decode, non-object states and oversized states", () => {
    const opts = { ...caps, user: me, mayClaim: () => true };
    expect(() => stampAwarenessUpdate(new Uint8Array([5, 1]), opts)).toThrow();
    expect(() => stampAwarenessUpdate(encode([{ id: 1, clock: 1, state: [1, 2] }]), opts)).toThrow();
    expect(() => stampAwarenessUpdate(encode([{ id: 1, clock: 1, state: { blob: "x".repeat(2000) } }]), opts)).toThrow();
  });
});
