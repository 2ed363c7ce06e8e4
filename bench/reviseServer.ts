/**
 * The server process of `npm run bench:revise`: the real product configured from the environment (MODEL_PROVIDER,
 * OPENAI_BASE_URL, DATABASE_URL or DATA_DIR…), in its own process so its CPU is its own. Prints one JSON line
 * {"url","port","pid"} on stdout when listening; SIGTERM closes it.
 */
import { loadConfig } from "../server/config";
import { startServer } from "../server/server";

const server = await startServer(loadConfig());
process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port, pid: process.pid })}\n`);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
