import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../db";
import { createTestDatabase } from "../testing/db";
import { LocalBus } from "./bus";
import { LocalSlots } from "./connectionSlots";
import { mergePresence, type PresenceEntry } from "./presence";
import { LocalTaskLocks, PgTaskLocks, type TaskLocks } from "./taskLocks";

describe("a process alone", () => {
  it("bounds slots per person and per room, and a release counts once", async () => {
    const slots = new LocalSlots({ maxConnectionsPerUser: 2, maxConnectionsPerRoom: 2 });
    const first = await slots.take("ann", "r1");
    expect(first.ok).toBe(true);
    expect((await slots.take("ann", "r2")).ok).toBe(true);
    expect(await slots.take("ann", "r3")).toEqual({ ok: false, full: "user" });
    expect((await slots.take("bob", "r1")).ok).toBe(true);
    expect(await slots.take("cy", "r1")).toEqual({ ok: false, full: "room" });
    if (first.ok) {
      first.release();
      first.release();
    }
    expect((await slots.take("cy", "r1")).ok).toBe(true);
    expect(await slots.take("dee", "r1")).toEqual({ ok: false, full: "room" });
  });

  it("merges presence per room and person, summing connections", () => {
    const e = (room: string, id: string, connections: number): PresenceEntry => ({ room, user: { id, name: id, role: "trainee" }, connections });
    expect(mergePresence([[e("r", "a", 1), e("r", "b", 1)], [e("r", "a", 2), e("s", "a", 1)]])).toEqual([e("r", "a", 3), e("r", "b", 1), e("s", "a", 1)]);
  });

  it("the local bus hands a message to every subscriber of its topic, the publisher's too, after the publish returns", async () => {
    const bus = new LocalBus();
    const got: unknown[] = [];
    bus.subscribe("t", (p) => got.push(p));
    bus.subscribe("t", () => {
      throw new Error("a broken subscriber");
    });
    bus.subscribe("t", (p) => got.push(p));
    bus.subscribe("other", (p) => got.push(["other", p]));
    bus.publish("t", 1);
    expect(got).toEqual([]);
    await Promise.resolve();
    expect(got).toEqual([1, 1]);
  });
});

/** Runs overlapping steps of one task through several lock holders; returns the most that were ever inside at once. */
async function maxOverlap(locks: TaskLocks[], taskId: string, steps: number): Promise<number> {
  let inside = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: steps }, (_, i) =>
      locks[i % locks.length]!.withLock(taskId, async () => {
        inside++;
        most = Math.max(most, inside);
        await new Promise((r) => setTimeout(r, 5));
        inside--;
      }),
    ),
  );
  return most;
}

describe("task locks", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase("postgres");
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it("one process: a task's steps never overlap; a failing step does not block the next", async () => {
    const locks = new LocalTaskLocks();
    expect(await maxOverlap([locks], "t", 6)).toBe(1);
    await expect(locks.withLock("t", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await locks.withLock("t", async () => "next")).toBe("next");
  });

  it("[postgres] two processes' locks: a task's steps never overlap, different tasks' do", async () => {
    // Two pools on one database: two processes, as far as PostgreSQL can tell.
    const other = await openDatabase({ kind: "postgres", url: database.url! });
    try {
      const a = new PgTaskLocks(database.db, { namespace: "test" });
      const b = new PgTaskLocks(other.db, { namespace: "test" });
      expect(await maxOverlap([a, b], "task-1", 8)).toBe(1);
      let inside = 0;
      let most = 0;
      const step = async () => {
        inside++;
        most = Math.max(most, inside);
        await new Promise((r) => setTimeout(r, 30));
        inside--;
      };
      await Promise.all([a.withLock("task-2", step), b.withLock("task-3", step)]);
      expect(most).toBe(2);
      await expect(a.withLock("task-1", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
      expect(await b.withLock("task-1", async () => "free again")).toBe("free again");
    } finally {
      await other.close();
    }
  });
});
