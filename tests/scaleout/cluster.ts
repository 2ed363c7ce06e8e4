import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import postgres from "postgres";
import { openDatabase, type Database } from "../../server/db/index";
import { adminUrl, withDatabase } from "../../server/testing/pgUrls";
import { freePort, startBalancer, type Balancer } from "./haproxy";

/**
 * N real server processes on one fresh PostgreSQL database, the machine's Redis and one shared DATA_DIR, behind
 * HAProxy configured from deploy/haproxy.cfg. Everything a check does goes through the balancer (`url`); the
 * database handle is for seeding and for counting what happened.
 */

const ENTRY = path.resolve(import.meta.dirname, "serverProcess.ts");

/** Header HAProxy adds to every answer (deploy/haproxy.cfg): the name of the process that served it. */
export const SERVED_BY = "x-served-by";

/** Server settings a developer's shell might carry, unset for the children unless a cluster asks for them. */
const INHERITED_CONFIG = [
  "VIDEO_ROOT",
  "MODEL_PROVIDER",
  "MODEL",
  "OPENAI_BASE_URL",
  "OPENAI_API_KEY",
  "GEMINI_API_KEY",
  "OPENAI_SERVER",
  "FRAME_INPUT",
  "SESSION_SECRET",
  "ALLOWED_ORIGINS",
  "METRICS_TOKEN",
  "SHUTDOWN_DRAIN_DELAY_MS",
  "SHUTDOWN_TIMEOUT_MS",
  "LOG_FORMAT",
];

/**
 * Short job knobs (server/config.ts): a silent worker loses its job after 10 s (pg-boss's minimum), checked every
 * second; idle workers look every half second.
 */
export const FAST_JOBS = { JOB_HEARTBEAT_SECONDS: "10", JOB_RETRY_LIMIT: "3", JOB_POLL_SECONDS: "0.5", JOB_SUPERVISE_SECONDS: "1" };

export type ServerProcess = { name: string; port: number; pid: number; child: ChildProcess };

export type Served = { status: number; servedBy: string; headers: Headers; body: unknown };

export type Cluster = {
  /** The balancer: the only address checks talk to. */
  url: string;
  databaseUrl: string;
  /** This test's own connection to the shared database. */
  database: Database;
  dataDir: string;
  logDir: string;
  balancer: Balancer;
  /** By name (chai1…), as HAProxy and X-Served-By call them. */
  processes: Map<string, ServerProcess>;
  names: string[];
  /** kill -9 and wait for the exit. */
  kill(name: string): Promise<void>;
  /** SIGTERM (graceful shutdown) without waiting. */
  terminate(name: string): ServerProcess;
  /** (Re)starts a process on its port and waits until HAProxy sends it traffic again. */
  start(name: string): Promise<ServerProcess>;
  /** A JSON request through the balancer, as a browser would send it (Origin: the balancer). */
  call(method: string, pathName: string, opts?: { cookie?: string; body?: unknown }): Promise<Served>;
  /** The last lines of every process's log (for a failing check's message). */
  logTail(lines?: number): string;
  close(): Promise<void>;
};

export type ClusterOptions = {
  processes: number;
  /** Database name prefix; a random suffix is added. */
  label: string;
  /** Extra environment of every process (MODEL_PROVIDER, SHUTDOWN_DRAIN_DELAY_MS…). */
  env?: Record<string, string>;
  redisUrl?: string;
};

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const admin = adminUrl();
  const dbName = `${opts.label}_${randomBytes(4).toString("hex")}`;
  const adminSql = postgres(admin, { max: 1, onnotice: () => {} });
  await adminSql.unsafe(`create database "${dbName}"`);
  const databaseUrl = withDatabase(admin, dbName);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "chai-scaleout-"));
  const dataDir = path.join(root, "data");
  const logDir = path.join(root, "logs");
  fs.mkdirSync(dataDir);
  fs.mkdirSync(logDir);
  const processes = new Map<string, ServerProcess>();
  const names = Array.from({ length: opts.processes }, (_, i) => `chai${i + 1}`);
  const ports = new Map<string, number>();
  for (const name of names) ports.set(name, await freePort());
  let database: Database | undefined;
  let balancer: Balancer | undefined;

  const envOf = (name: string): NodeJS.ProcessEnv => ({
    ...process.env,
    ...Object.fromEntries(INHERITED_CONFIG.map((k) => [k, ""])),
    DATABASE_URL: databaseUrl,
    REDIS_URL: opts.redisUrl ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    DATA_DIR: dataDir,
    PORT: String(ports.get(name)),
    LOG_LEVEL: "error",
    TRUSTED_PROXIES: "127.0.0.1",
    MODEL_PROVIDER: "rules",
    // Each process's own connections are named in pg_stat_activity (pg-boss names its pool itself).
    PGAPPNAME: `chai-scaleout-${name}`,
    ...FAST_JOBS,
    ...opts.env,
  });

  const spawnOne = (name: string): Promise<ServerProcess> => {
    const logFile = path.join(logDir, `${name}.log`);
    const err = fs.openSync(logFile, "a");
    const child = spawn(process.execPath, ["--import", "tsx", ENTRY], { env: envOf(name), stdio: ["ignore", "pipe", err] });
    fs.closeSync(err);
    return new Promise((resolve, reject) => {
      let ready = false;
      readline.createInterface({ input: child.stdout! }).on("line", (line) => {
        if (!ready) {
          try {
            const info = JSON.parse(line) as { port?: number; pid?: number; url?: string };
            if (info.url && info.pid) {
              ready = true;
              const p: ServerProcess = { name, port: ports.get(name)!, pid: info.pid, child };
              processes.set(name, p);
              resolve(p);
              return;
            }
          } catch {
            // a log line before the address
          }
        }
        fs.appendFileSync(logFile, `${line}\n`);
      });
      child.once("exit", (code, signal) => {
        if (!ready) reject(new Error(`${name} exited at start (${code ?? signal}); see ${logFile}:\n${tail(logFile, 20)}`));
      });
    });
  };

  const exited = (child: ChildProcess) =>
    child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once("exit", () => r()));

  const cluster: Cluster = {
    url: "",
    databaseUrl,
    database: undefined as unknown as Database,
    dataDir,
    logDir,
    balancer: undefined as unknown as Balancer,
    processes,
    names,
    async kill(name) {
      const p = processes.get(name);
      if (!p) throw new Error(`no process ${name}`);
      p.child.kill("SIGKILL");
      await exited(p.child);
    },
    terminate(name) {
      const p = processes.get(name);
      if (!p) throw new Error(`no process ${name}`);
      p.child.kill("SIGTERM");
      return p;
    },
    async start(name) {
      const p = await spawnOne(name);
      await balancer?.waitFor(name, "UP");
      return p;
    },
    async call(method, pathName, o = {}) {
      const res = await fetch(`${cluster.url}${pathName}`, {
        method,
        headers: {
          origin: cluster.url,
          ...(o.cookie ? { cookie: o.cookie } : {}),
          ...(o.body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: kept as text
      }
      return { status: res.status, servedBy: res.headers.get(SERVED_BY) ?? "", headers: res.headers, body };
    },
    logTail(lines = 15) {
      return names.map((n) => `--- ${n}\n${tail(path.join(logDir, `${n}.log`), lines)}`).join("\n") + `\n--- haproxy\n${tail(path.join(logDir, "haproxy.log"), lines)}`;
    },
    async close() {
      await balancer?.stop();
      // Killed rather than drained: the database goes with them, and a drain waits SHUTDOWN_DRAIN_DELAY_MS.
      await Promise.all(
        [...processes.values()].map(async (p) => {
          p.child.kill("SIGKILL");
          await exited(p.child);
        }),
      );
      await database?.close();
      await adminSql.unsafe(`drop database if exists "${dbName}" with (force)`).catch(() => undefined);
      await adminSql.end();
      // SCALEOUT_KEEP=1 keeps the processes' logs (and the shared DATA_DIR) for a look after a failure.
      if (process.env.SCALEOUT_KEEP === "1") console.error(`[scaleout] kept ${root}`);
      else fs.rmSync(root, { recursive: true, force: true });
    },
  };

  try {
    // Migrated here, before any process: three first starts at once would race to create the schema.
    database = await openDatabase({ kind: "postgres", url: databaseUrl, max: 4 });
    cluster.database = database;
    // The first process alone creates pg-boss's schema; the others then start together.
    await spawnOne(names[0]!);
    await Promise.all(names.slice(1).map(spawnOne));
    const port = await freePort();
    balancer = await startBalancer({ port, backends: names.map((name) => ({ name, port: ports.get(name)! })), dir: root, logFile: path.join(logDir, "haproxy.log") });
    cluster.balancer = balancer;
    cluster.url = balancer.url;
    for (const name of names) await balancer.waitFor(name, "UP");
  } catch (err) {
    await cluster.close().catch(() => undefined);
    throw err;
  }
  return cluster;
}

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
