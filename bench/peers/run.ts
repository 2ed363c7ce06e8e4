/**
 * `npm run bench:collab -- --peers [--rooms N] [--seconds S] [--rounds R] [--only ours,stock] [--no-pin] [--profile DIR]`: the same
 * load against our server (production build, PostgreSQL), the stock y-websocket server and Hocuspocus (when
 * installed), each in a fresh process, in R interleaved rounds (the order rotates every round) on this machine at
 * this moment; then each one's figures and ours ÷ each peer's, per round and as medians. With two or more CPUs the
 * servers run on the last one and the load generator on the first (PostgreSQL floats), as the figures in #19 were
 * taken.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import * as Y from "yjs";
import { z } from "zod";
import { draftText } from "../../shared/room/document";
import { openDatabase, type Database } from "../../server/db";
import { PgStorage } from "../../server/collab/pgStorage";
import { mergeToState } from "../../server/collab/storage";
import { adminUrl, withDatabase } from "../../server/testing/pgUrls";
import { buildServer, isStale, ROOT, SERVER_DIST } from "../../scripts/buildServer";
import { procStat, runLoad, sleep, type LoadMeasurement, type LoadRoom } from "./load";
import { newestProfile, printProfile, readProfile, summarizeProfile } from "./profile";
import { seedRounds } from "./seed";
import { availablePeers, PEER_KINDS, prepareHocuspocus, startHocuspocus, startOurs, startStock, type PeerKind, type RunningPeer } from "./targets";

const Options = z.object({
  rooms: z.number().int().positive(),
  seconds: z.number().positive(),
  rounds: z.number().int().positive(),
  only: z.array(z.enum(PEER_KINDS)).min(1),
  pin: z.boolean(),
  /** Where each server writes a CPU profile per round (node --cpu-prof, DIR/<kind>/), summarized after the round. */
  profile: z.string().min(1).optional(),
});
export type PeersOptions = z.infer<typeof Options>;

/** The --peers mode's flags (the rest of bench:collab's flags are ignored in this mode). */
export function peersOptions(argv: readonly string[]): PeersOptions {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (name: string, dflt: number) => (value(name) === undefined ? dflt : Number(value(name)));
  return Options.parse({
    rooms: num("rooms", 300),
    seconds: num("seconds", 30),
    rounds: num("rounds", 3),
    only: value("only")?.split(",") ?? [...PEER_KINDS],
    pin: !argv.includes("--no-pin"),
    profile: value("profile"),
  });
}

export type PeerResult = {
  kind: PeerKind;
  round: number;
  fanoutP50Ms: number;
  fanoutP99Ms: number;
  fanoutSamples: number;
  presenceP99Ms: number;
  joinAllMs: number;
  joinP50Ms: number;
  joinP99Ms: number;
  idleRssMb: number;
  peakRssMb: number;
  /** RSS at the end of the run (every room, three clients each). */
  endRssMb: number;
  /** Per room with its first client (phase 1 of the join), and per further connection (phase 2). */
  rssPerRoomKb: number;
  rssPerConnectionKb: number;
  /** LEAVE_WAIT_MS after every client left: RSS, and (ours) rooms still loaded. */
  leftRssMb?: number;
  roomsLoadedAfterLeave?: number;
  serverCpuPercent: number;
  cpuUsPerUpdate: number;
  typedPerSec: number;
  /** Messages the server sent to the load's clients per second (all kinds). */
  sentPerSec: number;
  benchCpuPercent: number;
  catchUpMs: number;
  behindAtEnd: number;
  /** Ours only: SAVED latency, acknowledged updates missing from the database, and PostgreSQL's CPU meanwhile. */
  savedP99Ms?: number;
  lostUpdates?: number;
  ackedUpdates?: number;
  unackedAtEnd?: number;
  postgresCpuPercent?: number;
  unexpectedCloses: Record<string, number>;
};

const round1 = (n: number) => Math.round(n * 10) / 10;
const LEAVE_WAIT_MS = 5_000;

/** CPU ticks of every postgres process on the machine now, by pid. */
function postgresTicks(): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const pid of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres") ticks.set(Number(pid), procStat(Number(pid)).cpuTicks);
    } catch {
      // exited meanwhile
    }
  }
  return ticks;
}

/** PostgreSQL's CPU seconds between two readings: per process, so backends that exit meanwhile do not subtract. */
function postgresCpuSeconds(start: ReadonlyMap<number, number>, end: ReadonlyMap<number, number>): number {
  let ticks = 0;
  for (const [pid, t] of end) ticks += t - (start.get(pid) ?? 0);
  return ticks / 100;
}

/** Acknowledged characters that are not in the stored draft. */
async function lostUpdates(database: Database, rooms: readonly LoadRoom[]): Promise<{ lost: number; acked: number }> {
  const storage = new PgStorage(database.db);
  let lost = 0;
  let acked = 0;
  for (const r of rooms) {
    const stored = await storage.load(r.room);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, mergeToState(stored.snapshot, stored.updates));
    const text = draftText(doc);
    doc.destroy();
    acked += r.ackedChars;
    for (let i = 0; i < r.ackedChars; i++) if (text[i] !== r.typed[i]) lost++;
  }
  return { lost, acked };
}

function summarize(kind: PeerKind, round: number, roomCount: number, idleRssKb: number, m: LoadMeasurement): PeerResult {
  const s = m.stats;
  return {
    kind,
    round,
    fanoutP50Ms: round1(s.fanout.pct(50)),
    fanoutP99Ms: round1(s.fanout.pct(99)),
    fanoutSamples: s.fanout.count,
    presenceP99Ms: round1(s.presence.pct(99)),
    joinAllMs: Math.round(m.joinAllMs),
    joinP50Ms: round1(s.join.pct(50)),
    joinP99Ms: round1(s.join.pct(99)),
    idleRssMb: round1(idleRssKb / 1024),
    peakRssMb: round1(m.peakRssKb / 1024),
    endRssMb: round1(m.endRssKb / 1024),
    rssPerRoomKb: round1((m.roomsRssKb - idleRssKb) / roomCount),
    rssPerConnectionKb: round1((m.connectionsRssKb - m.roomsRssKb) / (2 * roomCount)),
    serverCpuPercent: round1((m.serverCpuSeconds / m.seconds) * 100),
    cpuUsPerUpdate: round1((m.serverCpuSeconds * 1e6) / Math.max(1, s.typed)),
    typedPerSec: round1(s.typed / m.seconds),
    sentPerSec: round1([...s.received.values()].reduce((a, b) => a + b, 0) / m.seconds),
    benchCpuPercent: round1((m.benchCpuSeconds / m.seconds) * 100),
    catchUpMs: Math.round(m.catchUpMs),
    behindAtEnd: m.behindAtEnd,
    unexpectedCloses: Object.fromEntries([...s.closes].filter(([code]) => code !== 1005 && code !== 1006).map(([c, n]) => [String(c), n])),
  };
}

/** Pins this process (all its threads) to `cpu`. */
function pinSelf(cpu: number): void {
  execFileSync("taskset", ["-a", "-p", "-c", String(cpu), String(process.pid)], { stdio: "ignore" });
}

function canPin(): boolean {
  try {
    execFileSync("taskset", ["-V"], { stdio: "ignore" });
    return os.cpus().length >= 2;
  } catch {
    return false;
  }
}

const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

type Column = { label: string; value: (r: PeerResult) => number | undefined; unit: string; ratio: boolean };
const COLUMNS: Column[] = [
  { label: "fan-out p50", value: (r) => r.fanoutP50Ms, unit: "ms", ratio: true },
  { label: "fan-out p99", value: (r) => r.fanoutP99Ms, unit: "ms", ratio: true },
  { label: "presence p99", value: (r) => r.presenceP99Ms, unit: "ms", ratio: true },
  { label: "all joined", value: (r) => r.joinAllMs, unit: "ms", ratio: true },
  { label: "join p99 (one client)", value: (r) => r.joinP99Ms, unit: "ms", ratio: true },
  { label: "RSS idle", value: (r) => r.idleRssMb, unit: "MB", ratio: true },
  { label: "RSS peak", value: (r) => r.peakRssMb, unit: "MB", ratio: true },
  { label: "RSS at end (all rooms)", value: (r) => r.endRssMb, unit: "MB", ratio: true },
  { label: "RSS per room (1st client)", value: (r) => r.rssPerRoomKb, unit: "KB", ratio: true },
  { label: "RSS per further connection", value: (r) => r.rssPerConnectionKb, unit: "KB", ratio: true },
  { label: "RSS 5 s after all left", value: (r) => r.leftRssMb, unit: "MB", ratio: true },
  { label: "rooms loaded 5 s after all left", value: (r) => r.roomsLoadedAfterLeave, unit: "", ratio: false },
  { label: "server CPU", value: (r) => r.serverCpuPercent, unit: "% core", ratio: true },
  { label: "CPU per update", value: (r) => r.cpuUsPerUpdate, unit: "µs", ratio: true },
  { label: "readers caught up", value: (r) => r.catchUpMs, unit: "ms after end", ratio: false },
  { label: "updates typed / s", value: (r) => r.typedPerSec, unit: "", ratio: false },
  { label: "messages sent to clients / s", value: (r) => r.sentPerSec, unit: "", ratio: true },
  { label: "load generator CPU", value: (r) => r.benchCpuPercent, unit: "% core", ratio: false },
  { label: "saved-ack p99", value: (r) => r.savedP99Ms, unit: "ms", ratio: false },
  { label: "lost acked updates", value: (r) => r.lostUpdates, unit: "", ratio: false },
  { label: "PostgreSQL CPU (machine)", value: (r) => r.postgresCpuPercent, unit: "% core", ratio: false },
];

function printTable(results: PeerResult[], kinds: readonly PeerKind[], rounds: number): void {
  const fmt = (n: number | undefined) => (n === undefined ? "—" : Number.isNaN(n) ? "n/a" : String(round1(n)));
  const peers = kinds.filter((k) => k !== "ours");
  const header = ["", ...kinds.map((k) => `${k} (median)`), ...peers.map((p) => `ours ÷ ${p}: median [range]`)];
  const rows = COLUMNS.map((c) => {
    const of = (k: PeerKind) => results.filter((r) => r.kind === k).map((r) => c.value(r));
    const cells = kinds.map((k) => {
      const vs = of(k).filter((v): v is number => v !== undefined);
      return vs.length === 0 ? "—" : `${fmt(median(vs))} ${c.unit}`.trim();
    });
    const ratios = peers.map((p) => {
      if (!c.ratio || !kinds.includes("ours")) return "";
      // Same-round ratios: the machine's state at that moment cancels out.
      const rs: number[] = [];
      for (let round = 1; round <= rounds; round++) {
        const a = results.find((r) => r.kind === "ours" && r.round === round);
        const b = results.find((r) => r.kind === p && r.round === round);
        const va = a && c.value(a);
        const vb = b && c.value(b);
        if (va !== undefined && vb !== undefined && vb > 0) rs.push(va / vb);
      }
      return rs.length === 0 ? "" : `${median(rs).toFixed(2)} [${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)}]`;
    });
    return [c.label, ...cells, ...ratios];
  });
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  for (const r of all) console.log(r.map((cell, i) => (cell ?? "").padEnd(widths[i]!)).join("  "));
}

async function startPeer(
  kind: PeerKind,
  databaseUrl: string,
  cookies: ReadonlyMap<string, readonly string[]>,
  cpu: number | undefined,
  profileDir: string | undefined,
): Promise<RunningPeer> {
  // Node writes the profile on a normal exit: the peers' own servers die of SIGTERM unless told to exit.
  const exitOnTerm = kind === "ours" ? [] : ["--import", "data:text/javascript,process.on('SIGTERM',()=>process.exit(0))"];
  const nodeArgs = profileDir ? ["--cpu-prof", "--cpu-prof-dir", path.join(profileDir, kind), ...exitOnTerm] : [];
  if (kind === "ours") return startOurs(databaseUrl, cookies, cpu, nodeArgs);
  if (kind === "stock") return startStock(cpu, nodeArgs);
  return startHocuspocus(cpu, nodeArgs);
}

export async function runPeers(opts: PeersOptions): Promise<void> {
  const installed = availablePeers();
  const kinds = opts.only.filter((k) => installed.includes(k));
  const missing = opts.only.filter((k) => !installed.includes(k));
  if (missing.length > 0) console.log(`[peers] not installed, skipped: ${missing.join(", ")}`);
  const pinned = opts.pin && canPin();
  const serverCpu = pinned ? os.cpus().length - 1 : undefined;
  if (pinned) pinSelf(0);
  const loadStart = os.loadavg();
  console.log(
    `[peers] ${kinds.join(", ")}; ${opts.rooms} rooms × 3 clients, ${opts.seconds} s, ${opts.rounds} round(s); ` +
      `${pinned ? `servers on CPU ${serverCpu}, load generator on CPU 0` : "not pinned"}; load average ${loadStart.map((l) => l.toFixed(2)).join(" ")}`,
  );

  if (kinds.includes("ours") && isStale(ROOT, path.join(ROOT, SERVER_DIST))) {
    const { ms } = await buildServer();
    console.log(`[peers] built the server (${ms.toFixed(0)} ms)`);
  }
  if (kinds.includes("hocuspocus")) await prepareHocuspocus();

  const admin = adminUrl();
  const dbName = `chai_peers_${Date.now().toString(36)}`;
  const adminSql = postgres(admin, { max: 1, onnotice: () => {} });
  const url = withDatabase(admin, dbName);
  let database: Database | undefined;
  const results: PeerResult[] = [];
  try {
    if (kinds.includes("ours")) {
      await adminSql.unsafe(`create database "${dbName}"`);
      database = await openDatabase({ kind: "postgres", url, max: 4 });
    }
    const rounds = database
      ? await seedRounds(database, opts.rooms, opts.rounds)
      : Array.from({ length: opts.rounds }, () => ({ rooms: Array.from({ length: opts.rooms }, (_, i) => `bench-room-${i}`), cookies: new Map<string, string[]>() }));

    for (let round = 1; round <= opts.rounds; round++) {
      const { rooms, cookies } = rounds[round - 1]!;
      const order = kinds.map((_, i) => kinds[(i + round - 1) % kinds.length]!);
      for (const kind of order) {
        const peer = await startPeer(kind, url, cookies, serverCpu, opts.profile && path.resolve(opts.profile));
        let loadRooms: LoadRoom[] = [];
        try {
          await sleep(1_000);
          const idleRssKb = procStat(peer.pid).rssKb;
          let pgStart = new Map<number, number>();
          let pgCpuSeconds = 0;
          const m = await runLoad({
            wire: peer.wire,
            rooms,
            seconds: opts.seconds,
            pid: peer.pid,
            window: kind === "ours" ? { start: () => (pgStart = postgresTicks()), end: () => (pgCpuSeconds = postgresCpuSeconds(pgStart, postgresTicks())) } : undefined,
          });
          loadRooms = m.rooms;
          const result = summarize(kind, round, rooms.length, idleRssKb, m);
          for (const r of loadRooms) r.close();
          const leftAt = performance.now();
          if (kind === "ours" && database) {
            await sleep(200);
            const { lost, acked } = await lostUpdates(database, loadRooms);
            Object.assign(result, {
              savedP99Ms: round1(m.stats.saved.pct(99)),
              lostUpdates: lost,
              ackedUpdates: acked,
              unackedAtEnd: m.unackedAtEnd,
              postgresCpuPercent: round1((pgCpuSeconds / m.seconds) * 100),
            });
          }
          // Idle rooms unload on time (ours: 2 s after the last client leaves) and give their memory back.
          await sleep(Math.max(0, LEAVE_WAIT_MS - (performance.now() - leftAt)));
          result.leftRssMb = round1(procStat(peer.pid).rssKb / 1024);
          if (peer.roomsLoaded) result.roomsLoadedAfterLeave = await peer.roomsLoaded();
          results.push(result);
          console.log(
            `[peers] round ${round} ${kind.padEnd(10)} fan-out ${result.fanoutP50Ms}/${result.fanoutP99Ms} ms, joined ${result.joinAllMs} ms, ` +
              `RSS ${result.idleRssMb}→${result.peakRssMb} MB, CPU ${result.serverCpuPercent} %` +
              (result.lostUpdates !== undefined ? `, lost ${result.lostUpdates} of ${result.ackedUpdates}` : "") +
              `; load ${os.loadavg()[0]!.toFixed(2)}`,
          );
        } finally {
          for (const r of loadRooms) r.close();
          await peer.stop();
        }
        const profile = opts.profile ? newestProfile(path.join(path.resolve(opts.profile), kind)) : undefined;
        if (profile) printProfile(profile, summarizeProfile(readProfile(profile)));
      }
    }
  } finally {
    await database?.close();
    await adminSql.unsafe(`drop database if exists "${dbName}" with (force)`);
    await adminSql.end();
  }

  console.log("");
  printTable(results, kinds, opts.rounds);
  const loadEnd = os.loadavg();
  console.log(`\nload average at start ${loadStart.map((l) => l.toFixed(2)).join(" ")}, at end ${loadEnd.map((l) => l.toFixed(2)).join(" ")}; ${os.cpus().length} CPUs`);
  const round2 = (l: number) => Number(l.toFixed(2));
  console.log(JSON.stringify({ peers: results, rooms: opts.rooms, seconds: opts.seconds, rounds: opts.rounds, pinned, loadAverageStart: loadStart.map(round2), loadAverageEnd: loadEnd.map(round2) }));
}
