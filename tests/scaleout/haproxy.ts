import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/**
 * HAProxy in front of test server processes, configured from the repository's own deploy/haproxy.cfg (so the test
 * checks the file operators copy): only the listening port, the server lines, the stats socket's path and, when
 * not root, the privilege drop are replaced.
 */

export const DEPLOY_CONFIG = path.resolve(import.meta.dirname, "../../deploy/haproxy.cfg");

const SERVERS_BEGIN = "# servers: one line per process (begin)";
const SERVERS_END = "# servers (end)";

/** The haproxy binary (PATH, or Debian's /usr/sbin), or undefined when it is not installed. */
export function haproxyBinary(): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/sbin", "/usr/local/sbin"];
  return dirs.map((d) => path.join(d, "haproxy")).find((p) => fs.existsSync(p));
}

/** In CI (CI, or CHAI_REQUIRE_HAPROXY from .ci/run) a missing HAProxy is a failure; elsewhere the checks skip. */
export function haproxyRequired(): boolean {
  return ["1", "true"].includes(process.env.CI ?? "") || process.env.CHAI_REQUIRE_HAPROXY === "1";
}

export type Backend = { name: string; port: number };

/** deploy/haproxy.cfg with this run's ports and paths. */
export function renderConfig(opts: { port: number; backends: Backend[]; statsSocket: string; template?: string }): string {
  const template = opts.template ?? fs.readFileSync(DEPLOY_CONFIG, "utf8");
  const begin = template.indexOf(SERVERS_BEGIN);
  const end = template.indexOf(SERVERS_END);
  if (begin < 0 || end < begin) throw new Error(`${DEPLOY_CONFIG} lacks the server-line markers`);
  const indent = /\n([ \t]*)[^\n]*$/.exec(template.slice(0, begin))?.[1] ?? "    ";
  const servers = opts.backends.map((b) => `${indent}server ${b.name} 127.0.0.1:${b.port}`).join("\n");
  const asRoot = process.getuid?.() === 0;
  const out = `${template.slice(0, begin)}${SERVERS_BEGIN}\n${servers}\n${indent}${template.slice(end)}`
    .replace(/^(\s*bind\s+)\S+/m, `$1127.0.0.1:${opts.port}`)
    .replace(/^(\s*stats socket\s+)\S+/m, `$1${opts.statsSocket}`)
    .split("\n")
    .filter((line) => asRoot || !/^\s*(user|group)\s/.test(line))
    .join("\n");
  if (!out.includes(`127.0.0.1:${opts.port}`)) throw new Error("deploy/haproxy.cfg has no bind line to replace");
  return out;
}

/** `haproxy -c`: throws with HAProxy's own message when the file is not valid. */
export function checkConfig(file: string): string {
  const bin = haproxyBinary();
  if (!bin) throw new Error("haproxy is not installed");
  return execFileSync(bin, ["-c", "-f", file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

export type ServerState = "UP" | "DOWN" | "MAINT" | "NOLB" | "other";

export type Balancer = {
  url: string;
  port: number;
  /** HAProxy's view of each server of the backend, by name. */
  states(): Promise<Map<string, ServerState>>;
  waitFor(server: string, state: ServerState, timeoutMs?: number): Promise<void>;
  /** Sessions each server has taken since HAProxy started. */
  sessions(): Promise<Map<string, number>>;
  stop(): Promise<void>;
};

/** One request on the admin socket; resolves with the whole answer. */
function ask(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    const c = net.connect(socket, () => c.write(`${command}\n`));
    c.on("data", (d: Buffer) => (out += d.toString("utf8")));
    c.on("end", () => resolve(out));
    c.on("error", reject);
  });
}

/** "UP 1/2" is up and failing checks (still taking traffic); "DOWN 1/2" is down and rising (taking none). */
function stateOf(status: string): ServerState {
  if (status.startsWith("UP")) return "UP";
  if (status.startsWith("DOWN")) return "DOWN";
  if (status.startsWith("MAINT")) return "MAINT";
  if (status.startsWith("NOLB")) return "NOLB";
  return "other";
}

/** Starts HAProxy in the foreground on `port`, logging to `logFile`; resolves once it listens. */
export async function startBalancer(opts: { port: number; backends: Backend[]; dir: string; logFile: string }): Promise<Balancer> {
  const bin = haproxyBinary();
  if (!bin) throw new Error("haproxy is not installed");
  const statsSocket = path.join(opts.dir, "haproxy.sock");
  const file = path.join(opts.dir, "haproxy.cfg");
  fs.writeFileSync(file, renderConfig({ port: opts.port, backends: opts.backends, statsSocket }));
  checkConfig(file);
  const log = fs.openSync(opts.logFile, "a");
  const child: ChildProcess = spawn(bin, ["-db", "-f", file], { stdio: ["ignore", log, log] });
  fs.closeSync(log);
  let exited = false;
  child.once("exit", () => (exited = true));
  const deadline = Date.now() + 10_000;
  while (!(await listening(opts.port))) {
    if (exited) throw new Error(`haproxy exited at start; see ${opts.logFile}`);
    if (Date.now() > deadline) throw new Error(`haproxy did not listen on ${opts.port}; see ${opts.logFile}`);
    await new Promise((r) => setTimeout(r, 50));
  }

  /** One column of `show stat` for each server of the backend. */
  const column = async (name: string) => {
    const csv = await ask(statsSocket, "show stat");
    const header = (csv.split("\n")[0] ?? "").replace(/^# /, "").split(",");
    const [px, sv, col] = ["pxname", "svname", name].map((k) => header.indexOf(k));
    const out = new Map<string, string>();
    for (const line of csv.split("\n").filter((l) => l && !l.startsWith("#"))) {
      const cells = line.split(",");
      if (cells[px!] !== "chai" || cells[sv!] === "BACKEND" || cells[sv!] === "FRONTEND") continue;
      out.set(cells[sv!]!, cells[col!] ?? "");
    }
    return out;
  };
  const states = async () => new Map([...(await column("status"))].map(([k, v]) => [k, stateOf(v)]));

  return {
    url: `http://127.0.0.1:${opts.port}`,
    port: opts.port,
    states,
    async waitFor(server, state, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const now = (await states()).get(server);
        if (now === state) return;
        if (Date.now() > until) throw new Error(`HAProxy never saw ${server} ${state} (last: ${now ?? "unknown"})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    sessions: async () => new Map([...(await column("stot"))].map(([k, v]) => [k, Number(v)])),
    async stop() {
      if (exited) return;
      const gone = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([gone, new Promise((r) => setTimeout(r, 3_000))]);
      if (!exited) child.kill("SIGKILL");
    },
  };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(port, "127.0.0.1");
    c.once("connect", () => {
      c.destroy();
      resolve(true);
    });
    c.once("error", () => resolve(false));
  });
}

/** A free TCP port on loopback (closed again at once: a later listener takes it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
