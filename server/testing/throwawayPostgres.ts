import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of a test's own (initdb + pg_ctl into a temporary folder, on a free port), for tests that stop
 * the database: never the shared server other tests use. Binaries come from PATH or Debian's /usr/lib/postgresql/<v>/bin;
 * as root (CI) they run as the `postgres` user, since PostgreSQL refuses to run as root.
 */
export type ThrowawayPostgres = {
  url: string;
  port: number;
  /** Stops the server (fast shutdown: open connections are cut). */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder. */
  start(): Promise<void>;
  /** Stops it if running and deletes its folder. */
  destroy(): Promise<void>;
};

/** The folder holding initdb and pg_ctl, or undefined when PostgreSQL's server binaries are not installed. */
export function postgresBinDir(): string | undefined {
  const fromPath = (process.env.PATH ?? "").split(path.delimiter).find((dir) => fs.existsSync(path.join(dir, "initdb")));
  if (fromPath) return fromPath;
  const debian = "/usr/lib/postgresql";
  if (!fs.existsSync(debian)) return undefined;
  const versions = fs.readdirSync(debian).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => path.join(debian, v, "bin")).find((dir) => fs.existsSync(path.join(dir, "initdb")));
}

/** Whether this machine can run a throwaway cluster (server binaries present; a `postgres` user when root). */
export function canRunThrowawayPostgres(): boolean {
  return postgresBinDir() !== undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error("PostgreSQL server binaries (initdb, pg_ctl) are not installed");
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "chai-pg-"));
  const dataDir = path.join(root, "data");
  const logFile = path.join(root, "server.log");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    fs.chownSync(root, Number(stdout.trim()), Number(gid.trim()));
  }
  // As root the binaries run as `postgres` through runuser; otherwise as ourselves.
  const pg = (tool: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args]) : run(path.join(bin, tool), args);
  await pg("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  const port = await freePort();
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  let running = false;
  const start = async () => {
    await pg("pg_ctl", ["-D", dataDir, "-o", options, "-l", logFile, "-w", "-t", "60", "start"]);
    running = true;
  };
  const stop = async () => {
    await pg("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "-t", "60", "stop"]);
    running = false;
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    async destroy() {
      if (running) await stop().catch(() => {});
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
