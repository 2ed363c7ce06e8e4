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

describe("stampAwarenessUpdate", () => {
  it("replaces the claimed identity with the authenticated one and drops entries for other clients", () => {
    const forged = encode([
      { id: 11, clock: 1, state: { user: { id: "boss", name: "Admin", role: "admin" }, cursor: 4 } },
      { id: 22, clock: 5, state: { cursor: 9 } },
      { id: 11, clock: 2, state: null },
    ]);
    const result = stampAwarenessUpdate(forged, { user: me, maxStateBytes: 1000, mayClaim: (id) => id === 11 });
    expect(result.clientIds).toEqual([11, 11]);
    expect(decode(result.update!)).toEqual([
      { id: 11, state: { user: me, cursor: 4 } },
      { id: 11, state: null },
    ]);
    expect(stampAwarenessUpdate(forged, { user: me, maxStateBytes: 1000, mayClaim: () => false }).update).toBeNull();
  });

  it("rejects bytes that do not decode, non-object states and oversized states", () => {
    const opts = { user: me, maxStateBytes: 1000, mayClaim: () => true };
    expect(() => stampAwarenessUpdate(new Uint8Array([5, 1]), opts)).toThrow();
    expect(() => stampAwarenessUpdate(encode([{ id: 1, clock: 1, state: [1, 2] }]), opts)).toThrow();
    expect(() => stampAwarenessUpdate(encode([{ id: 1, clock: 1, state: { blob: "x".repeat(2000) } }]), opts)).toThrow();
  });
});
