import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { loadConfig } from "./config";
import { CLIENT_DIST, exitOnSignals, startServer } from "./server";
import { MIGRATIONS_DIR } from "./db";
import { buildTemplate, templateFile } from "./db/pgliteTemplate";
import { fromRoot, REPO_ROOT } from "./repoRoot";

/**
 * The server's entry. `npm start` runs it from the production build (dist/server/main.js, plain node; built first by
 * scripts/buildServer.ts when missing or stale), `npm run start:dev` from the sources with tsx. It builds what else is
 * missing (the client; the embedded database's template cluster), migrates, seeds the demo on an empty database,
 * serves; SIGTERM/SIGINT shut it down gracefully (server.ts). The "[start]" lines are for the person at the terminal
 * and stay plain text; everything the server logs once it runs is structured (pino).
 */
async function main() {
  const config = loadConfig();
  if (!fs.existsSync(path.join(CLIENT_DIST, "index.html"))) {
    console.log("[start] building the client (first run)…");
    execFileSync(process.execPath, [fromRoot("node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"], {
      cwd: REPO_ROOT, // vite reads vite.config.ts from there, whatever folder `npm start` ran in
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
