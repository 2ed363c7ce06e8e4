import fs from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { createApp, createServices } from "./app";
import type { Config } from "./config";
import { openDatabase, type Database } from "./db";
import type { LockHolder } from "./db/dataDirLock";
import { createCollabServer, type CollabOptions, type RoomRegistry } from "./collab";
import { seedDemoHistoryIfPending, seedOnStart } from "./seed/onStart";
import { collabAccess } from "./resources/tasks/policy";

export const CLIENT_DIST = path.resolve(import.meta.dirname, "../dist/client");

export type RunningServer = {
  url: string;
  port: number;
  database: Database;
  httpServer: Server;
  /** The collaboration rooms (server-side writes: withDoc; after stage/assignment changes: revalidate). */
  collab: RoomRegistry;
  /** Settles once the demo's history, when it was pending, is written (it is written after the server listens). */
  history: Promise<void>;
  close(): Promise<void>;
};

/**
 * Opens the database for a configuration: PGlite under DATA_DIR unless DATABASE_URL is set. `holder` is who this
 * process is, shown to another process that finds the embedded folder locked.
 */
export function openConfiguredDatabase(config: Config, holder: LockHolder = { role: "server" }): Promise<Database> {
  return config.databaseUrl
    ? openDatabase({ kind: "postgres", url: config.databaseUrl })
    : openDatabase({ kind: "pglite", dataDir: path.join(config.dataDir, "pglite"), holder });
}

/**
 * Starts the whole product on one port: the API, the built client and the WebSocket upgrade. Used by `npm start`
 * and by tests that need a real server (browser, crash and benchmark runs).
 */
export async function startServer(config: Config, opts: { database?: Database; collab?: CollabOptions } = {}): Promise<RunningServer> {
  const database = opts.database ?? (await openConfiguredDatabase(config));
  // The collaboration server asks the task policy who may enter a room and with which abilities.
  const collab = createCollabServer(config, database, { ...opts.collab, access: (user, taskId) => collabAccess(database.db, user, taskId) });
  // After the rooms exist (the demo work writes into them), before listening.
  await seedOnStart(config, database, collab.rooms).catch(async (err: unknown) => {
    await collab.close(); // its timers would otherwise keep a failed start-up alive
    throw err;
  });
  // The composition root: every service of this process, built once and handed to the routes.
  const app = createApp(createServices({ config, database, rooms: collab.rooms }));

  // The built client; any non-API path falls back to index.html so client-side routes survive a reload.
  if (fs.existsSync(CLIENT_DIST)) {
    app.use("/*", serveStatic({ root: path.relative(process.cwd(), CLIENT_DIST) }));
    app.get("*", (c) => c.html(fs.readFileSync(path.join(CLIENT_DIST, "index.html"), "utf8")));
  }

  const httpServer = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s as Server));
  });
  collab.attach(httpServer);
  const port = (httpServer.address() as AddressInfo).port;
  const host = config.host === "0.0.0.0" ? "127.0.0.1" : config.host;
  // A refused CLI run or second server names the address to find (and stop) this one at.
  database.dataDirLock?.update({ url: `http://${host}:${port}` });
  // The demo's weeks of history are written while the server already answers (a few seconds on the embedded one).
  const history = seedDemoHistoryIfPending(config, database);

  return {
    url: `http://${host}:${port}`,
    port,
    database,
    httpServer,
    collab: collab.rooms,
    history,
    async close() {
      await history;
      await collab.close();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeAllConnections?.();
      if (!opts.database) await database.close();
    },
  };
}
