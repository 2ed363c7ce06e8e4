import { describe, expect, it } from "vitest";
import { CLOSE, type CloseCode } from "../../shared/collab/closeCodes";
import type { CollabConnection } from "./connection";
import { MemoryStorage } from "./memoryStorage";
import { RoomRegistry } from "./rooms";

/** A stand-in connection: only what the registry touches when it closes one. */
function fakeConn(userId: string, closed: CloseCode[]): CollabConnection {
  const conn = {
    user: { id: userId, email: `${userId}@x.test`, displayName: userId, role: "annotator" as const },
    relation: "none",
    clientIds: new Set<number>(),
    send: () => {},
    close: (code: CloseCode) => closed.push(code),
  };
  return conn as unknown as CollabConnection;
}

describe("RoomRegistry.disconnectUser (a deactivated account leaves every room)", () => {
  it("closes only that person's connections, in every room, with ACCESS_REVOKED", async () => {
    const rooms = new RoomRegistry({ storage: new MemoryStorage(), unloadDelayMs: 1 });
    const a = await rooms.acquire("task:00000000-0000-4000-8000-000000000001");
    const b = await rooms.acquire("task:00000000-0000-4000-8000-000000000002");
    const annClosed: CloseCode[] = [];
    const otherClosed: CloseCode[] = [];
    a.join(fakeConn("ann", annClosed));
    b.join(fakeConn("ann", annClosed));
    a.join(fakeConn("bob", otherClosed));
    expect(rooms.disconnectUser("ann")).toBe(2);
    expect(annClosed).toEqual([CLOSE.ACCESS_REVOKED, CLOSE.ACCESS_REVOKED]);
    expect(otherClosed).toEqual([]);
    expect(rooms.disconnectUser("nobody")).toBe(0);
    rooms.release(a);
    rooms.release(b);
    await rooms.close();
  });
});
