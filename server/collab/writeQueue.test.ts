import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLOSE } from "../../shared/collab/closeCodes";
import { taskRoom } from "../../shared/collab/protocol";
import { openDatabase, type Database } from "../db/index";
import { startServer, type RunningServer } from "../server";
import { addNote, notesText, stockProvider, storedDoc, waitFor, type TrackedProvider } from "../testing/collabClients";
import { seedTask, seedUser } from "../testing/collabFixtures";
import { testConfig } from "../testing/testConfig";
import { canRunThrowawayPostgres, startThrowawayPostgres, type ThrowawayPostgres } from "../testing/throwawayPostgres";
import { PgStorage } from "./pgStorage";

/**
 * The room's write queue while the database is down (a throwaway PostgreSQL of this test, never the shared one):
 * bounded, refused past the bound with a reason, nothing accepted is dropped, and the log holds counts and ids only.
 */
describe.skipIf(!canRunThrowawayPostgres())("the write queue during a database outage [postgres]", () => {
  let pg: ThrowawayPostgres;
  let database: Database;
  let server: RunningServer;
  let client: TrackedProvider | undefined;
  const logs: string[] = [];

  beforeAll(async () => {
    pg = await startThrowawayPostgres();
    database = await openDatabase({ kind: "postgres", url: pg.url, max: 4 });
    server = await startServer(testConfig({ port: 0, host: "127.0.0.1", databaseUrl: pg.url }), {
      database,
      collab: {
        limits: { maxPendingUpdatesPerRoom: 3 },
        writer: { retryMs: 20, maxRetryMs: 200 },
        log: (level, msg) => logs.push(`${level} ${msg}`),
      },
    });
  }, 120_000);

  afterAll(async () => {
    client?.destroy();
    await server?.close();
    await database?.close();
    await pg?.destroy();
  }, 120_000);

  it("past the bound the room refuses writes (storage_unavailable); the queue and the refused edit are stored once the database is back", async () => {
    const annotator = await seedUser(database.db, "annotator");
    const room = taskRoom(await seedTask(database.db, { annotatorId: annotator.id, stage: "critiquing" }));
    const c = stockProvider(server.url, room, { cookie: annotator.cookie, origin: server.url }, { acks: true });
    client = c;
    const codes: number[] = [];
    c.provider.on("connection-close", (ev) => ev && codes.push(ev.code));
    await waitFor(() => c.provider.synced, "synced");
    addNote(c.doc, annotator.id, "before");
    await server.collab.flush();

    await pg.stop();
    const secret = "SECRET-ROOM-CONTENT-4c1d";
    for (let i = 0; i < 3; i++) addNote(c.doc, annotator.id, `${secret}-${i}`);
    await waitFor(() => server.collab.pendingWrites === 3, "three updates queued");
    addNote(c.doc, annotator.id, `${secret}-refused`);
    await waitFor(() => c.refusals.includes("storage_unavailable"), "refused past the bound");
    await waitFor(() => codes.includes(CLOSE.ROOM_UNAVAILABLE), "closed as transient");
    expect(server.collab.pendingWrites).toBe(3);
    await waitFor(() => logs.filter((l) => l.includes("append failed")).length >= 2, "failed appends logged");

    await pg.start();
    await server.collab.flush();
    // The stock client reconnects by itself and resends what the room lacks: the refused edit is taken now.
    await waitFor(async () => notesText(await storedDoc(new PgStorage(database.db), room)).includes(`${secret}-refused`), "all stored", 30_000);
    const stored = notesText(await storedDoc(new PgStorage(database.db), room));
    for (const m of ["before", `${secret}-0`, `${secret}-1`, `${secret}-2`]) expect(stored).toContain(m);

    const failures = logs.filter((l) => l.includes("append failed"));
    for (const line of failures) {
      expect(line.length).toBeLessThan(800);
      expect(line).toMatch(/\d+ updates \(\d+ bytes\) of 1 rooms \(task:/);
      expect(line).not.toContain(secret);
      expect(line).not.toContain(Buffer.from(secret).toString("hex"));
      expect(line).not.toMatch(/[0-9a-f]{64}/);
    }
    expect(logs.join("\n")).not.toContain(secret);
  }, 90_000);
});
