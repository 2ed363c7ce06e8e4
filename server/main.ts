import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { loadConfig } from "./config";
import { CLIENT_DIST, startServer } from "./server";

/** `npm start`: build the client when it is missing, migrate, seed the demo on an empty database, serve. */
async function main() {
  const config = loadConfig();
  if (!fs.existsSync(path.join(CLIENT_DIST, "index.html"))) {
    console.log("[start] building the client (first run)…");
    execFileSync(process.execPath, [path.resolve("node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"], {
      stdio: "inherit",
    });
  }
  const server = await startServer(config);
  console.log(`[start] CHAI Studio on ${server.url} (database: ${server.database.kind})`);

  const shutdown = async (signal: string) => {
    console.log(`[start] ${signal}: shutting down`);
    await server.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
