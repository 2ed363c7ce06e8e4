import { mergeToState, type AppendEntry, type CompactionResult, type DocStorage, type StoredRoom } from "./storage";

type MemoryRoom = { snapshot: Uint8Array | null; updates: Uint8Array[] };

/** Rooms in process memory: for unit tests of the registry and protocol, and as the reference behaviour. */
export class MemoryStorage implements DocStorage {
  private readonly rooms = new Map<string, MemoryRoom>();
  /** Tests flip this to simulate a database outage; append throws while it is set. */
  failAppends = false;
  appendCalls = 0;
  loadCalls = 0;

  async load(room: string): Promise<StoredRoom> {
    this.loadCalls++;
    await Promise.resolve();
    const r = this.rooms.get(room);
    const updates = r ? [...r.updates] : [];
    const snapshot = r?.snapshot ?? null;
    return { snapshot, updates, bytes: (snapshot?.length ?? 0) + updates.reduce((n, u) => n + u.length, 0) };
  }

  async append(entries: readonly AppendEntry[]): Promise<void> {
    this.appendCalls++;
    await Promise.resolve();
    if (this.failAppends) throw new Error("simulated storage failure");
    for (const e of entries) this.room(e.room).updates.push(e.update);
  }

  async compact(room: string): Promise<CompactionResult> {
    const r = this.room(room);
    const merged = r.updates.length;
    const mergedBytes = r.updates.reduce((n, u) => n + u.length, 0);
    r.snapshot = mergeToState(r.snapshot, r.updates);
    r.updates = [];
    return { mergedUpdates: merged, mergedBytes, snapshotBytes: r.snapshot.length };
  }

  /** Number of log rows of a room (tests). */
  tailLength(room: string): number {
    return this.rooms.get(room)?.updates.length ?? 0;
  }

  private room(room: string): MemoryRoom {
    let r = this.rooms.get(room);
    if (!r) {
      r = { snapshot: null, updates: [] };
      this.rooms.set(room, r);
    }
    return r;
  }
}
