import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MemoryStorage } from "./memoryStorage";
import { RoomRegistry } from "./rooms";
import { mergeToState } from "./storage";
import { waitFor } from "../testing/collabClients";

const ROOM = "task:00000000-0000-4000-8000-000000000001";

function textOf(storage: MemoryStorage, room: string): Promise<string> {
  return storage.load(room).then((s) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, mergeToState(s.snapshot, s.updates));
    return doc.getText("t").toString();
  });
}

describe("rooms registry (in-memory storage)", () => {
  it("deduplicates concurrent loads of one room", async () => {
    const storage = new MemoryStorage();
    const rooms = new RoomRegistry({ storage, unloadDelayMs: 10 });
    const loaded = await Promise.all(Array.from({ length: 10 }, () => rooms.acquire(ROOM)));
    expect(new Set(loaded).size).toBe(1);
    expect(storage.loadCalls).toBe(1);
    expect(loaded[0]!.holds).toBe(10);
    for (const r of loaded) rooms.release(r);
    await waitFor(() => !rooms.isLoaded(ROOM), "unload");
    await rooms.close();
  });

  it("group-commits server-side writes of many rooms into few appends", async () => {
    const storage = new MemoryStorage();
    const rooms = new RoomRegistry({ storage });
    const names = Array.from({ length: 20 }, (_, i) => `task:00000000-0000-4000-8000-0000000000${String(i).padStart(2, "0")}`);
    await Promise.all(names.map((n) => rooms.withDoc(n, (d) => d.getText("t").insert(0, n))));
    expect(rooms.stats.committedUpdates).toBe(20);
    expect(storage.appendCalls).toBeLessThan(20);
    for (const n of names) expect(await textOf(storage, n)).toBe(n);
    await rooms.close();
  });

  it("keeps updates queued and the room loaded while the log cannot be written, then writes them", async () => {
    const storage = new MemoryStorage();
    const rooms = new RoomRegistry({ storage, unloadDelayMs: 1, writer: { retryMs: 5, maxRetryMs: 20 } });
    storage.failAppends = true;
    let done = false;
    const write = rooms.withDoc(ROOM, (d) => d.getText("t").insert(0, "precious")).then(() => (done = true));
    await waitFor(() => rooms.stats.writeFailures >= 3, "retries");
    expect(done).toBe(false);
    expect(rooms.isLoaded(ROOM)).toBe(true);
    expect(rooms.pendingWrites).toBe(1);
    storage.failAppends = false;
    await write;
    expect(await textOf(storage, ROOM)).toBe("precious");
    await waitFor(() => !rooms.isLoaded(ROOM), "unload once persisted");
    await rooms.close();
  });

  it("compacts past the threshold in the background; a reload sees identical content", async () => {
    const storage = new MemoryStorage();
    const rooms = new RoomRegistry({ storage, unloadDelayMs: 1, compaction: { maxTailUpdates: 10, maxTailBytes: 1 << 20 } });
    for (let i = 0; i < 35; i++) await rooms.withDoc(ROOM, (d) => d.getText("t").insert(d.getText("t").length, String(i % 10)));
    await rooms.withDoc(ROOM, (d) => d.getText("t").delete(0, 5));
    const expected = await rooms.withDoc(ROOM, (d) => d.getText("t").toString());
    await waitFor(() => rooms.stats.compactions >= 3, "compactions");
    expect(storage.tailLength(ROOM)).toBeLessThan(10);
    await waitFor(() => !rooms.isLoaded(ROOM), "unload");
    expect(await rooms.withDoc(ROOM, (d) => d.getText("t").toString())).toBe(expected);
    expect(await textOf(storage, ROOM)).toBe(expected);
    await rooms.close();
  });
});
