/**
 * One server process of the scale-out test and `bench:collab --processes`: `node --import tsx serverProcess.ts`
 * (node itself, so the pid killed with -9 is the server's). Unlike server/testing/serverProcess.ts it takes its whole
 * configuration from the environment, as `npm start` does — JOB_*, TRUSTED_PROXIES, MODEL_PROVIDER… — only HOST
 * (loopback) and DEMO (off unless set) are fixed. Prints one JSON line {"url","port","pid"} on stdout when listening;
 * SIGTERM is the graceful shutdown of server.ts.
 */
import { loadConfig } from "../../server/config";
import { exitOnSignals, startServer } from "../../server/server";

async function main() {
  if (!process.env.DATABASE_URL) throw new Error("DATABASE_URL is required: the processes share one PostgreSQL");
  const config = loadConfig({ ...process.env, HOST: "127.0.0.1", DEMO: process.env.DEMO ?? "0" });
  const server = await startServer(config);
  process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port, pid: process.pid })}\n`);
  exitOnSignals(server);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
