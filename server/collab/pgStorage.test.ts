import * as Y from "yjs";
import { expect, it } from "vitest";
import { describeEachDb } from "../testing/db";
import { PgStorage } from "./pgStorage";
import { mergeToState, type StoredRoom } from "./storage";

/** Counts the statements loads cost. */
class CountingStorage extends PgStorage {
  loads: string[][] = [];
  override loadMany(rooms: readonly string[]) {
    this.loads.push([...rooms]);
    return super.loadMany(rooms);
  }
}

/** An update that sets `key` to `value` in a fresh document (a room's log needs no particular layout here). */
function updateSetting(key: string, value: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap("m").set(key, value);
  return Y.encodeStateAsUpdate(doc);
}

function contents(stored: StoredRoom): Record<string, unknown> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, mergeToState(stored.snapshot, stored.updates));
  return doc.getMap("m").toJSON();
}

describeEachDb("PgStorage loads", (db) => {
  it("rooms asked for in one turn load in one statement, each with exactly its own snapshot and rows", async () => {
    const writer = new PgStorage(db().db);
    const rooms = ["task:a-" + Date.now(), "task:b-" + Date.now(), "task:c-" + Date.now()];
    await writer.append(rooms.flatMap((room, i) => [{ room, update: updateSetting("first", `${i}`) }, { room, update: updateSetting(`only-${i}`, "x") }]));
    // Room b has a snapshot and a row after it.
    await writer.compact(rooms[1]!);
    await writer.append([{ room: rooms[1]!, update: updateSetting("after", "snapshot") }]);

    const storage = new CountingStorage(db().db);
    const missing = "task:none-" + Date.now();
    const [a, b, c, none] = await Promise.all([...rooms, missing].map((room) => storage.load(room)));
    expect(storage.loads).toEqual([[...rooms, missing]]);

    expect(a!.snapshot).toBeNull();
    expect(a!.updates).toHaveLength(2);
    expect(contents(a!)).toMatchObject({ "only-0": "x" });
    expect(Object.keys(contents(a!)).sort()).toEqual(["first", "only-0"]);
    expect(b!.snapshot).not.toBeNull();
    expect(b!.updates).toHaveLength(1);
    expect(Object.keys(contents(b!)).sort()).toEqual(["after", "first", "only-1"]);
    expect(Object.keys(contents(c!)).sort()).toEqual(["first", "only-2"]);
    expect(none).toEqual({ snapshot: null, updates: [], bytes: 0 });
    for (const [stored, room] of [[a, rooms[0]], [b, rooms[1]], [c, rooms[2]]] as const) {
      // The same answer as a room loaded on its own, bytes included.
      const alone = await new PgStorage(db().db).load(room!);
      expect(stored!.bytes).toBe(alone.bytes);
      expect(contents(stored!)).toEqual(contents(alone));
    }
  });
});
