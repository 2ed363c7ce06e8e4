/**
 * `npm run bench:collab [-- --rooms N --seconds S] [--priority NICE]`: the collaboration server under a full team.
 *
 * Creates its own database on the real PostgreSQL (DATABASE_URL's server, else 127.0.0.1:5432) and drops it at the
 * end; runs the server in a child process (so its CPU and RSS are its own); drives N rooms × 3 raw y-websocket
 * clients (one typing 5 characters/s, all three sending cursor presence at 2 Hz) for S seconds; then prints fan-out
 * and SAVED latencies, server CPU and RSS, updates persisted per second, lost updates (acknowledged by the server but
 * missing from the database), and the cold load time of a room whose log held 20,000 updates, after compaction.
 * `--peers`: the same load against the stock y-websocket server and Hocuspocus too, interleaved (bench/peers/run.ts).
 * `--processes N`: the same load twice in one run, on one process (direct) and on N processes sharing one database
 * and Redis behind HAProxy (deploy/haproxy.cfg, round-robin): fan-out split by whether reader and typist are on
 * the same process or not (HAProxy's X-Served-By on each upgrade), SAVED latency, CPU and RSS summed over processes.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { WebSocket } from "ws";
import * as Y from "yjs";
import { ACK_PARAM, MESSAGE, SYNC, taskRoom } from "../shared/collab/protocol";
import { draftText } from "../shared/room/document";
import { draftFragment } from "../shared/room/layout";
import { openDatabase, type Database } from "../server/db";
import { docUpdates, projects, sessions, tasks, users, videos } from "../server/db/schema";
import { PgStorage } from "../server/collab/pgStorage";
import { mergeToState } from "../server/collab/storage";
import { exited, spawnServer, type ServerChild } from "../server/testing/spawnServer";
import { adminUrl, withDatabase } from "../server/testing/pgUrls";
import { SERVED_BY, startCluster, type Cluster } from "../tests/scaleout/cluster";
import { haproxyBinary } from "../tests/scaleout/haproxy";
import { peersOptions, runPeers } from "./peers/run";

const COLD_UPDATES = 20_000;
const TYPE_INTERVAL_MS = 200; // 5 characters per second
const CURSOR_INTERVAL_MS = 500; // 2 Hz
const WARMUP_MS = 5_000; // after the connection storm, before measuring: steady state only

function args(): { rooms: number; seconds: number; priority: number | undefined; processes: number } {
  const argv = process.argv.slice(2);
  const get = (name: string, dflt: number) => {
    const i = argv.indexOf(`--${name}`);
    const v = i >= 0 ? Number(argv[i + 1]) : dflt;
    if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
    return v;
  };
  const pi = argv.indexOf("--priority");
  const priority = pi >= 0 ? Number(argv[pi + 1]) : undefined;
  if (priority !== undefined && !(Number.isInteger(priority) && priority >= -20 && priority <= 19)) {
    throw new Error("--priority must be a nice value from -20 to 19");
  }
  return { rooms: Math.floor(get("rooms", 300)), seconds: get("seconds", 30), priority, processes: Math.floor(get("processes", 1)) };
}

// ---------- measurements

class Samples {
  private values: number[] = [];
  add(v: number) {
    this.values.push(v);
  }
  get count() {
    return this.values.length;
  }
  pct(p: number): number {
    if (this.values.length === 0) return NaN;
    const sorted = [...this.values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  }
}

function procStat(pid: number): { cpuTicks: number; rssKb: number; hwmKb: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cpuTicks = Number(fields[11]) + Number(fields[12]); // utime + stime
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { cpuTicks, rssKb: kb("VmRSS"), hwmKb: kb("VmHWM") };
}

// ---------- seeding

type Seeded = { rooms: { taskId: string; cookies: [string, string, string] }[]; coldRoom: string; coldCookie: string };

async function seed(database: Database, roomCount: number): Promise<Seeded> {
  const db = database.db;
  const [p] = await db.insert(projects).values({ name: "bench" }).returning({ id: projects.id });
  const [v] = await db
    .insert(videos)
    .values({ projectId: p!.id, title: "bench", storage: "data", path: "b.webm", mimeType: "video/webm", sizeBytes: 1, sha256: "bench" })
    .returning({ id: videos.id });
  // One user per connection: the per-user connection bound is then never what limits the benchmark.
  const people = Array.from({ length: roomCount * 3 + 1 }, (_, i) => ({
    email: `bench${i}@bench.test`,
    displayName: `Bench ${i}`,
    // Everyone may write the draft (the server refuses writes to fields a person may not write): the typist is a lead.
    role: "lead" as "annotator" | "lead",
    passwordHash: "x",
  }));
  people[people.length - 1]!.role = "lead";
  const ids: string[] = [];
  for (let i = 0; i < people.length; i += 1000) {
    const rows = await db.insert(users).values(people.slice(i, i + 1000)).returning({ id: users.id });
    ids.push(...rows.map((r) => r.id));
  }
  const cookies = ids.map(() => randomBytes(32).toString("base64url"));
  const sessionRows = ids.map((userId, i) => ({
    userId,
    tokenHash: createHash("sha256").update(cookies[i]!).digest("hex"),
    expiresAt: new Date(Date.now() + 86_400_000),
  }));
  for (let i = 0; i < sessionRows.length; i += 1000) await db.insert(sessions).values(sessionRows.slice(i, i + 1000));
  const taskRows = Array.from({ length: roomCount + 1 }, (_, i) => ({
    projectId: p!.id,
    videoId: v!.id,
    aspect: "camera" as const,
    specVersion: "bench",
    stage: "critiquing" as const,
    annotatorId: ids[Math.min(i, roomCount - 1) * 3]!,
  }));
  const taskIds = (await db.insert(tasks).values(taskRows).returning({ id: tasks.id })).map((r) => r.id);
  const cookie = (i: number) => `chai_session=${cookies[i]}`;
  return {
    rooms: taskIds.slice(0, roomCount).map((taskId, r) => ({ taskId, cookies: [cookie(r * 3), cookie(r * 3 + 1), cookie(r * 3 + 2)] })),
    coldRoom: taskRoom(taskIds[roomCount]!),
    coldCookie: cookie(ids.length - 1),
  };
}

/** A room log of COLD_UPDATES single-character updates, written straight into doc_updates. */
async function seedColdRoom(database: Database, room: string): Promise<string> {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  const text = draftLine(doc);
  for (let i = 0; i < COLD_UPDATES; i++) {
    // Mostly typing, some deletions, as a real critique is written.
    if (i % 10 === 9) text.delete(text.length - 1, 1);
    else text.insert(text.length, String.fromCharCode(97 + (i % 26)));
  }
  for (let i = 0; i < updates.length; i += 5000) {
    await database.db.insert(docUpdates).values(updates.slice(i, i + 5000).map((u) => ({ room, update: Buffer.from(u) })));
  }
  return text.toString();
}

// ---------- raw y-websocket clients (low overhead: no Y.Doc on the receiving side)

function msgSyncStep1(): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE.sync);
  encoding.writeVarUint(e, SYNC.step1);
  encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
  return encoding.toUint8Array(e);
}
const STEP1 = msgSyncStep1();

function msgUpdate(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE.sync);
  encoding.writeVarUint(e, SYNC.update);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

function msgCursor(clientId: number, clock: number, at: number): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, clientId);
  encoding.writeVarUint(inner, clock);
  // The send time rides in the playhead (a presence field the server passes on), in seconds since this process began.
  const rel = { type: { client: clientId, clock: at }, tname: "draft" };
  encoding.writeVarString(inner, JSON.stringify({ cursor: { anchor: rel, head: rel }, playhead: { time: performance.now() / 1000, playing: true } }));
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE.awareness);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

type Stats = {
  measuring: boolean;
  fanout: Samples;
  /** Fan-out to a reader connected to another process than the typist's (relayed through Redis). */
  fanoutCross: Samples;
  fanoutSame: Samples;
  awarenessFanout: Samples;
  saved: Samples;
  typed: number;
  closes: Map<number, number>;
};

/** The draft's one paragraph, as the editor makes it: the typist types there (the room's draft starts empty). */
function draftLine(doc: Y.Doc): Y.XmlText {
  const text = new Y.XmlText();
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [text]);
  draftFragment(doc).insert(0, [paragraph]);
  return text;
}

class BenchRoom {
  readonly typist = new Y.Doc();
  private line: Y.XmlText | undefined;
  readonly sentAtClock = new Map<number, number>();
  /** Document message number → send time; SAVED(n) acknowledges all up to n. */
  readonly sentAtMessage: number[] = [];
  typed = "";
  ackedChars = 0;
  private docMessages = 0;
  private charsAtMessage: number[] = [];
  private lastSaved = 0;
  sockets: WebSocket[] = [];
  private clocks = [0, 0, 0];
  private clientIds: number[] = [];
  /** The process each socket landed on (HAProxy's X-Served-By; "" without a balancer). */
  readonly servedBy = ["", "", ""];

  constructor(
    readonly room: string,
    private readonly stats: Stats,
  ) {
    this.typist.on("update", (u: Uint8Array) => {
      const ws = this.sockets[0];
      if (!ws || ws.readyState !== ws.OPEN) return;
      const n = ++this.docMessages;
      const now = performance.now();
      this.sentAtMessage[n] = now;
      this.charsAtMessage[n] = this.typed.length;
      ws.send(msgUpdate(u));
    });
  }

  async connect(baseUrl: string, cookies: readonly string[]): Promise<void> {
    this.clientIds = [this.typist.clientID, randomClientId(), randomClientId()];
    this.sockets = await Promise.all(
      cookies.map((cookie, i) =>
        openClient(`${baseUrl}/collab/${this.room}${i === 0 ? `?${ACK_PARAM}=1` : ""}`, cookie, (data) => this.onMessage(i, data), this.stats, (by) => (this.servedBy[i] = by)),
      ),
    );
  }

  type(): void {
    const ch = String.fromCharCode(97 + (this.typed.length % 26));
    this.typed += ch;
    const t = this.line ?? (this.line = draftLine(this.typist));
    this.sentAtClock.set(Y.getState(this.typist.store, this.typist.clientID), performance.now());
    t.insert(t.length, ch);
    if (this.stats.measuring) this.stats.typed++;
  }

  cursor(i: number): void {
    const ws = this.sockets[i];
    if (!ws || ws.readyState !== ws.OPEN) return;
    ws.send(msgCursor(this.clientIds[i]!, ++this.clocks[i]!, this.typed.length));
  }

  private onMessage(i: number, data: Uint8Array): void {
    const now = performance.now();
    const d = decoding.createDecoder(data);
    const type = decoding.readVarUint(d);
    if (type === MESSAGE.saved && i === 0) {
      const upTo = decoding.readVarUint(d);
      for (let n = this.lastSaved + 1; n <= upTo; n++) {
        const at = this.sentAtMessage[n];
        if (at !== undefined && this.stats.measuring) this.stats.saved.add(now - at);
      }
      if (upTo > this.lastSaved) {
        this.lastSaved = upTo;
        this.ackedChars = Math.max(this.ackedChars, this.charsAtMessage[upTo] ?? 0);
      }
      return;
    }
    if (type === MESSAGE.sync && i !== 0) {
      if (decoding.readVarUint(d) !== SYNC.update) return;
      const update = decoding.readVarUint8Array(d);
      const u = decoding.createDecoder(update);
      if (decoding.readVarUint(u) < 1) return;
      decoding.readVarUint(u); // structs of the first client
      const client = decoding.readVarUint(u);
      const clock = decoding.readVarUint(u);
      if (client !== this.typist.clientID) return;
      const at = this.sentAtClock.get(clock);
      if (at !== undefined && this.stats.measuring) {
        this.stats.fanout.add(now - at);
        (this.servedBy[i] === this.servedBy[0] ? this.stats.fanoutSame : this.stats.fanoutCross).add(now - at);
      }
      return;
    }
    if (type === MESSAGE.awareness && this.stats.measuring) {
      const u = decoding.createDecoder(decoding.readVarUint8Array(d));
      if (decoding.readVarUint(u) !== 1) return;
      decoding.readVarUint(u);
      decoding.readVarUint(u);
      const state = JSON.parse(decoding.readVarString(u)) as { playhead?: { time?: number } } | null;
      const sent = state?.playhead?.time;
      if (sent !== undefined) this.stats.awarenessFanout.add(now - sent * 1000);
    }
  }

  get unacked(): number {
    return this.typed.length - this.ackedChars;
  }

  close(): void {
    for (const s of this.sockets) s.terminate();
    this.typist.destroy();
  }
}

function randomClientId(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

function openClient(url: string, cookie: string, onMessage: (data: Uint8Array) => void, stats: Stats, onServedBy?: (by: string) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, "ws"), { headers: { cookie }, perMessageDeflate: false });
    ws.binaryType = "nodebuffer";
    ws.once("upgrade", (res) => onServedBy?.(String(res.headers[SERVED_BY] ?? "")));
    ws.on("message", (data: Buffer) => onMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
    ws.once("open", () => {
      ws.send(STEP1);
      resolve(ws);
    });
    ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once("error", reject);
    ws.on("close", (code) => stats.closes.set(code, (stats.closes.get(code) ?? 0) + 1));
  });
}

/** Connect, send sync step 1, wait for the server's step 2: the time a participant waits to see the document. */
function timeColdJoin(baseUrl: string, room: string, cookie: string): Promise<{ ms: number; text: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/collab/${room}`, { headers: { cookie }, perMessageDeflate: false });
    ws.binaryType = "nodebuffer";
    ws.once("open", () => ws.send(STEP1));
    ws.on("message", (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (decoding.readVarUint(d) !== MESSAGE.sync || decoding.readVarUint(d) !== SYNC.step2) return;
      const ms = performance.now() - start;
      const doc = new Y.Doc();
      Y.applyUpdate(doc, decoding.readVarUint8Array(d));
      const text = draftText(doc);
      doc.destroy();
      ws.close();
      resolve({ ms, text });
    });
    ws.once("error", reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function roomCount(database: Database, room: string): Promise<number> {
  const rows = await database.db.execute<{ n: string }>(sql`select count(*)::text as n from doc_updates where room = ${room}`);
  return Number((rows as unknown as { n: string }[])[0]?.n ?? 0);
}

async function maxUpdateId(database: Database): Promise<number> {
  const rows = await database.db.execute<{ m: string | null }>(sql`select max(id)::text as m from doc_updates`);
  return Number((rows as unknown as { m: string | null }[])[0]?.m ?? 0);
}

// ---------- the load itself

type Drive = {
  stats: Stats;
  elapsed: number;
  /** Summed over the server processes. */
  cpuPct: number;
  peakRssKb: number;
  hwmKb: number;
  benchCpuPct: number;
  updatesPerSec: number;
  lost: number;
  ackedTotal: number;
  unackedAtEnd: number;
};

/**
 * The steady load on seeded rooms: three clients per room connect to `baseUrl` (25 rooms at a time), then type and
 * send presence for WARMUP_MS + `seconds`, measured after the warm-up; CPU and RSS are summed over the server
 * `pids`. At the end every character the server acknowledged is looked for in the database.
 */
async function driveRooms(database: Database, baseUrl: string, rooms: Seeded["rooms"], seconds: number, pids: number[], benchRooms: BenchRoom[]): Promise<Drive> {
  const stats: Stats = {
    measuring: false,
    fanout: new Samples(),
    fanoutCross: new Samples(),
    fanoutSame: new Samples(),
    awarenessFanout: new Samples(),
    saved: new Samples(),
    typed: 0,
    closes: new Map(),
  };
  console.log(`[bench] connecting ${rooms.length * 3} clients to ${baseUrl}…`);
  for (let i = 0; i < rooms.length; i += 25) {
    await Promise.all(
      rooms.slice(i, i + 25).map(async (r) => {
        const br = new BenchRoom(taskRoom(r.taskId), stats);
        await br.connect(baseUrl, r.cookies);
        benchRooms.push(br);
      }),
    );
  }

  // One scheduler for every client, phases spread evenly, so the load is steady rather than in waves.
  const t0 = performance.now();
  const typeDue = benchRooms.map((_, i) => t0 + (i / benchRooms.length) * TYPE_INTERVAL_MS);
  const cursorDue = benchRooms.flatMap((_, i) => [0, 1, 2].map((k) => t0 + (((i * 3 + k) / (benchRooms.length * 3)) * CURSOR_INTERVAL_MS)));
  let running = true;
  const tick = () => {
    if (!running) return;
    const now = performance.now();
    for (let i = 0; i < benchRooms.length; i++) {
      if (now >= typeDue[i]!) {
        benchRooms[i]!.type();
        typeDue[i]! += TYPE_INTERVAL_MS;
      }
      for (let k = 0; k < 3; k++) {
        const j = i * 3 + k;
        if (now >= cursorDue[j]!) {
          benchRooms[i]!.cursor(k);
          cursorDue[j]! += CURSOR_INTERVAL_MS;
        }
      }
    }
    setTimeout(tick, 5);
  };
  tick();

  const servers = () =>
    pids.map(procStat).reduce((a, b) => ({ cpuTicks: a.cpuTicks + b.cpuTicks, rssKb: a.rssKb + b.rssKb, hwmKb: a.hwmKb + b.hwmKb }));
  await sleep(WARMUP_MS);
  stats.measuring = true;
  const startStat = servers();
  const startId = await maxUpdateId(database);
  const startAt = performance.now();
  const benchCpuStart = process.cpuUsage();
  let peakRssKb = startStat.rssKb;
  const rssSampler = setInterval(() => {
    peakRssKb = Math.max(peakRssKb, servers().rssKb);
  }, 250);
  await sleep(seconds * 1000);
  stats.measuring = false;
  const elapsed = (performance.now() - startAt) / 1000;
  const endStat = servers();
  const endId = await maxUpdateId(database);
  const benchCpu = process.cpuUsage(benchCpuStart);
  clearInterval(rssSampler);
  running = false;

  // Let the last acknowledgements arrive, then compare what the server acknowledged with the database.
  const ackDeadline = Date.now() + 15_000;
  while (benchRooms.some((r) => r.unacked > 0) && Date.now() < ackDeadline) await sleep(100);
  const unackedAtEnd = benchRooms.reduce((n, r) => n + r.unacked, 0);
  for (const r of benchRooms) r.close();
  await sleep(200);
  let lost = 0;
  let ackedTotal = 0;
  const storage = new PgStorage(database.db);
  for (const r of benchRooms) {
    const stored = await storage.load(r.room);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, mergeToState(stored.snapshot, stored.updates));
    const text = draftText(doc);
    doc.destroy();
    ackedTotal += r.ackedChars;
    for (let i = 0; i < r.ackedChars; i++) if (text[i] !== r.typed[i]) lost++;
  }
  return {
    stats,
    elapsed,
    cpuPct: ((endStat.cpuTicks - startStat.cpuTicks) / 100 / elapsed) * 100,
    peakRssKb,
    hwmKb: endStat.hwmKb,
    benchCpuPct: ((benchCpu.user + benchCpu.system) / 1e6 / elapsed) * 100,
    updatesPerSec: (endId - startId) / elapsed,
    lost,
    ackedTotal,
    unackedAtEnd,
  };
}

// ---------- --processes N: one process beside N behind HAProxy

type Phase = { label: string; processes: number; drive: Drive };

function renice(pids: number[], priority: number | undefined): void {
  if (priority === undefined) return;
  // On a machine shared with other work, a higher scheduling priority for the servers and the clients
  // approximates the idle machine the targets assume (needs root for negative values).
  for (const pid of pids) os.setPriority(pid, priority);
  os.setPriority(priority);
}

/** The load on one server process reached directly, without Redis: the single-process figures. */
async function singlePhase(roomN: number, seconds: number, priority: number | undefined): Promise<Phase> {
  const admin = adminUrl();
  const dbName = `chai_bench_${Date.now().toString(36)}_single`;
  const adminSql = postgres(admin, { max: 1, onnotice: () => {} });
  await adminSql.unsafe(`create database "${dbName}"`);
  const url = withDatabase(admin, dbName);
  let database: Database | undefined;
  let server: ServerChild | undefined;
  const benchRooms: BenchRoom[] = [];
  try {
    database = await openDatabase({ kind: "postgres", url, max: 4 });
    const seeded = await seed(database, roomN);
    server = await spawnServer({ DATABASE_URL: url, PORT: "0", REDIS_URL: "" });
    console.log(`[bench] 1 process: pid ${server.pid} at ${server.url}`);
    renice([server.pid], priority);
    return { label: "1 process (direct)", processes: 1, drive: await driveRooms(database, server.url, seeded.rooms, seconds, [server.pid], benchRooms) };
  } finally {
    for (const r of benchRooms) r.close();
    if (server) {
      server.child.kill("SIGTERM");
      await Promise.race([exited(server.child), sleep(10_000)]);
      server.child.kill("SIGKILL");
    }
    await database?.close();
    await adminSql.unsafe(`drop database if exists "${dbName}" with (force)`);
    await adminSql.end();
  }
}

/** The same load on N processes sharing one database and Redis, every client through HAProxy (tests/scaleout). */
async function balancedPhase(roomN: number, seconds: number, priority: number | undefined, processes: number): Promise<Phase> {
  let cluster: Cluster | undefined;
  const benchRooms: BenchRoom[] = [];
  try {
    // The job knobs at their defaults (the cluster's are the test's short ones): idle workers poll far less.
    const jobDefaults = { JOB_HEARTBEAT_SECONDS: "", JOB_RETRY_LIMIT: "", JOB_POLL_SECONDS: "", JOB_SUPERVISE_SECONDS: "" };
    cluster = await startCluster({ processes, label: "chai_bench_balanced", env: jobDefaults });
    const pids = [...cluster.processes.values()].map((p) => p.pid);
    console.log(`[bench] ${processes} processes: pids ${pids.join(", ")} behind HAProxy at ${cluster.url}`);
    renice(pids, priority);
    const seeded = await seed(cluster.database, roomN);
    const drive = await driveRooms(cluster.database, cluster.url, seeded.rooms, seconds, pids, benchRooms);
    return { label: `${processes} processes (HAProxy)`, processes, drive };
  } finally {
    for (const r of benchRooms) r.close();
    await cluster?.close();
  }
}

async function compareProcesses(roomN: number, seconds: number, priority: number | undefined, processes: number): Promise<void> {
  if (!haproxyBinary()) throw new Error("--processes runs the servers behind HAProxy: apt-get install haproxy");
  const loadBefore = os.loadavg();
  const phases = [await singlePhase(roomN, seconds, priority), await balancedPhase(roomN, seconds, priority, processes)];
  const loadAfter = os.loadavg();
  const f = (n: number) => (Number.isNaN(n) ? "—" : n.toFixed(1));
  const pair = (s: Samples) => (s.count === 0 ? "—" : `${f(s.pct(50))} / ${f(s.pct(99))} ms (${s.count})`);
  const rows: [string, (d: Drive) => string][] = [
    ["fan-out p50 / p99 (samples)", (d) => pair(d.stats.fanout)],
    ["  reader on the typist's process", (d) => pair(d.stats.fanoutSame)],
    ["  reader on another process", (d) => pair(d.stats.fanoutCross)],
    ["presence fan-out p50 / p99", (d) => pair(d.stats.awarenessFanout)],
    ["saved-ack p50 / p99", (d) => pair(d.stats.saved)],
    ["servers' CPU (sum, % of one core)", (d) => `${f(d.cpuPct)} %`],
    ["servers' RSS peak (sum)", (d) => `${f(d.peakRssKb / 1024)} MB`],
    ["bench clients CPU (% of one core)", (d) => `${f(d.benchCpuPct)} %`],
    ["updates persisted / s", (d) => f(d.updatesPerSec)],
    ["lost updates", (d) => `${d.lost} of ${d.ackedTotal} acked`],
  ];
  const la = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");
  console.log(`\n${roomN} rooms × 3 clients, ${seconds} s measured per phase, ${os.cpus().length} CPUs; load average before ${la(loadBefore)}, after ${la(loadAfter)}\n`);
  console.log(`${"".padEnd(36)} ${phases.map((p) => p.label.padEnd(30)).join(" ")}`);
  for (const [label, value] of rows) console.log(`${label.padEnd(36)} ${phases.map((p) => value(p.drive).padEnd(30)).join(" ")}`);
  const summary = (p: Phase) => {
    const s = p.drive.stats;
    return {
      processes: p.processes,
      fanoutP50Ms: Number(f(s.fanout.pct(50))),
      fanoutP99Ms: Number(f(s.fanout.pct(99))),
      crossProcessFanoutP50Ms: s.fanoutCross.count ? Number(f(s.fanoutCross.pct(50))) : null,
      crossProcessFanoutP99Ms: s.fanoutCross.count ? Number(f(s.fanoutCross.pct(99))) : null,
      crossProcessSamples: s.fanoutCross.count,
      savedP99Ms: Number(f(s.saved.pct(99))),
      serverCpuPercentOfOneCore: Number(f(p.drive.cpuPct)),
      lostUpdates: p.drive.lost,
      unexpectedCloses: Object.fromEntries([...s.closes].filter(([code]) => code !== 1005 && code !== 1006)),
    };
  };
  console.log(`\n${JSON.stringify({ rooms: roomN, seconds, phases: phases.map(summary), nice: priority ?? 0, loadAverageBefore: loadBefore.map((l) => Number(l.toFixed(2))), loadAverageAfter: loadAfter.map((l) => Number(l.toFixed(2))) })}`);
}

// ---------- main

async function main() {
  if (process.argv.includes("--peers")) return runPeers(peersOptions(process.argv.slice(2)));
  const { rooms: roomN, seconds, priority, processes } = args();
  if (processes > 1) return compareProcesses(roomN, seconds, priority, processes);
  const admin = adminUrl();
  const dbName = `chai_bench_${Date.now().toString(36)}`;
  const adminSql = postgres(admin, { max: 1, onnotice: () => {} });
  await adminSql.unsafe(`create database "${dbName}"`);
  const url = withDatabase(admin, dbName);
  let database: Database | undefined;
  let server: ServerChild | undefined;
  const benchRooms: BenchRoom[] = [];
  try {
    database = await openDatabase({ kind: "postgres", url, max: 4 });
    console.log(`[bench] database ${dbName}; seeding ${roomN} rooms + a ${COLD_UPDATES}-update room…`);
    const seeded = await seed(database, roomN);
    const coldExpected = await seedColdRoom(database, seeded.coldRoom);

    server = await spawnServer({ DATABASE_URL: url, PORT: "0", REDIS_URL: "" });
    console.log(`[bench] server pid ${server.pid} at ${server.url}`);
    if (priority !== undefined) {
      // On a machine shared with other work, a higher scheduling priority for the server and the clients
      // approximates the idle machine the targets assume (needs root for negative values).
      os.setPriority(server.pid, priority);
      os.setPriority(priority);
      console.log(`[bench] server and clients at nice ${priority}`);
    }
    const idleRssKb = procStat(server.pid).rssKb;

    // Cold load: the first join reads all 20,000 rows and triggers compaction; once the log is compacted and the
    // room unloaded, time fresh joins (each one a load from the database: snapshot + tail).
    const first = await timeColdJoin(server.url, seeded.coldRoom, seeded.coldCookie);
    if (first.text !== coldExpected) throw new Error("cold room content differs from what was written");
    const deadline = Date.now() + 60_000;
    while ((await roomCount(database, seeded.coldRoom)) > 0 && Date.now() < deadline) await sleep(100);
    const coldRowsLeft = await roomCount(database, seeded.coldRoom);
    const coldLoads: number[] = [];
    for (let i = 0; i < 3; i++) {
      await sleep(2_600); // the server unloads 2 s after the last participant leaves
      const j = await timeColdJoin(server.url, seeded.coldRoom, seeded.coldCookie);
      if (j.text !== coldExpected) throw new Error("cold room content differs after compaction");
      coldLoads.push(j.ms);
    }
    // The load itself as the server does it (one query for snapshot + tail, applied to a fresh Y.Doc), measured here.
    const storageLoads: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      const stored = await new PgStorage(database.db).load(seeded.coldRoom);
      const doc = new Y.Doc();
      doc.transact(() => {
        if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
        for (const u of stored.updates) Y.applyUpdate(doc, u);
      });
      storageLoads.push(performance.now() - s);
      if (draftText(doc) !== coldExpected) throw new Error("cold room content differs");
      doc.destroy();
    }

    const drive = await driveRooms(database, server.url, seeded.rooms, seconds, [server.pid], benchRooms);
    const { stats, elapsed, lost, ackedTotal, unackedAtEnd, peakRssKb, cpuPct, benchCpuPct } = drive;
    const f = (n: number) => n.toFixed(1);
    const results = {
      rooms: roomN,
      clients: roomN * 3,
      seconds: Number(elapsed.toFixed(1)),
      fanoutP50Ms: Number(f(stats.fanout.pct(50))),
      fanoutP99Ms: Number(f(stats.fanout.pct(99))),
      fanoutSamples: stats.fanout.count,
      awarenessFanoutP50Ms: Number(f(stats.awarenessFanout.pct(50))),
      awarenessFanoutP99Ms: Number(f(stats.awarenessFanout.pct(99))),
      savedP50Ms: Number(f(stats.saved.pct(50))),
      savedP99Ms: Number(f(stats.saved.pct(99))),
      savedSamples: stats.saved.count,
      serverCpuPercentOfOneCore: Number(f(cpuPct)),
      benchClientCpuPercentOfOneCore: Number(f(benchCpuPct)),
      serverIdleRssMb: Number(f(idleRssKb / 1024)),
      serverPeakRssMb: Number(f(peakRssKb / 1024)),
      serverRssHighWaterMb: Number(f(drive.hwmKb / 1024)),
      updatesPersistedPerSec: Number(f(drive.updatesPerSec)),
      typedPerSec: Number(f(stats.typed / elapsed)),
      ackedUpdates: ackedTotal,
      lostUpdates: lost,
      unackedAtEnd,
      coldLoadRows: COLD_UPDATES,
      coldLoadRowsLeftAfterCompaction: coldRowsLeft,
      coldJoinMs: coldLoads.map((m) => Number(f(m))),
      coldRoomLoadMs: storageLoads.map((m) => Number(f(m))),
      unexpectedCloses: Object.fromEntries([...stats.closes].filter(([code]) => code !== 1005 && code !== 1006)),
    };
    const line = (label: string, value: string, target = "") => console.log(`${label.padEnd(34)} ${value.padEnd(22)} ${target}`);
    console.log("");
    line("rooms × clients", `${roomN} × 3 (${seconds}s)`);
    line("fan-out latency p50 / p99", `${f(stats.fanout.pct(50))} / ${f(stats.fanout.pct(99))} ms`, "target p99 ≤ 25 ms");
    line("presence fan-out p50 / p99", `${f(stats.awarenessFanout.pct(50))} / ${f(stats.awarenessFanout.pct(99))} ms`);
    line("saved-ack latency p50 / p99", `${f(stats.saved.pct(50))} / ${f(stats.saved.pct(99))} ms`, "target p99 ≤ 50 ms");
    line("server CPU (% of one core)", `${f(cpuPct)} %`);
    line("bench clients CPU (% of one core)", `${f(benchCpuPct)} %`);
    line("server RSS idle (after start)", `${f(idleRssKb / 1024)} MB`);
    line("server RSS peak (during load)", `${f(peakRssKb / 1024)} MB`, "target ≤ 300 MB");
    line("server RSS high-water (whole run)", `${f(drive.hwmKb / 1024)} MB`);
    line("updates persisted / s", f(drive.updatesPerSec));
    line("lost updates", `${lost} of ${ackedTotal} acked`, "target 0");
    line("cold room load (read + apply)", `${storageLoads.map(f).join(" / ")} ms`, "target ≤ 50 ms");
    line("cold join (connect → synced)", `${coldLoads.map(f).join(" / ")} ms`);
    console.log(`\n${JSON.stringify({ ...results, nice: priority ?? 0, loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))) })}`);
  } finally {
    for (const r of benchRooms) r.close();
    if (server) {
      server.child.kill("SIGTERM");
      await Promise.race([exited(server.child), sleep(10_000)]);
      server.child.kill("SIGKILL");
    }
    await database?.close();
    await adminSql.unsafe(`drop database if exists "${dbName}" with (force)`);
    await adminSql.end();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
