import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { loadConfig } from "./config";
import { CLIENT_DIST, exitOnSignals, startServer } from "./server";
import { MIGRATIONS_DIR } from "./db";
import { buildTemplate, templateFile } from "./db/pgliteTemplate";

/**
 * `npm start`: build what is missing (the client; the embedded database's template cluster), migrate, seed the
 * demo on an empty database, serve; SIGTERM/SIGINT shut it down gracefully (server.ts). The "[start]" lines are for
 * the person at the terminal and stay plain text; everything the server logs once it runs is structured (pino).
 */
async function main() {
  const config = loadConfig();
  if (!fs.existsSync(path.join(CLIENT_DIST, "index.html"))) {
    console.log("[start] building the client (first run)…");
    execFileSync(process.execPath, [path.resolve("node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"], {
      stdio: "inherit",
    });
  }
  if (!config.databaseUrl && !fs.existsSync(templateFile(MIGRATIONS_DIR))) {
    console.log("[start] building the embedded database's template (first run, or the schema changed)…");
    await buildTemplate(MIGRATIONS_DIR);
  }
  const server = await startServer(config);
  exitOnSignals(server);
  console.log(`[start] CHAI Studio on ${server.url} (database: ${server.database.kind})`);
  server.logger.info({ component: "start", url: server.url, database: server.database.kind }, "listening");
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
