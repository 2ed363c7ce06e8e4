import { afterEach, describe, expect, it, vi } from "vitest";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { decodeAwarenessUpdate, encodeAwarenessUpdate, type AwarenessEntry } from "../../shared/collab/protocol";
import { PresenceStore, type PresenceChange } from "./presenceStore";

/** y-protocols' Awareness as the server used it: no local state of its own. */
function referenceAwareness() {
  const a = new awarenessProtocol.Awareness(new Y.Doc());
  a.setLocalState(null);
  const changes: PresenceChange[] = [];
  a.on("update", (c: PresenceChange) => changes.push({ added: [...c.added], updated: [...c.updated], removed: [...c.removed] }));
  return { a, changes };
}

const statesOf = (a: awarenessProtocol.Awareness) => new Map([...a.getStates()].map(([id, s]) => [id, JSON.stringify(s)]));

describe("PresenceStore", () => {
  afterEach(() => vi.useRealTimers());

  it("applies, renews, removes and encodes exactly as y-protocols' Awareness does, over a random stream", () => {
    let seed = 7;
    const r = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const { a, changes } = referenceAwareness();
    const store = new PresenceStore();
    const seen: PresenceChange[] = [];
    store.onUpdate((c) => seen.push(c));
    const clocks = new Map<number, number>();
    for (let i = 0; i < 2000; i++) {
      const entries: AwarenessEntry[] = [];
      for (let k = 0; k < 1 + Math.floor(r() * 3); k++) {
        const clientId = 1 + Math.floor(r() * 6);
        const roll = r();
        // Newer, same (stale/renewal) or older clocks; some removals.
        const last = clocks.get(clientId) ?? 0;
        const clock = roll < 0.6 ? last + 1 : roll < 0.8 ? last : Math.max(0, last - 1);
        clocks.set(clientId, Math.max(last, clock));
        const state = r() < 0.2 ? "null" : JSON.stringify({ cursor: null, playhead: { time: Math.floor(r() * 100), playing: r() < 0.5 } });
        entries.push({ clientId, clock, state });
      }
      const update = encodeAwarenessUpdate(entries);
      awarenessProtocol.applyAwarenessUpdate(a, update, "x");
      store.applyUpdate(update, "x");
      if (i % 50 === 49) {
        const ids = [1, 2, 3].filter((id) => a.getStates().has(id));
        awarenessProtocol.removeAwarenessStates(a, ids, "leave");
        store.remove(ids, "leave");
      }
      expect(new Map(store.clientIds().map((id) => [id, store.stateText(id)!])), `step ${i}`).toEqual(statesOf(a));
    }
    expect(seen).toEqual(changes);
    // Encodings carry the same clocks and states (removed clients as null at their clock).
    const ids = [1, 2, 3, 4, 5, 6];
    const parse = (u: Uint8Array) => decodeAwarenessUpdate(u).map((e) => ({ ...e, state: JSON.stringify(JSON.parse(e.state)) }));
    expect(parse(store.encode(ids))).toEqual(parse(awarenessProtocol.encodeAwarenessUpdate(a, ids.filter((id) => a.meta.has(id)))));
    store.destroy();
  });

  it("drops a state not renewed for 30 s, as y-protocols does, and tells the listeners", () => {
    vi.useFakeTimers();
    const store = new PresenceStore();
    const seen: [PresenceChange, unknown][] = [];
    store.onUpdate((c, origin) => seen.push([c, origin]));
    store.apply([{ clientId: 9, clock: 1, state: '{"playhead":null}' }], "c");
    vi.advanceTimersByTime(29_000);
    expect(store.has(9)).toBe(true);
    vi.advanceTimersByTime(4_000);
    expect(store.has(9)).toBe(false);
    expect(seen.at(-1)).toEqual([{ added: [], updated: [], removed: [9] }, "timeout"]);
    // Its removal encodes as null at its last clock, which a stock client applies as "gone".
    expect(decodeAwarenessUpdate(store.encode([9]))).toEqual([{ clientId: 9, clock: 1, state: "null" }]);
    store.destroy();
  });
});
