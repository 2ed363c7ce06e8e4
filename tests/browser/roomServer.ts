import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../../server/config";
import type * as Y from "yjs";
import type { Database } from "../../server/db";
import { CLIENT_DIST, startServer } from "../../server/server";

/**
 * The app in-process on a DATA_DIR that outlives the server, so a test can stop it and start it again on the same
 * port (the browser pages keep their URLs and reconnect) and check that nothing was lost.
 */
export type RestartableServer = {
  url: string;
  dataDir: string;
  database(): Database;
  /** Changes a room's document as the server itself does (the pipeline's post-caption, a seeded critique). */
  withDoc(room: string, change: (doc: Y.Doc) => void): Promise<void>;
  /** Stops the server, keeping DATA_DIR. */
  stop(): Promise<void>;
  /** Starts it again on the same DATA_DIR and port. */
  start(): Promise<void>;
  /** Stops it and removes DATA_DIR. */
  close(): Promise<void>;
};

export async function startRestartableServer(): Promise<RestartableServer> {
  if (!fs.existsSync(path.join(CLIENT_DIST, "index.html"))) {
    throw new Error(`The client is not built (${CLIENT_DIST} has no index.html): run \`npx vite build\` first.`);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-room-"));
  const configFor = (port: number) =>
    // Built here, never from process.env: CI's DATABASE_URL is an admin database.
    loadConfig({ DATA_DIR: dataDir, DEMO: "1", PORT: String(port), LOG_LEVEL: "silent", HOST: "127.0.0.1" });
  let server: Awaited<ReturnType<typeof startServer>> | null = await startServer(configFor(0));
  // The demo's history is written after the server listens; tests start from the settled demo.
  await server.history;
  const port = server.port;
  const url = server.url;
  const self: RestartableServer = {
    url,
    dataDir,
    database() {
      if (!server) throw new Error("the server is stopped");
      return server.database;
    },
    async withDoc(room, change) {
      if (!server) throw new Error("the server is stopped");
      await server.collab.withDoc(room, change);
    },
    async stop() {
      const s = server;
      server = null;
      await s?.close();
    },
    async start() {
      if (server) return;
      server = await startServer(configFor(port));
    },
    async close() {
      await self.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}

/** A session cookie for a demo user, for Node-side clients (the collaboration server reads the Cookie header). */
export async function sessionCookie(url: string, email: string, password = "demo"): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: url },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login as ${email} failed: ${res.status} ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0]);
  if (cookies.length === 0) throw new Error("login set no cookie");
  return cookies.join("; ");
}
