import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { taskRoom } from "../../shared/collab/protocol";
import { startServer, type RunningServer } from "../server";
import { createTestDatabase } from "../testing/db";
import { testConfig } from "../testing/testConfig";
import { PgStorage } from "./pgStorage";
import { mergeToState } from "./storage";
import { addNote, notesText, stockProvider, storedDoc, waitFor, type TrackedProvider } from "../testing/collabClients";
import { seedTask, seedUser } from "../testing/collabFixtures";

/**
 * Two server instances sharing PostgreSQL and Redis, as two processes behind a load balancer would. They run in this
 * test process but share nothing else (own registry, writer, relay connections, process id). Real PostgreSQL only:
 * two instances cannot share one in-memory PGlite as separate databases would.
 */
describe("scale-out through Redis [postgres]", () => {
  const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let second: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  const servers: RunningServer[] = [];
  const clients: TrackedProvider[] = [];

  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const s of servers) await s.close();
    await database?.dispose();
    await second?.dispose();
  });

  it("relays edits and presence both ways, persists each update once, and a late joiner catches up", async () => {
    database = await createTestDatabase("postgres");
    const annotator = await seedUser(database.db, "annotator");
    const lead = await seedUser(database.db, "lead");
    const taskId = await seedTask(database.db, { annotatorId: annotator.id, stage: "critiquing" });
    const room = taskRoom(taskId);
    for (let i = 0; i < 2; i++) {
      servers.push(
        await startServer(testConfig({ port: 0, host: "127.0.0.1", databaseUrl: database.url, redisUrl }), {
          collab: { unloadDelayMs: 50 },
        }),
      );
    }
    const [s1, s2] = servers as [RunningServer, RunningServer];
    expect(s1.collab.processId).not.toBe(s2.collab.processId);
    const a = stockProvider(s1.url, room, { cookie: annotator.cookie, origin: s1.url });
    const b = stockProvider(s2.url, room, { cookie: lead.cookie, origin: s2.url });
    clients.push(a, b);
    await waitFor(() => a.provider.synced && b.provider.synced, "synced");

    addNote(a.doc, annotator.id, "from-A");
    await waitFor(() => notesText(b.doc).includes("from-A"), "A's edit on B (process 2)");
    addNote(b.doc, lead.id, "from-B");
    await waitFor(() => notesText(a.doc).includes("from-B"), "B's edit on A (process 1)");
    a.provider.awareness.setLocalStateField("playhead", { time: 1, playing: true });
    await waitFor(() => {
      const u = b.provider.awareness.getStates().get(a.doc.clientID)?.user as { id?: string } | undefined;
      return u?.id === annotator.id;
    }, "A's stamped presence on B");

    await s1.collab.flush();
    await s2.collab.flush();
    // Two edits, two log rows: each process persisted only what its own clients sent.
    expect(s1.collab.stats.committedUpdates + s2.collab.stats.committedUpdates).toBe(2);

    // A server-side write on process 2 reaches the client on process 1.
    await s2.collab.withDoc(room, (doc) => addNote(doc, "server", "server-2"));
    await waitFor(() => notesText(a.doc).includes("server-2"), "server write relayed");

    // A third process loads the room while process 1 holds an edit it has fanned out but not yet committed (the
    // log table is locked): the newcomer gets it from the database plus its peers.
    servers.push(
      await startServer(testConfig({ port: 0, host: "127.0.0.1", databaseUrl: database.url, redisUrl }), {
        collab: { unloadDelayMs: 50 },
      }),
    );
    const s3 = servers[2]!;
    const locker = postgres(database.url!, { max: 1, onnotice: () => {} });
    try {
      await locker.begin(async (sql) => {
        await sql`lock table doc_updates in exclusive mode`;
        addNote(a.doc, annotator.id, "unsaved-on-1");
        await waitFor(() => notesText(b.doc).includes("unsaved-on-1"), "relayed before commit");
        const c = stockProvider(s3.url, room, { cookie: lead.cookie, origin: s3.url });
        clients.push(c);
        await waitFor(
          () => c.provider.synced && notesText(c.doc) === notesText(a.doc),
          "late joiner on a third process has the uncommitted edit",
        );
        expect(s3.collab.stats.loads).toBe(1);
      });
    } finally {
      await locker.end();
    }
    await s1.collab.flush();

    const stored = await new PgStorage(database.db).load(room);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, mergeToState(stored.snapshot, stored.updates));
    expect(notesText(doc)).toBe(notesText(a.doc));
  });

  it("a peer that relays an edit but does not commit it: the other process writes it before acknowledging anything typed after it", async () => {
    second = await createTestDatabase("postgres");
    const annotator = await seedUser(second.db, "annotator");
    const lead = await seedUser(second.db, "lead");
    const room = taskRoom(await seedTask(second.db, { annotatorId: annotator.id, stage: "critiquing" }));
    const config = testConfig({ port: 0, host: "127.0.0.1", databaseUrl: second.url, redisUrl });
    // Process 1 commits its first write at once and each later one 4 s after the previous: meanwhile it is, to its
    // peers, a process that relayed an edit and went silent (as one killed before its commit).
    const stalled = await startServer(config, { collab: { unloadDelayMs: 50, writer: { minIntervalMs: 4_000 } } });
    const live = await startServer(config, { collab: { unloadDelayMs: 50 } });
    servers.push(stalled, live);
    let sent = 0;
    let saved = 0;
    const a = stockProvider(stalled.url, room, { cookie: annotator.cookie, origin: stalled.url });
    const b = stockProvider(live.url, room, { cookie: lead.cookie, origin: live.url }, {
      acks: true,
      onDocumentMessage: (_socket, n) => (sent = n),
      onSaved: (_socket, n) => (saved = n),
    });
    clients.push(a, b);
    await waitFor(() => a.provider.synced && b.provider.synced, "synced");
    addNote(a.doc, annotator.id, "committed-on-1");
    await waitFor(() => stalled.collab.stats.committedUpdates === 1, "process 1's first commit");

    addNote(a.doc, annotator.id, "relayed-by-1");
    await waitFor(() => notesText(b.doc).includes("relayed-by-1"), "process 1's edit on process 2");
    addNote(b.doc, lead.id, "typed-on-2");
    const mine = sent;
    await waitFor(() => saved >= mine, "SAVED for the edit typed on process 2");
    // Acknowledged: so what it was typed on is in the log too, written by process 2 for its silent peer.
    const stored = await storedDoc(new PgStorage(second.db), room);
    expect(notesText(stored)).toContain("relayed-by-1");
    expect(notesText(stored)).toContain("typed-on-2");
    expect(live.collab.stats.committedUpdates).toBe(2);
    expect(stalled.collab.stats.committedUpdates).toBe(1);
  }, 30_000);
});
