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
import { collabAccessFor } from "./resources/tasks/policy";
import { loggerFor, type Logger } from "./observability/logger";
import { Drain } from "./observability/drain";
import { describeError } from "./collab/logSafe";
import { jobsFor, startJobs } from "./jobs";
import { EXPORT_JOB } from "./dataset/jobRunner";
import { DRAFT_BATCH_JOB } from "./loop/draftBatches";
import { jobQueueDepths, registerJobQueueDepth } from "./observability/metrics";
import { fromRoot } from "./repoRoot";

export const CLIENT_DIST = fromRoot("dist/client");

export type RunningServer = {
  url: string;
  port: number;
  database: Database;
  httpServer: Server;
  /** The collaboration rooms (server-side writes: withDoc; after stage/assignment changes: revalidate). */
  collab: RoomRegistry;
  /** Settles once the demo's history, when it was pending, is written (it is written after the server listens). */
  history: Promise<void>;
  /** The process's structured logger. */
  logger: Logger;
  /** True from the moment shutdown begins (readiness answers 503 "draining"). */
  readonly draining: boolean;
  /**
   * Adds a step to shutdown, run after requests and rooms have drained and the job workers stopped, before the
   * database closes, in the order added (Redis clients of other services). A failing step is logged; shutdown goes on.
   */
  onShutdown(name: string, step: () => Promise<void>): void;
  /**
   * Graceful shutdown (see shutdownSequence below); resolves when everything is closed. Calling it again returns the
   * same promise. `delayMs`/`timeoutMs` default to the configuration's (SHUTDOWN_DRAIN_DELAY_MS, SHUTDOWN_TIMEOUT_MS).
   */
  shutdown(opts?: { delayMs?: number; timeoutMs?: number }): Promise<void>;
  /** shutdown() without the draining delay: tests and tools that stop a server they started. */
  close(): Promise<void>;
};

export type StartOptions = { database?: Database; collab?: CollabOptions; logger?: Logger };

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
export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? loggerFor(config);
  const database = opts.database ?? (await openConfiguredDatabase(config));
  // The collaboration server asks the task policy who may enter a room and with which abilities.
  const collab = createCollabServer(config, database, {
    ...opts.collab,
    logger,
    access: (taskId) => collabAccessFor(database.db, taskId),
  });
  // After the rooms exist (the demo work writes into them), before listening.
  await seedOnStart(config, database, collab.rooms).catch(async (err: unknown) => {
    await collab.close(); // its timers would otherwise keep a failed start-up alive
    throw err;
  });
  // The composition root: every service of this process, built once and handed to the routes.
  const drain = new Drain();
  const services = createServices({ config, database, rooms: collab.rooms });
  const app = createApp(services, { logger, drain });
  // This process's job workers (server/jobs), before listening; stopped at shutdown before the database closes.
  const jobs = await startJobs(services).catch(async (err: unknown) => {
    await collab.close();
    throw err;
  });
  const unregisterJobDepth = registerJobQueueDepth(jobQueueDepths(jobsFor(services).queue, [EXPORT_JOB, DRAFT_BATCH_JOB]));

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

  const steps: { name: string; step: () => Promise<void> }[] = [
    {
      name: "jobs",
      step: async () => {
        unregisterJobDepth();
        await jobs.stop();
      },
    },
  ];
  const log = logger.child({ component: "shutdown" });
  let shuttingDown: Promise<void> | undefined;

  /**
   * Graceful shutdown, in order:
   *  1. draining: readiness answers 503 "draining", room joins are refused (503), answers carry Connection: close;
   *  2. for `delayMs`, requests are still served, so a balancer that polls readiness stops sending new ones;
   *  3. at once, in parallel: the listener closes and requests being handled finish (bounded by `timeoutMs`; then
   *     open streams are cut, the browser's EventSource reconnects elsewhere) — and every room socket is closed
   *     with 1012 while the write queue is flushed to the database (bounded by `timeoutMs`), so every update
   *     received, acknowledged or not, is stored;
   *  4. the job workers (their running jobs are handed on), the steps others added, then the database (the Redis
   *     relay closed with the rooms).
   */
  async function shutdownSequence(delayMs: number, timeoutMs: number): Promise<void> {
    const started = performance.now();
    drain.start();
    collab.drain();
    log.info({ delayMs, timeoutMs, inFlight: drain.inFlight, rooms: collab.rooms.loadedRooms().length }, "shutdown: draining");
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    const http = async () => {
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      const finished = await drain.idle(timeoutMs);
      if (!finished) log.error({ inFlight: drain.inFlight }, "shutdown: requests still running at the timeout; cutting them");
      // Answers already returned get a moment to be written; then streams and anything left are cut.
      let linger: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((r) => (linger = setTimeout(r, Math.min(1_000, timeoutMs))))]);
      clearTimeout(linger);
      httpServer.closeAllConnections();
      await closed;
    };
    await Promise.all([http(), collab.close(timeoutMs), history]);
    for (const { name, step } of steps) {
      await step().catch((err: unknown) => log.error({ step: name, err: describeError(err) }, "shutdown: a step failed"));
    }
    if (!opts.database) await database.close();
    log.info({ ms: Math.round(performance.now() - started), unwritten: collab.rooms.pendingWrites }, "shutdown: done");
  }

  const shutdown = (o: { delayMs?: number; timeoutMs?: number } = {}) => {
    shuttingDown ??= shutdownSequence(o.delayMs ?? config.shutdownDrainDelayMs, o.timeoutMs ?? config.shutdownTimeoutMs);
    return shuttingDown;
  };

  return {
    url: `http://${host}:${port}`,
    port,
    database,
    httpServer,
    collab: collab.rooms,
    history,
    logger,
    get draining() {
      return drain.draining;
    },
    onShutdown(name, step) {
      steps.push({ name, step });
    },
    shutdown,
    close: () => shutdown({ delayMs: 0 }),
  };
}

/**
 * SIGTERM and SIGINT start the graceful shutdown and exit 0 once it is done (1 if it failed); a second signal
 * exits at once (128 + the signal's number, as a shell reports it). For `npm start` and test server processes.
 */
export function exitOnSignals(server: RunningServer): void {
  let received: NodeJS.Signals | undefined;
  const log = server.logger.child({ component: "shutdown" });
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) {
      log.warn({ signal, first: received }, "shutdown: second signal, exiting now");
      process.exit(signal === "SIGINT" ? 130 : 143);
    }
    received = signal;
    log.info({ signal }, "shutdown: signal received");
    server.shutdown().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err: describeError(err) }, "shutdown: failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
