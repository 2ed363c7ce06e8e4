import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { WebSocket } from "ws";
import { taskRoom } from "../../shared/collab/protocol";
import { createTestDatabase } from "../testing/db";
import { PgStorage } from "./pgStorage";
import { mergeToState } from "./storage";
import { stockProvider, typeInDraft, waitFor, type TrackedProvider } from "../testing/collabClients";
import { draftText } from "../../shared/room/document";
import { seedTask, seedUser, type SeededUser } from "../testing/collabFixtures";
import { exited, spawnServer, type ServerChild } from "../testing/spawnServer";

/**
 * kill -9 during a burst of edits. Real PostgreSQL only: the server runs as its own process and PGlite is an
 * in-process database that a second process cannot open.
 */
describe("crash safety [postgres]", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let server: ServerChild | undefined;
  const clients: TrackedProvider[] = [];

  afterAll(async () => {
    for (const c of clients) c.destroy();
    if (server) {
      server.child.kill("SIGKILL");
      await exited(server.child);
    }
    await database?.dispose();
  });

  it("after kill -9 every acknowledged update is in the database; clients reconnect and converge without duplicates", async () => {
    database = await createTestDatabase("postgres");
    const env = { DATABASE_URL: database.url!, REDIS_URL: "" };
    const annotator = await seedUser(database.db, "annotator");
    const lead = await seedUser(database.db, "lead");
    const lead2 = await seedUser(database.db, "lead");
    const taskId = await seedTask(database.db, { annotatorId: annotator.id, stage: "critiquing" });
    const room = taskRoom(taskId);
    server = await spawnServer({ ...env, PORT: "0" });
    const port = server.port;

    type Writer = { tag: string; tokens: string[]; acked: number; countAt: Map<WebSocket, number[]>; p: TrackedProvider };
    const writer = (user: SeededUser, tag: string): Writer => {
      const w: Writer = { tag, tokens: [], acked: 0, countAt: new Map(), p: undefined as unknown as TrackedProvider };
      w.p = stockProvider(server!.url, room, { cookie: user.cookie, origin: server!.url }, {
        acks: true,
        // The n-th document message on a socket carries every token typed before it was sent (on a new socket the
        // first one is sync step 2 with everything the server lacks), so SAVED(n) covers that many tokens.
        onDocumentMessage: (socket, n) => {
          const at = w.countAt.get(socket) ?? [];
          at[n] = w.tokens.length;
          w.countAt.set(socket, at);
        },
        onSaved: (socket, n) => {
          const covered = w.countAt.get(socket)?.[n];
          if (covered !== undefined) w.acked = Math.max(w.acked, covered);
        },
      });
      clients.push(w.p);
      return w;
    };
    const a = writer(lead2, "a");
    const b = writer(lead, "b");
    await waitFor(() => a.p.provider.synced && b.p.provider.synced, "synced");

    const type = (w: Writer) => {
      const token = `<${w.tag}${w.tokens.length}>`;
      w.tokens.push(token);
      typeInDraft(w.p.doc, token);
    };
    const burst = setInterval(() => {
      type(a);
      type(b);
    }, 12);

    try {
      await waitFor(() => a.acked >= 30 && b.acked >= 30, "acknowledged edits before the crash");
      server.child.kill("SIGKILL");
      await exited(server.child);
      const ackedA = a.acked;
      const ackedB = b.acked;

      // Everything acknowledged before the crash is in the database.
      const stored = await new PgStorage(database.db).load(room);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, mergeToState(stored.snapshot, stored.updates));
      const afterCrash = draftText(doc);
      for (const t of a.tokens.slice(0, ackedA)) expect(afterCrash).toContain(t);
      for (const t of b.tokens.slice(0, ackedB)) expect(afterCrash).toContain(t);

      // Keep typing while the server is down, then bring it back on the same port.
      await new Promise((r) => setTimeout(r, 300));
      server = await spawnServer({ ...env, PORT: String(port) });
      await waitFor(() => a.p.provider.wsconnected && b.p.provider.wsconnected, "reconnected", 20_000);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      clearInterval(burst);
    }

    await waitFor(
      () => a.acked === a.tokens.length && b.acked === b.tokens.length,
      "every token acknowledged after the restart",
      20_000,
    );
    await waitFor(() => draftText(a.p.doc) === draftText(b.p.doc), "convergence");
    const final = draftText(a.p.doc);
    const stored = await new PgStorage(database.db).load(room);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, mergeToState(stored.snapshot, stored.updates));
    expect(draftText(doc)).toBe(final);
    for (const t of [...a.tokens, ...b.tokens]) expect(final.split(t).length - 1).toBe(1);
  }, 90_000);
});
