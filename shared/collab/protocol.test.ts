import { describe, expect, it } from "vitest";
import * as syncProtocol from "y-protocols/sync";
import * as awarenessProtocol from "y-protocols/awareness";
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";
import * as Y from "yjs";
import type { TaskAbilities } from "../api/abilities";
import {
  decodeAwarenessUpdate,
  decodeFrame,
  decodeOwnMessage,
  encodeAwarenessUpdate,
  encodeFrame,
  framedPayload,
  MESSAGE,
  SYNC,
  type Frame,
} from "./protocol";

const abilities: TaskAbilities = { actions: ["critique", "submit"], roomWrites: ["critique", "draft"], readOnlyReason: null, panels: ["room"] };

const FRAMES: Frame[] = [
  { type: "syncStep1", stateVector: new Uint8Array([1, 2, 3]) },
  { type: "syncStep2", update: new Uint8Array([4, 5]) },
  { type: "syncUpdate", update: new Uint8Array([6]) },
  { type: "awareness", update: new Uint8Array([0]) },
  { type: "queryAwareness" },
  { type: "auth" },
  { type: "saved", upTo: 300 },
  { type: "refused", messageNumber: 7, reason: "read_only" },
  { type: "abilities", abilities, stage: "critiquing" },
];

describe("collaboration protocol", () => {
  it.each(FRAMES.map((f) => [f.type, f] as const))("%s round-trips", (_type, frame) => {
    expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
  });

  it("speaks y-protocols' own encoding of sync and awareness", () => {
    const doc = new Y.Doc();
    doc.getText("t").insert(0, "hi");
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE.sync);
    syncProtocol.writeSyncStep1(e, doc);
    expect(decodeFrame(encoding.toUint8Array(e))).toEqual({ type: "syncStep1", stateVector: Y.encodeStateVector(doc) });

    // What we encode, y-protocols reads.
    const update = Y.encodeStateAsUpdate(doc);
    const d = decoding.createDecoder(encodeFrame({ type: "syncUpdate", update }));
    expect(decoding.readVarUint(d)).toBe(MESSAGE.sync);
    const other = new Y.Doc();
    syncProtocol.readSyncMessage(d, encoding.createEncoder(), other, null);
    expect(other.getText("t").toString()).toBe("hi");

    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ name: "a" });
    const au = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
    const entries = decodeAwarenessUpdate(au);
    expect(entries).toEqual([{ clientId: doc.clientID, clock: expect.any(Number) as number, state: '{"name":"a"}' }]);
    expect(encodeAwarenessUpdate(entries)).toEqual(au);
    awareness.destroy();
  });

  it("frames a payload exactly as lib0's encoder does, across the var-uint length boundaries", () => {
    for (const size of [0, 1, 127, 128, 200, 16_383, 16_384, 2_097_151, 2_097_152]) {
      const payload = new Uint8Array(size).map((_, i) => (i * 31) & 0xff);
      for (const head of [[MESSAGE.awareness], [MESSAGE.sync, SYNC.update]]) {
        const e = encoding.createEncoder();
        for (const h of head) encoding.writeVarUint(e, h);
        encoding.writeVarUint8Array(e, payload);
        // Compared as bytes: deep equality over 2 million elements took tens of seconds on a busy machine.
        const ours = framedPayload(head, payload);
        const lib0 = encoding.toUint8Array(e);
        const firstDifference = ours.length === lib0.length ? ours.findIndex((b, i) => b !== lib0[i]) : Math.min(ours.length, lib0.length);
        expect({ length: ours.length, firstDifference }, `${size} bytes after [${head.join(", ")}]`).toEqual({ length: lib0.length, firstDifference: -1 });
      }
    }
  });

  it("refuses malformed bytes", () => {
    expect(() => decodeFrame(new Uint8Array([77, 1, 2]))).toThrow(/unknown message type/);
    expect(() => decodeFrame(new Uint8Array([0, 9, 0]))).toThrow(/unknown sync message/);
    expect(() => decodeFrame(new Uint8Array([MESSAGE.refused, 1]))).toThrow();
    const badAbilities = encodeFrame({ type: "abilities", abilities: { ...abilities, actions: ["fly" as "critique"] }, stage: "critiquing" });
    expect(() => decodeFrame(badAbilities)).toThrow();
    expect(decodeOwnMessage(badAbilities)).toBeNull();
    expect(decodeOwnMessage(encodeFrame({ type: "abilities", abilities, stage: "flying" as "critiquing" }))).toBeNull();
    const good = { type: "abilities", abilities, stage: "submitted" } as const;
    expect(decodeOwnMessage(encodeFrame(good))).toEqual(good);
    expect(() => decodeAwarenessUpdate(new Uint8Array([0, 1]))).toThrow(/trailing/);
  });
});
