/**
 * A server in its own process, for the crash test and the benchmark: `node --import tsx serverProcess.ts`
 * (node directly, not the tsx CLI, so the pid we kill -9 or measure is the server itself).
 * Env: DATABASE_URL (required), PORT (0 = any), REDIS_URL (optional), COLLAB_OPTIONS (JSON CollabOptions).
 * Prints one JSON line {"url","port","pid"} on stdout when listening.
 */
import { loadConfig } from "../config";
import { exitOnSignals, startServer } from "../server";
import type { CollabOptions } from "../collab/index";

async function main() {
  if (!process.env.DATABASE_URL) throw new Error("DATABASE_URL is required");
  const config = loadConfig({
    DATABASE_URL: process.env.DATABASE_URL,
    PORT: process.env.PORT ?? "0",
    HOST: "127.0.0.1",
    REDIS_URL: process.env.REDIS_URL ?? "",
    DATA_DIR: process.env.DATA_DIR ?? "",
    DEMO: "0",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
    LOG_FORMAT: process.env.LOG_FORMAT ?? "",
    METRICS_TOKEN: process.env.METRICS_TOKEN ?? "",
    SHUTDOWN_DRAIN_DELAY_MS: process.env.SHUTDOWN_DRAIN_DELAY_MS ?? "",
    SHUTDOWN_TIMEOUT_MS: process.env.SHUTDOWN_TIMEOUT_MS ?? "",
  });
  const collab = process.env.COLLAB_OPTIONS ? (JSON.parse(process.env.COLLAB_OPTIONS) as CollabOptions) : undefined;
  const server = await startServer(config, { collab });
  process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port, pid: process.pid })}\n`);
  if (process.env.COLLAB_TRACE === "1") {
    // Diagnostics for benchmark runs: event-loop delay and write backlog every 2 s on stderr.
    const { monitorEventLoopDelay, PerformanceObserver } = await import("node:perf_hooks");
    let gcMax = 0;
    let gcTotal = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        gcMax = Math.max(gcMax, e.duration);
        gcTotal += e.duration;
      }
    }).observe({ entryTypes: ["gc"] });
    const h = monitorEventLoopDelay({ resolution: 5 });
    const mb = (n: number) => (n / 1048576).toFixed(0);
    h.enable();
    setInterval(() => {
      const s = server.collab.stats;
      console.error(
        `[trace] loop p50 ${(h.percentile(50) / 1e6).toFixed(1)} p99 ${(h.percentile(99) / 1e6).toFixed(1)} max ${(h.max / 1e6).toFixed(1)} ms; ` +
          `pending ${server.collab.pendingWrites}; commits ${s.commits} rows ${s.committedUpdates}; ` +
          `rss ${mb(process.memoryUsage().rss)} heap ${mb(process.memoryUsage().heapUsed)}/${mb(process.memoryUsage().heapTotal)} ` +
          `external ${mb(process.memoryUsage().external)} MB; gc max ${gcMax.toFixed(1)} total ${gcTotal.toFixed(0)} ms`,
      );
      gcMax = 0;
      gcTotal = 0;
      h.reset();
    }, 2000).unref();
  }
  exitOnSignals(server);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
