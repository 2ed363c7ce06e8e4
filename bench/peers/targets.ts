/**
 * The servers `bench:collab --peers` compares, each started fresh in its own plain-node process (no TypeScript
 * loader in any of them), optionally pinned to one CPU:
 *   ours        the production build, dist/server/main.js with npm start's node flags, on the benchmark's database
 *   stock       @y/websocket-server's own bin (src/server.js): in-memory rooms, no authentication, no storage
 *   hocuspocus  @hocuspocus/server with no extensions (bench/peers/hocuspocusServer.ts, bundled to dist/bench/)
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { ACK_PARAM } from "../../shared/collab/protocol";
import { bundle, ROOT, SERVER_DIST, startNodeFlags } from "../../scripts/buildServer";
import { sleep, type Wire } from "./load";

export const PEER_KINDS = ["ours", "stock", "hocuspocus"] as const;
export type PeerKind = (typeof PEER_KINDS)[number];

/** `roomsLoaded`: ours only (its metrics): rooms still in memory, to check that idle rooms unload. */
export type RunningPeer = { kind: PeerKind; pid: number; wire: Wire; stop(): Promise<void>; roomsLoaded?: () => Promise<number> };

const METRICS_TOKEN = "bench-peers-metrics-token";

const STOCK_BIN = path.join(ROOT, "node_modules/@y/websocket-server/src/server.js");
const HOCUSPOCUS_PACKAGE = path.join(ROOT, "node_modules/@hocuspocus/server/package.json");
const HOCUSPOCUS_OUT = path.join(ROOT, "dist/bench/hocuspocusServer.js");

/** Which peers can run here: ours always; the others when their dev dependency is installed. */
export function availablePeers(): PeerKind[] {
  return PEER_KINDS.filter((k) => k === "ours" || (k === "stock" ? fs.existsSync(STOCK_BIN) : fs.existsSync(HOCUSPOCUS_PACKAGE)));
}

/** Bundles the Hocuspocus runner (the other peers need no build step of their own). */
export async function prepareHocuspocus(): Promise<void> {
  await bundle(ROOT, "bench/peers/hocuspocusServer.ts", HOCUSPOCUS_OUT);
}

type Launch = { args: string[]; env: NodeJS.ProcessEnv; cpu: number | undefined };

/** node with `args`, under `taskset -c cpu` when pinned (taskset execs node: the pid is the server's). */
function launch({ args, env, cpu }: Launch): ChildProcess {
  const node = [process.execPath, ...args];
  const [cmd, ...rest] = cpu === undefined ? node : ["taskset", "-c", String(cpu), ...node];
  return spawn(cmd!, rest, { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
}

/** Resolves with the first stdout line that `match` accepts; rejects if the process exits first. */
function firstLine<T>(child: ChildProcess, match: (line: string) => T | undefined, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      const found = match(line);
      if (found !== undefined) resolve(found);
    });
    child.once("exit", (code) => reject(new Error(`${what} exited with ${code} before it listened`)));
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const plainWire = (wsBase: string): Wire => ({
  url: (room) => `${wsBase}/${room}`,
  headers: () => ({}),
  hello: () => [],
  wrap: (_room, frame) => frame,
  unwrap: (data) => data,
  acks: false,
});

/** Hocuspocus multiplexes documents on one socket: every frame starts with the document's name; auth comes first. */
const hocuspocusWire = (wsBase: string): Wire => {
  const prefixed = (room: string, write: (e: encoding.Encoder) => void) => {
    const e = encoding.createEncoder();
    encoding.writeVarString(e, room);
    write(e);
    return encoding.toUint8Array(e);
  };
  return {
    url: () => `${wsBase}/`,
    headers: () => ({}),
    // [name, Auth (2), Token (0), token]: without an onAuthenticate hook any token is accepted.
    hello: (room) => [
      prefixed(room, (e) => {
        encoding.writeVarUint(e, 2);
        encoding.writeVarUint(e, 0);
        encoding.writeVarString(e, "bench");
      }),
    ],
    wrap: (room, frame) => prefixed(room, (e) => encoding.writeUint8Array(e, frame)),
    unwrap: (data) => {
      const d = decoding.createDecoder(data);
      decoding.readVarString(d);
      return data.subarray(d.pos);
    },
    acks: false,
  };
};

/**
 * Our server from the production build, on `databaseUrl`; `cookies` of each room's three clients (from the seed);
 * `nodeArgs` before the script (`--cpu-prof …` for --profile).
 */
export async function startOurs(
  databaseUrl: string,
  cookies: ReadonlyMap<string, readonly string[]>,
  cpu: number | undefined,
  nodeArgs: readonly string[] = [],
): Promise<RunningPeer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-peers-"));
  const child = launch({
    args: [...nodeArgs, ...startNodeFlags(), path.join(ROOT, SERVER_DIST, "main.js")],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: "",
      PORT: "0",
      HOST: "127.0.0.1",
      DEMO: "0",
      DATA_DIR: dataDir,
      LOG_LEVEL: "error",
      SHUTDOWN_DRAIN_DELAY_MS: "0",
      METRICS_TOKEN,
    },
    cpu,
  });
  const stop = stopper(child);
  const url = await firstLine(child, (line) => /CHAI Studio on (http:\/\/\S+)/.exec(line)?.[1], "our server");
  const ws = url.replace(/^http/, "ws");
  const wire: Wire = {
    url: (room, k) => `${ws}/collab/${room}${k === 0 ? `?${ACK_PARAM}=1` : ""}`,
    headers: (room, k) => ({ cookie: cookies.get(room)![k]! }),
    hello: () => [],
    wrap: (_room, frame) => frame,
    unwrap: (data) => data,
    acks: true,
  };
  const roomsLoaded = async () => {
    const res = await fetch(`${url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const text = await res.text();
    const m = /^chai_collab_rooms_loaded(?:\{[^}]*\})? (\d+)/m.exec(text);
    if (!m) throw new Error("no chai_collab_rooms_loaded in /api/metrics");
    return Number(m[1]);
  };
  return {
    kind: "ours",
    pid: child.pid!,
    wire,
    roomsLoaded,
    stop: async () => {
      await stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startStock(cpu: number | undefined, nodeArgs: readonly string[] = []): Promise<RunningPeer> {
  const port = await freePort();
  const child = launch({ args: [...nodeArgs, STOCK_BIN], env: { ...process.env, HOST: "127.0.0.1", PORT: String(port) }, cpu });
  await firstLine(child, (line) => (line.startsWith("running at") ? true : undefined), "the stock y-websocket server");
  return { kind: "stock", pid: child.pid!, wire: plainWire(`ws://127.0.0.1:${port}`), stop: stopper(child) };
}

export async function startHocuspocus(cpu: number | undefined, nodeArgs: readonly string[] = []): Promise<RunningPeer> {
  const child = launch({ args: [...nodeArgs, "--enable-source-maps", HOCUSPOCUS_OUT], env: { ...process.env, NODE_ENV: "production" }, cpu });
  const { port } = await firstLine(child, (line) => (line.startsWith("{") ? (JSON.parse(line) as { port: number }) : undefined), "Hocuspocus");
  return { kind: "hocuspocus", pid: child.pid!, wire: hocuspocusWire(`ws://127.0.0.1:${port}`), stop: stopper(child) };
}
