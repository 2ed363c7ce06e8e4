/**
 * Test-only: server "processes" sharing one PostgreSQL database and one Redis inside a test process, each with
 * its own connection pool, rooms registry, relay, cluster membership and HTTP server (so real WebSockets join its
 * rooms), and the model provider the test gives it. Never imported by production code.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { serve } from "@hono/node-server";
import { eq } from "drizzle-orm";
import * as Y from "yjs";
import { createApp, createServices } from "../../app";
import { createCollabServer } from "../../collab";
import type { AppDeps } from "../../context";
import { openDatabase, type Database, type Db } from "../../db";
import { tasks } from "../../db/schema";
import type { ModelProvider, StreamEvent } from "../../pipeline/providers";
import type { RevisionSharing } from "../../loop/revisions";
import { collabAccessFor } from "../../resources/tasks/policy";
import { testConfig } from "../../testing/testConfig";
import type { CollabLimits } from "../../../shared/collab/limits";
import { taskRoom } from "../../../shared/collab/protocol";
import { putCritiqueItem, setDraftText } from "../../../shared/room/document";

export type Instance = {
  url: string;
  services: AppDeps;
  app: ReturnType<typeof createApp>;
  database: Database;
  call(cookie: string, method: string, path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
};

export async function startInstance(o: {
  databaseUrl: string;
  redisUrl: string;
  provider?: ModelProvider;
  limits?: Partial<CollabLimits>;
  revisionLease?: Partial<RevisionSharing["lease"]>;
}): Promise<Instance> {
  const config = testConfig({ port: 0, host: "127.0.0.1", databaseUrl: o.databaseUrl, redisUrl: o.redisUrl });
  const database = await openDatabase({ kind: "postgres", url: o.databaseUrl, max: 8 });
  const collab = createCollabServer(config, database, {
    access: (taskId) => collabAccessFor(database.db, taskId),
    unloadDelayMs: 50,
    limits: o.limits,
    log: () => {},
  });
  const provider = o.provider;
  const services = createServices(
    { config, database, rooms: collab.rooms },
    { loop: provider ? { providerFor: () => provider } : {}, revisionLease: o.revisionLease },
  );
  const app = createApp(services);
  const httpServer = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  collab.attach(httpServer);
  await services.cluster.ready;
  await services.coaching.ready;
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  return {
    url,
    services,
    app,
    database,
    call: async (cookie, method, path, body) =>
      app.request(path, {
        method,
        headers: { cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    async close() {
      await collab.close(2_000);
      httpServer.closeAllConnections();
      await new Promise<void>((r) => httpServer.close(() => r()));
      await database.close();
    },
  };
}

/**
 * A model that streams its first chunk, then waits until the test opens its gate (or the run is cancelled), then
 * streams the rest. `aborted` counts runs that were cancelled while waiting.
 */
export function gatedProvider(chunks: readonly [string, ...string[]]) {
  let open: () => void = () => {};
  const gate = new Promise<void>((r) => (open = r));
  const state = { started: 0, aborted: 0 };
  const provider: ModelProvider = {
    name: "gated",
    model: "gate-1",
    async *generate(_req, opts): AsyncIterable<StreamEvent> {
      state.started++;
      const [first, ...rest] = chunks;
      yield { type: "text", text: first };
      const signal = opts?.signal;
      const aborted = new Promise<"aborted">((r) => {
        if (signal?.aborted) r("aborted");
        signal?.addEventListener("abort", () => r("aborted"), { once: true });
      });
      if ((await Promise.race([gate, aborted])) === "aborted") {
        state.aborted++;
        return;
      }
      for (const text of rest) yield { type: "text", text };
    },
  };
  return { provider, open: () => open(), state };
}

/** What the revision holder's model streams before it hangs (testing/revisionHolder.ts). */
export const HELD_CHUNK = "Half a caption ";

/** A model that answers at once. */
export function instantProvider(text: string): ModelProvider {
  return {
    name: "instant",
    model: "instant-1",
    async *generate(): AsyncIterable<StreamEvent> {
      yield { type: "text", text };
    },
  };
}

/**
 * Puts a task where a revision may be requested: critiquing, scored 2, a draft and one critique item in its room
 * (written through `db`'s instance's rooms, so it is stored like any edit). Returns the item's id.
 */
export async function readyForRevision(services: AppDeps, taskId: string, annotatorId: string, fix = 'write "pans right"'): Promise<string> {
  await setScore(services.database.db, taskId, 2);
  const id = randomUUID();
  await services.rooms.withDoc(taskRoom(taskId), (doc: Y.Doc) => {
    setDraftText(doc, "The camera pans left across the street.");
    putCritiqueItem(doc, {
      id,
      errorType: "wrong_term",
      primitiveId: null,
      what: '"pans left" is the wrong direction.',
      fix,
      anchor: null,
      timeStart: 1,
      timeEnd: 2,
      createdBy: annotatorId,
      createdAt: new Date().toISOString(),
    });
  });
  return id;
}

async function setScore(db: Db, taskId: string, score: number): Promise<void> {
  await db.update(tasks).set({ score, stage: "critiquing" }).where(eq(tasks.id, taskId));
}

/** Polls until `read` returns something other than null/undefined (the thing waited for), or fails naming it. */
export async function until<T>(what: string, read: () => Promise<T | null | undefined> | T | null | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
