import { afterEach, describe, expect, it } from "vitest";
import { runLoad } from "./load";
import { availablePeers, prepareHocuspocus, startHocuspocus, startStock, type RunningPeer } from "./targets";

/** The peers' wires, end to end on a small load: every client joins, every keystroke reaches both readers. */
describe("bench:collab --peers load against the stock servers", () => {
  let peer: RunningPeer | undefined;
  afterEach(async () => {
    await peer?.stop();
    peer = undefined;
  });

  const peers = availablePeers();
  const cases = [
    { kind: "stock", start: () => startStock(undefined) },
    {
      kind: "hocuspocus",
      start: async () => {
        await prepareHocuspocus();
        return startHocuspocus(undefined);
      },
    },
  ] as const;

  for (const c of cases) {
    it.skipIf(!peers.includes(c.kind))(`${c.kind}: joins, fan-out and catch-up are measured`, async () => {
      peer = await c.start();
      const m = await runLoad({ wire: peer.wire, rooms: ["peers-a", "peers-b"], seconds: 1, pid: peer.pid, warmupMs: 300 });
      for (const r of m.rooms) r.close();
      expect(m.stats.join.count).toBe(6);
      // 2 rooms × 2 readers × 5 keystrokes/s × 1 s, give or take a scheduler tick at either edge.
      expect(m.stats.fanout.count).toBeGreaterThanOrEqual(16);
      expect(m.stats.presence.count).toBeGreaterThan(0);
      expect(m.behindAtEnd).toBe(0);
      expect(m.peakRssKb).toBeGreaterThan(0);
      // Both join phases were sampled (memory per room, then per connection).
      expect(m.roomsRssKb).toBeGreaterThan(0);
      expect(m.connectionsRssKb).toBeGreaterThan(0);
      // What the server sent is counted by message type: document updates (0) and presence (1) at least.
      expect(m.stats.received.get(0) ?? 0).toBeGreaterThanOrEqual(16);
      expect(m.stats.received.get(1) ?? 0).toBeGreaterThan(0);
    });
  }
});
