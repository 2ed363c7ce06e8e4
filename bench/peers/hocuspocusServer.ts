/**
 * Hocuspocus as the benchmark's third peer: its stock server, no extensions (nothing stored), bound to 127.0.0.1 on
 * a free port. Bundled to dist/bench/ and run with plain node like the others; prints one JSON line {"port","pid"}.
 */
import { Server } from "@hocuspocus/server";

const server = new Server({ port: 0, address: "127.0.0.1", quiet: true, stopOnSignals: true });
await server.listen();
process.stdout.write(`${JSON.stringify({ port: server.address.port, pid: process.pid })}\n`);
