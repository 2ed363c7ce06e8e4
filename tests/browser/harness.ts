import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { loadConfig, type Config } from "../../server/config";
import { CLIENT_DIST, startServer } from "../../server/server";

export type AppServer = { url: string; dataDir: string; close(): Promise<void> };

/**
 * Set by `npm run test:loop-balanced` (tests/scaleout/loopBalanced.ts): the address of servers already running
 * (three processes behind HAProxy, configured as the test's `config` asks) that a test talks to instead of its own.
 */
export const BASE_URL_ENV = "CHAI_BROWSER_BASE_URL";

/**
 * The real product in-process for an end-to-end test: a throwaway DATA_DIR, embedded PGlite, the demo seeded, on
 * a free port. The client must already be built (`npm run test:browser` runs `vite build` first). With
 * CHAI_BROWSER_BASE_URL set, nothing is started: the test runs against that address.
 */
export async function startAppServer(opts: { config?: Partial<Config> } = {}): Promise<AppServer> {
  const external = process.env[BASE_URL_ENV];
  if (external) return { url: external.replace(/\/+$/, ""), dataDir: "", close: async () => {} };
  if (!fs.existsSync(path.join(CLIENT_DIST, "index.html"))) {
    throw new Error(`The client is not built (${CLIENT_DIST} has no index.html): run \`npx vite build\` first.`);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-browser-"));
  // The environment is built here, never read from process.env: CI's DATABASE_URL is an admin database.
  const config: Config = {
    ...loadConfig({ DATA_DIR: dataDir, DEMO: "1", PORT: "0", LOG_LEVEL: "silent", HOST: "127.0.0.1" }),
    ...opts.config,
  };
  const server = await startServer(config);
  // The demo's history is written after the server listens; tests start from the settled demo.
  await server.history;
  return {
    url: server.url,
    dataDir,
    async close() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Signs a browser context in through the API, so the session cookie lands in that context's cookie jar. The
 * Origin header is the app's own, as a browser would send it.
 */
export async function loginAs(context: BrowserContext, url: string, email: string, password = "demo"): Promise<void> {
  const res = await context.request.post(`${url}/api/auth/login`, {
    data: { email, password },
    headers: { Origin: url },
  });
  if (!res.ok()) throw new Error(`login as ${email} failed: ${res.status()} ${await res.text()}`);
}
