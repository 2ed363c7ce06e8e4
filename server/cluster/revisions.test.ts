import { asc, eq } from "drizzle-orm";
import type * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revisionLeases, rounds, tasks } from "../db/schema";
import { createTestDatabase } from "../testing/db";
import { person, seedProject, seedTask, type Person } from "../testing/seed";
import { taskRoom } from "../../shared/collab/protocol";
import { readPostText, readRevision, updateCritiqueItem } from "../../shared/room/document";
import type { ReviseResponse } from "../../shared/api/loop";
import { REVISION_CANCEL_TOPIC } from "../loop/revisions";
import { gatedProvider, instantProvider, readyForRevision, startInstance, until, type Instance } from "./testing/instances";

/**
 * One revision per task across processes: two server instances in this test process, each with its own database
 * pool, rooms registry, Redis relay and bus, on one PostgreSQL database and one Redis. Real PostgreSQL only (the
 * locks and leases are what is tested).
 */
describe("revisions across processes [postgres]", () => {
  const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let annotator: Person;
  let ids: { projectId: string; videoId: string };
  const instances: Instance[] = [];

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    annotator = await person(database.db, "annotator", "Ann Notator");
    ids = await seedProject(database.db);
  });

  afterAll(async () => {
    for (const i of instances) await i.close();
    await database?.dispose();
  });

  const task = () => seedTask(database.db, { ...ids, aspect: "camera", annotatorId: annotator.id, specVersion: "1", stage: "critiquing" });
  const start = async (o: Omit<Parameters<typeof startInstance>[0], "databaseUrl" | "redisUrl">) => {
    const i = await startInstance({ databaseUrl: database.url!, redisUrl, ...o });
    instances.push(i);
    return i;
  };
  const revise = async (i: Instance, taskId: string) => {
    const res = await i.call(annotator.cookie, "POST", `/api/tasks/${taskId}/revise`);
    expect(res.status).toBe(202);
    return (await res.json()) as ReviseResponse;
  };
  const roundRows = (taskId: string) =>
    database.db.select({ n: rounds.n, status: rounds.status, post: rounds.postCaption }).from(rounds).where(eq(rounds.taskId, taskId)).orderBy(asc(rounds.n));
  const stageOf = async (taskId: string) => (await database.db.select({ stage: tasks.stage }).from(tasks).where(eq(tasks.id, taskId)))[0]?.stage;
  const room = <T>(i: Instance, taskId: string, read: (doc: Y.Doc) => T) => i.services.rooms.withDoc(taskRoom(taskId), read);

  it("revise pressed at once through two processes starts one round, which both rooms show", async () => {
    const gateA = gatedProvider(["The camera ", "pans right across the street."]);
    const gateB = gatedProvider(["The camera ", "pans right across the street."]);
    const a = await start({ provider: gateA.provider });
    const b = await start({ provider: gateB.provider });
    expect(a.services.cluster.processId).not.toBe(b.services.cluster.processId);
    const taskId = await task();
    await readyForRevision(a.services, taskId, annotator.id);
    await a.services.rooms.flush();

    const [first, second] = await Promise.all([revise(a, taskId), revise(b, taskId)]);
    expect(first.roundId).toBe(second.roundId);
    expect([first.joined, second.joined].sort()).toEqual([false, true]);
    expect(await roundRows(taskId)).toHaveLength(1);
    // Exactly one process's model was asked.
    expect(gateA.state.started + gateB.state.started).toBe(1);

    gateA.open();
    gateB.open();
    // The round is stored done, then the stage moves (both before the next step of this task may start).
    await until("the stage to move on", async () => ((await stageOf(taskId)) === "refining" ? true : null));
    expect(await roundRows(taskId)).toEqual([{ n: 1, status: "done", post: "The camera pans right across the street." }]);
    for (const i of [a, b]) {
      await until("the final text in each process's room", async () =>
        (await room(i, taskId, (doc) => readPostText(doc))) === "The camera pans right across the street." ? true : null,
      );
    }
    expect(await database.db.select().from(revisionLeases).where(eq(revisionLeases.taskId, taskId))).toEqual([]);
  });

  it("two presses at once join even when the model answers at once: the second press, waiting on the lock, goes first", async () => {
    const a = await start({ provider: instantProvider("The camera pans right.") });
    const b = await start({ provider: instantProvider("The camera pans right.") });
    const taskId = await task();
    await readyForRevision(a.services, taskId, annotator.id);
    await a.services.rooms.flush();
    const [first, second] = await Promise.all([revise(a, taskId), revise(b, taskId)]);
    expect(first.roundId).toBe(second.roundId);
    await until("the stage to move on", async () => ((await stageOf(taskId)) === "refining" ? true : null));
    expect((await roundRows(taskId)).map((r) => r.status)).toEqual(["done"]);
  });

  it("a request on a changed critique through one process cancels the round streaming on another", async () => {
    const hanging = gatedProvider(["Half a cap"]);
    // Leases renewed too rarely to matter here: only the cancel on the bus can stop A's run in time.
    const revisionLease = { renewMs: 60_000, ttlMs: 120_000 };
    const a = await start({ provider: hanging.provider, revisionLease });
    const b = await start({ provider: instantProvider("The camera pans right, slowly."), revisionLease });
    const taskId = await task();
    const itemId = await readyForRevision(a.services, taskId, annotator.id);
    await a.services.rooms.flush();

    const cancels: unknown[] = [];
    b.services.cluster.bus.subscribe(REVISION_CANCEL_TOPIC, (p) => cancels.push(p));
    const first = await revise(a, taskId);
    await until("the first chunk in B's room", async () => ((await room(b, taskId, (doc) => readPostText(doc))) === "Half a cap" ? true : null));

    // The critique changes (through B), and B is asked for the revision.
    await b.services.rooms.withDoc(taskRoom(taskId), (doc) => updateCritiqueItem(doc, itemId, { fix: 'write "pans right slowly"' }));
    const second = await revise(b, taskId);
    expect(second).toMatchObject({ n: 2, joined: false });

    // A's run stops: the cancel reached it through Redis, and its model call was aborted.
    const stoppedAt = Date.now();
    expect((await a.services.loop.revisions.settled(first.roundId))?.status).toBe("cancelled");
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    expect(hanging.state.aborted).toBe(1);
    expect(cancels).toContainEqual({ taskId, roundId: first.roundId, why: "superseded" });
    await until("the stage to move on", async () => ((await stageOf(taskId)) === "refining" ? true : null));
    expect((await roundRows(taskId)).map((r) => [r.n, r.status])).toEqual([
      [1, "cancelled"],
      [2, "done"],
    ]);
    for (const i of [a, b]) {
      await until("round 2's text in each room", async () =>
        (await room(i, taskId, (doc) => readPostText(doc))) === "The camera pans right, slowly." ? true : null,
      );
    }
    expect(await room(a, taskId, (doc) => readRevision(doc))).toMatchObject({ status: "idle", n: 2, roundId: second.roundId });
  });

  it("leaving the revision loop through one process stops the round running on another", async () => {
    const hanging = gatedProvider(["Never fin"]);
    const a = await start({ provider: hanging.provider });
    const b = await start({ provider: hanging.provider });
    const taskId = await task();
    await readyForRevision(a.services, taskId, annotator.id);
    await a.services.rooms.flush();
    const first = await revise(a, taskId);
    expect(b.services.loop.revisions.cancel(taskId)).toBe(false);
    expect((await a.services.loop.revisions.settled(first.roundId))?.status).toBe("cancelled");
    expect((await roundRows(taskId)).map((r) => r.status)).toEqual(["cancelled"]);
  });
});
