import * as encoding from "lib0/encoding";
import postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { CLOSE } from "../../shared/collab/closeCodes";
import { taskRoom } from "../../shared/collab/protocol";
import { critiqueMap } from "../../shared/room/layout";
import { docUpdates, tasks } from "../db/schema";
import { startServer, type RunningServer } from "../server";
import { describeEachDb } from "../testing/db";
import { testConfig } from "../testing/testConfig";
import { taskAccess } from "../resources/tasks/policy";
import { PgStorage } from "./pgStorage";
import { addNote, closeCode, notesText, rawConnect, stockProvider, storedDoc, waitFor, type TrackedProvider } from "../testing/collabClients";
import { seedTask, seedUser, type SeededUser } from "../testing/collabFixtures";

/** The critique notes a room's log (snapshot + tail) holds, read straight from the database. */
async function storedText(server: RunningServer, room: string): Promise<string> {
  const doc = await storedDoc(new PgStorage(server.database.db), room);
  const text = notesText(doc);
  doc.destroy();
  return text;
}

describeEachDb("collaboration server", (db, kind) => {
  let server: RunningServer;
  let annotator: SeededUser;
  let annotator2: SeededUser;
  let reviewer: SeededUser;
  let outsider: SeededUser;
  let taskId: string;
  let room: string;
  const providers: TrackedProvider[] = [];
  const origin = () => server.url;

  beforeAll(async () => {
    server = await startServer(testConfig({ port: 0, host: "127.0.0.1" }), {
      database: db(),
      collab: { unloadDelayMs: 50, compaction: { maxTailUpdates: 40, maxTailBytes: 1 << 20 } },
    });
    annotator = await seedUser(db().db, "annotator");
    annotator2 = await seedUser(db().db, "lead");
    reviewer = await seedUser(db().db, "reviewer");
    outsider = await seedUser(db().db, "annotator");
    taskId = await seedTask(db().db, { annotatorId: annotator.id, reviewerId: reviewer.id, stage: "critiquing" });
    room = taskRoom(taskId);
  });

  afterAll(async () => {
    for (const p of providers) p.destroy();
    await server.close();
  });

  function provider(user: SeededUser, opts: Parameters<typeof stockProvider>[3] = {}) {
    const p = stockProvider(server.url, room, { cookie: user.cookie, origin: origin() }, opts);
    providers.push(p);
    return p;
  }

  it("two stock y-websocket clients converge, and what they typed is in the database", async () => {
    const a = provider(annotator);
    const b = provider(annotator2);
    await waitFor(() => a.provider.synced && b.provider.synced, "both synced");
    addNote(a.doc, annotator.id, "hello");
    addNote(b.doc, annotator2.id, "world");
    await waitFor(() => notesText(a.doc) === notesText(b.doc) && /hello/.test(notesText(a.doc)) && /world/.test(notesText(a.doc)), "convergence");
    await server.collab.flush();
    expect(await storedText(server, room)).toBe(notesText(a.doc));
  });

  it("fans an edit out before it is committed and acknowledges it with SAVED only after", async () => {
    const a = provider(annotator, { acks: true });
    const b = provider(annotator2);
    await waitFor(() => a.provider.synced && b.provider.synced, "synced");
    const savedSoFar = () => Math.max(0, ...a.savedBySocket.values());
    await server.collab.flush();
    await waitFor(() => savedSoFar() > 0, "initial sync acknowledged");
    const before = savedSoFar();
    const url = (db() as { url?: string }).url;
    if (kind === "postgres" && url) {
      // Hold the log table locked: the edit must still reach the other client, but must not be acknowledged.
      const locker = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await locker.begin(async (sql) => {
          await sql`lock table doc_updates in exclusive mode`;
          addNote(a.doc, annotator.id, "ACKME");
          await waitFor(() => notesText(b.doc).includes("ACKME"), "fan-out while the log is blocked");
          await new Promise((r) => setTimeout(r, 300));
          expect(savedSoFar()).toBe(before);
        });
      } finally {
        await locker.end();
      }
    } else {
      addNote(a.doc, annotator.id, "ACKME");
    }
    await waitFor(() => savedSoFar() > before, "SAVED after the commit");
    expect(await storedText(server, room)).toContain("ACKME");
  });

  it("refuses the upgrade without a session (401), from a user not on the task (403), for an unknown room (404)", async () => {
    const url = `${server.url.replace("http", "ws")}/collab/${room}`;
    const none = await rawConnect(url, { origin: origin() });
    expect("status" in none && none.status).toBe(401);
    if ("status" in none) expect(JSON.parse(none.body).error.code).toBe("unauthorized");
    const bad = await rawConnect(url, { cookie: "chai_session=forged", origin: origin() });
    expect("status" in bad && bad.status).toBe(401);
    const stranger = await rawConnect(url, { cookie: outsider.cookie, origin: origin() });
    expect("status" in stranger && stranger.status).toBe(403);
    const evil = await rawConnect(url, { cookie: annotator.cookie, origin: "https://evil.example" });
    expect("status" in evil && evil.status).toBe(403);
    const nowhere = await rawConnect(`${server.url.replace("http", "ws")}/collab/nope`, { cookie: annotator.cookie });
    expect("status" in nowhere && nowhere.status).toBe(404);
  });

  it("a join refused after the session is verified (no access, or a room of a task that does not exist) leaves no room loaded", async () => {
    const closed = taskRoom(await seedTask(db().db, { annotatorId: annotator.id, stage: "critiquing" }));
    const missing = taskRoom("0b6d1c9e-2f4a-4c3b-9e8d-7a6f5e4d3c2b");
    for (const target of [closed, missing]) {
      const refused = await rawConnect(`${server.url.replace("http", "ws")}/collab/${target}`, { cookie: outsider.cookie, origin: origin() });
      expect("status" in refused && refused.status).toBe(403);
    }
    // The room load starts alongside the access check; a refusal gives it back, so it unloads (delay 50 ms here).
    await waitFor(() => !server.collab.isLoaded(closed) && !server.collab.isLoaded(missing), "no room held by a refused join");
    // And the room still opens for the person it belongs to.
    const a = stockProvider(server.url, closed, { cookie: annotator.cookie, origin: origin() });
    providers.push(a);
    await waitFor(() => a.provider.synced, "synced");
  });

  it("a read-only connection's edit is refused: never applied, broadcast or stored; presence still flows", async () => {
    // The reviewer may enter during critiquing but not write.
    const a = provider(annotator);
    const r = provider(reviewer, { acks: true });
    await waitFor(() => a.provider.synced && r.provider.synced, "synced");
    addNote(r.doc, reviewer.id, "REVIEWER-WAS-HERE");
    await waitFor(() => r.refused > 0, "refusal");
    expect(r.refusals).toEqual(["read_only"]);
    // The reviewer's copy is brought back in line: the refused item is gone there too, and the connection stays.
    await waitFor(() => !notesText(r.doc).includes("REVIEWER"), "refused item reverted at the sender");
    expect(r.provider.wsconnected).toBe(true);
    r.provider.awareness.setLocalStateField("playhead", { time: 3, playing: false });
    await waitFor(() => a.provider.awareness.getStates().get(r.doc.clientID)?.playhead !== undefined, "reviewer presence");
    // Presence is stamped by the server: the reviewer is who the cookie says, whatever the client claims.
    r.provider.awareness.setLocalStateField("user", { id: annotator.id, name: "impostor", role: "admin" });
    await waitFor(() => a.provider.awareness.getStates().get(r.doc.clientID)?.playhead !== undefined, "presence");
    await waitFor(() => {
      const u = a.provider.awareness.getStates().get(r.doc.clientID)?.user as { id?: string } | undefined;
      return u?.id === reviewer.id;
    }, "stamped identity");
    addNote(a.doc, annotator.id, "after");
    await server.collab.flush();
    await waitFor(() => notesText(r.doc).includes("after"), "annotator edit reaches reviewer");
    expect(notesText(a.doc)).not.toContain("REVIEWER");
    expect(await storedText(server, room)).not.toContain("REVIEWER");
    const user = a.provider.awareness.getStates().get(r.doc.clientID)?.user as Record<string, unknown>;
    expect(user).toMatchObject({ id: reviewer.id, name: reviewer.name, role: "reviewer", relation: "reviewer" });
  });

  it("an oversized frame and a malformed frame close only their own connection", async () => {
    const a = provider(annotator);
    const b = provider(annotator2);
    await waitFor(() => a.provider.synced && b.provider.synced, "synced");
    const url = `${server.url.replace("http", "ws")}/collab/${room}`;
    const big = await rawConnect(url, { cookie: annotator.cookie, origin: origin() });
    if (!("ws" in big)) throw new Error("expected to connect");
    const bigClosed = closeCode(big.ws);
    big.ws.send(new Uint8Array(1024 * 1024 + 1));
    expect(await bigClosed).toBe(CLOSE.MESSAGE_TOO_BIG);

    const bad = await rawConnect(url, { cookie: annotator.cookie, origin: origin() });
    if (!("ws" in bad)) throw new Error("expected to connect");
    const badClosed = closeCode(bad.ws);
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0); // sync
    encoding.writeVarUint(e, 2); // update
    encoding.writeVarUint(e, 500); // claims 500 bytes, sends 3
    encoding.writeUint8Array(e, new Uint8Array([1, 2, 3]));
    bad.ws.send(encoding.toUint8Array(e));
    expect(await badClosed).toBe(CLOSE.MALFORMED_MESSAGE);

    const garbage = await rawConnect(url, { cookie: annotator.cookie, origin: origin() });
    if (!("ws" in garbage)) throw new Error("expected to connect");
    const garbageClosed = closeCode(garbage.ws);
    garbage.ws.send(new Uint8Array([77, 1, 2]));
    expect(await garbageClosed).toBe(CLOSE.MALFORMED_MESSAGE);

    // The stock clients in the same room carried on.
    addNote(b.doc, annotator2.id, "still-alive");
    await waitFor(() => notesText(a.doc).includes("still-alive"), "room still works");
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
  });

  it("bounds connections per user (429) and closes a connection that floods messages (4529)", async () => {
    const tight = await startServer(testConfig({ port: 0, host: "127.0.0.1" }), {
      database: db(),
      collab: { limits: { maxConnectionsPerUser: 2, messagesPerSecond: 10, messageBurst: 10, maxMessageDebt: 20 } },
    });
    try {
      const url = `${tight.url.replace("http", "ws")}/collab/${room}`;
      const headers = { cookie: annotator.cookie, origin: tight.url };
      const first = await rawConnect(url, headers);
      const second = await rawConnect(url, headers);
      const third = await rawConnect(url, headers);
      expect("status" in third && third.status).toBe(429);
      if (!("ws" in first) || !("ws" in second)) throw new Error("expected to connect");
      const closed = closeCode(first.ws);
      for (let i = 0; i < 200; i++) first.ws.send(new Uint8Array([3])); // query awareness, over and over
      expect(await closed).toBe(CLOSE.RATE_LIMITED);
      expect(second.ws.readyState).toBe(second.ws.OPEN);
      second.ws.close();
    } finally {
      await tight.close();
    }
  });

  it("a server-side write reaches connected clients and the database", async () => {
    const a = provider(annotator);
    await waitFor(() => a.provider.synced, "synced");
    await server.collab.withDoc(room, (doc) => addNote(doc, "server", "FROM-SERVER"));
    expect(await storedText(server, room)).toContain("FROM-SERVER");
    await waitFor(() => notesText(a.doc).includes("FROM-SERVER"), "server write at the client");
  });

  it("a stage change closes affected connections with PERMISSIONS_CHANGED; they rejoin read-only", async () => {
    const a = provider(annotator, { acks: true });
    await waitFor(() => a.provider.synced, "synced");
    const codes: number[] = [];
    a.provider.on("connection-close", (ev) => {
      if (ev) codes.push(ev.code);
    });
    await db().db.update(tasks).set({ stage: "submitted" }).where(eq(tasks.id, taskId));
    await server.collab.revalidate(taskId);
    await waitFor(() => codes.includes(CLOSE.PERMISSIONS_CHANGED), "close with PERMISSIONS_CHANGED");
    await waitFor(() => a.provider.wsconnected && a.provider.synced, "rejoined");
    const before = a.refused;
    addNote(a.doc, annotator.id, "LATE-EDIT");
    await waitFor(() => a.refused > before, "now read-only");
    await server.collab.flush();
    expect(await storedText(server, room)).not.toContain("LATE-EDIT");
    await db().db.update(tasks).set({ stage: "critiquing" }).where(eq(tasks.id, taskId));
  });

  it("sends each connection its abilities on connect and fresh ones after a stage change that keeps it", async () => {
    const lead = provider(annotator2, { acks: true });
    const stock = provider(annotator2);
    await waitFor(() => lead.provider.synced && stock.provider.synced && lead.abilities.length === 1, "abilities on connect");
    const asLead = { id: annotator2.id, email: `${annotator2.name}@collab.test`, displayName: annotator2.name, role: annotator2.role };
    expect(lead.abilities[0]).toEqual((await taskAccess(db().db, asLead, taskId))!.abilities);
    const codes: number[] = [];
    lead.provider.on("connection-close", (ev) => {
      if (ev) codes.push(ev.code);
    });
    await db().db.update(tasks).set({ stage: "submitted" }).where(eq(tasks.id, taskId));
    await server.collab.revalidate(taskId);
    // A lead may still write: the connection stays and is told what it may do now.
    await waitFor(() => lead.abilities.length === 2, "abilities after the stage change");
    expect(lead.abilities[1]).toEqual((await taskAccess(db().db, asLead, taskId))!.abilities);
    expect(codes).toEqual([]);
    expect(lead.provider.wsconnected).toBe(true);
    // A stock client that did not ask for our frames gets none, and keeps working.
    expect(stock.abilities).toEqual([]);
    addNote(stock.doc, annotator2.id, "x");
    await waitFor(() => notesText(lead.doc) === notesText(stock.doc), "still converging");
    await db().db.update(tasks).set({ stage: "critiquing" }).where(eq(tasks.id, taskId));
  });

  it("compaction and unload keep the content identical", async () => {
    const other = await seedTask(db().db, { annotatorId: annotator.id, stage: "critiquing" });
    const otherRoom = taskRoom(other);
    const a = stockProvider(server.url, otherRoom, { cookie: annotator.cookie, origin: origin() });
    await waitFor(() => a.provider.synced, "synced");
    const ids = Array.from({ length: 120 }, (_, i) => addNote(a.doc, annotator.id, `${i % 10}`));
    a.doc.transact(() => ids.slice(0, 10).forEach((id) => critiqueMap(a.doc).delete(id)));
    const expected = notesText(a.doc);
    await waitFor(async () => (await storedText(server, otherRoom)) === expected, "all edits stored");
    await waitFor(() => server.collab.stats.compactions > 0, "a compaction");
    a.destroy();
    await waitFor(() => !server.collab.isLoaded(otherRoom), "unload after the last participant left");
    const rows = await db().db.select({ id: docUpdates.id }).from(docUpdates).where(eq(docUpdates.room, otherRoom));
    expect(rows.length).toBeLessThan(121);
    const b = stockProvider(server.url, otherRoom, { cookie: annotator.cookie, origin: origin() });
    await waitFor(() => b.provider.synced, "synced after reload");
    expect(notesText(b.doc)).toBe(expected);
    b.destroy();
  });
});
