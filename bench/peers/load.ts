/**
 * The collaboration load of `bench:collab`, for any y-websocket-speaking server: N rooms × 3 raw clients (one typing
 * 5 characters/s into the draft's paragraph, all three sending cursor presence at 2 Hz), one scheduler with phases
 * spread evenly, a 5 s warm-up after the connection storm, then S seconds measured. What differs between servers
 * (URL, cookies, Hocuspocus's document-name prefix and auth message, our SAVED acknowledgements) is a `Wire`.
 *
 * Receivers keep no Y.Doc (low overhead): a reader's latency is read from the update's clock range, so a server
 * that merges several keystrokes into one message is timed per keystroke all the same.
 */
import fs from "node:fs";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { WebSocket } from "ws";
import * as Y from "yjs";
import { MESSAGE, SYNC } from "../../shared/collab/protocol";
import { draftFragment } from "../../shared/room/layout";

export const TYPE_INTERVAL_MS = 200; // 5 characters per second
export const CURSOR_INTERVAL_MS = 500; // 2 Hz
export const WARMUP_MS = 5_000; // after the connection storm, before measuring: steady state only
/** Connections opened at once while joining (25 rooms' worth). */
const CONNECT_BATCH = 75;

/** How the load's clients reach one server. Messages in and out are plain y-websocket frames; the wire adds the rest. */
export type Wire = {
  /** WebSocket URL of client `k` (0 = the typist) in `room`. */
  url(room: string, k: number): string;
  headers(room: string, k: number): Record<string, string>;
  /** Frames sent right after the socket opens, before sync step 1 (Hocuspocus: its auth message). */
  hello(room: string): Uint8Array[];
  wrap(room: string, frame: Uint8Array): Uint8Array;
  /** The y-websocket frame inside a received message, or null for one that is not for the load. */
  unwrap(data: Uint8Array): Uint8Array | null;
  /** The server acknowledges durable storage with SAVED (ours): the typist asks for it and it is timed. */
  acks: boolean;
};

export class Samples {
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

/** CPU ticks (1/100 s) and RSS of a process, from /proc. */
export function procStat(pid: number): { cpuTicks: number; rssKb: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return { cpuTicks: Number(fields[11]) + Number(fields[12]), rssKb: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

const STEP1 = frame((e) => {
  encoding.writeVarUint(e, MESSAGE.sync);
  encoding.writeVarUint(e, SYNC.step1);
  encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
});

const updateFrame = (update: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE.sync);
    encoding.writeVarUint(e, SYNC.update);
    encoding.writeVarUint8Array(e, update);
  });

/** A cursor in the draft; the send time rides in the playhead (a presence field servers pass on), in seconds. */
function cursorFrame(clientId: number, clock: number, at: number): Uint8Array {
  const rel = { type: { client: clientId, clock: at }, tname: "draft" };
  const state = JSON.stringify({ cursor: { anchor: rel, head: rel }, playhead: { time: performance.now() / 1000, playing: true } });
  const inner = frame((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, clientId);
    encoding.writeVarUint(e, clock);
    encoding.writeVarString(e, state);
  });
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE.awareness);
    encoding.writeVarUint8Array(e, inner);
  });
}

/** The draft's one paragraph, as the editor makes it: the typist types there. */
export function draftLine(doc: Y.Doc): Y.XmlText {
  const text = new Y.XmlText();
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [text]);
  draftFragment(doc).insert(0, [paragraph]);
  return text;
}

export type Stats = {
  measuring: boolean;
  fanout: Samples;
  presence: Samples;
  saved: Samples;
  /** Connect → sync step 2 received, per client. */
  join: Samples;
  typed: number;
  /** Messages the clients received while measuring: what the server sent, by y-websocket message type. */
  received: Map<number, number>;
  closes: Map<number, number>;
};

const newStats = (): Stats => ({
  measuring: false,
  fanout: new Samples(),
  presence: new Samples(),
  saved: new Samples(),
  join: new Samples(),
  typed: 0,
  received: new Map(),
  closes: new Map(),
});

const randomClientId = () => Math.floor(Math.random() * 2 ** 31);

export class LoadRoom {
  readonly typist = new Y.Doc();
  private line: Y.XmlText | undefined;
  private readonly sentAtClock = new Map<number, number>();
  /** Document message number → send time and characters typed by then; SAVED(n) acknowledges all up to n. */
  private readonly sentAtMessage: number[] = [];
  private readonly charsAtMessage: number[] = [];
  private docMessages = 0;
  private lastSaved = 0;
  typed = "";
  ackedChars = 0;
  /** Per reader (clients 1 and 2): the typist's clock it has received up to (exclusive). */
  readonly seen = [0, 0, 0];
  private sockets: (WebSocket | undefined)[] = [];
  private readonly clocks = [0, 0, 0];
  private clientIds: number[] = [];

  constructor(
    readonly room: string,
    private readonly wire: Wire,
    private readonly stats: Stats,
  ) {
    this.typist.on("update", (u: Uint8Array) => {
      const ws = this.sockets[0];
      if (!ws || ws.readyState !== ws.OPEN) return;
      const n = ++this.docMessages;
      this.sentAtMessage[n] = performance.now();
      this.charsAtMessage[n] = this.typed.length;
      ws.send(this.wire.wrap(this.room, updateFrame(u)));
    });
  }

  /** Opens clients `ks` (0 = the typist); resolves once each has the document (sync step 2). */
  async connect(ks: readonly number[] = [0, 1, 2]): Promise<void> {
    if (this.clientIds.length === 0) this.clientIds = [this.typist.clientID, randomClientId(), randomClientId()];
    const opened = await Promise.all(ks.map((k) => this.open(k)));
    ks.forEach((k, i) => (this.sockets[k] = opened[i]!));
  }

  private open(k: number): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const ws = new WebSocket(this.wire.url(this.room, k), { headers: this.wire.headers(this.room, k), perMessageDeflate: false });
      ws.binaryType = "nodebuffer";
      let synced = false;
      ws.on("message", (data: Buffer) => {
        const inner = this.wire.unwrap(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        if (!inner) return;
        if (!synced && isStep2(inner)) {
          synced = true;
          this.stats.join.add(performance.now() - started);
          resolve(ws);
          return;
        }
        this.onMessage(k, inner);
      });
      ws.once("open", () => {
        for (const f of this.wire.hello(this.room)) ws.send(f);
        ws.send(this.wire.wrap(this.room, STEP1));
      });
      ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.on("error", (err) => {
        if (!synced) reject(err); // later errors end in "close", counted there
      });
      ws.on("close", (code) => {
        this.stats.closes.set(code, (this.stats.closes.get(code) ?? 0) + 1);
        if (!synced) reject(new Error(`closed before sync: ${code}`));
      });
    });
  }

  type(): void {
    const ch = String.fromCharCode(97 + (this.typed.length % 26));
    this.typed += ch;
    const t = this.line ?? (this.line = draftLine(this.typist));
    this.sentAtClock.set(Y.getState(this.typist.store, this.typist.clientID), performance.now());
    t.insert(t.length, ch);
    if (this.stats.measuring) this.stats.typed++;
  }

  cursor(k: number): void {
    const ws = this.sockets[k];
    if (!ws || ws.readyState !== ws.OPEN) return;
    ws.send(this.wire.wrap(this.room, cursorFrame(this.clientIds[k]!, ++this.clocks[k]!, this.typed.length)));
  }

  private onMessage(k: number, inner: Uint8Array): void {
    const now = performance.now();
    const d = decoding.createDecoder(inner);
    const type = decoding.readVarUint(d);
    if (this.stats.measuring) this.stats.received.set(type, (this.stats.received.get(type) ?? 0) + 1);
    if (this.wire.acks && type === MESSAGE.saved && k === 0) {
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
    if (type === MESSAGE.sync && k !== 0) {
      if (decoding.readVarUint(d) !== SYNC.update) return;
      const meta = Y.parseUpdateMeta(decoding.readVarUint8Array(d));
      const me = this.typist.clientID;
      const from = meta.from.get(me);
      const to = meta.to.get(me);
      if (from === undefined || to === undefined) return;
      if (this.stats.measuring) {
        for (let c = Math.max(from, this.seen[k]!); c < to; c++) {
          const at = this.sentAtClock.get(c);
          if (at !== undefined) this.stats.fanout.add(now - at);
        }
      }
      this.seen[k] = Math.max(this.seen[k]!, to);
      return;
    }
    if (type === MESSAGE.awareness && this.stats.measuring) {
      const u = decoding.createDecoder(decoding.readVarUint8Array(d));
      if (decoding.readVarUint(u) !== 1) return;
      decoding.readVarUint(u);
      decoding.readVarUint(u);
      const state = JSON.parse(decoding.readVarString(u)) as { playhead?: { time?: number } } | null;
      const sent = state?.playhead?.time;
      if (sent !== undefined) this.stats.presence.add(now - sent * 1000);
    }
  }

  /** Typist updates a reader has not received yet (in clock units: one per character once the paragraph exists). */
  get behind(): number {
    const state = Y.getState(this.typist.store, this.typist.clientID);
    return Math.max(0, state - this.seen[1]!) + Math.max(0, state - this.seen[2]!);
  }

  get unacked(): number {
    return this.typed.length - this.ackedChars;
  }

  private closed = false;

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.sockets) s?.terminate();
    this.typist.destroy();
  }
}

function isStep2(inner: Uint8Array): boolean {
  const d = decoding.createDecoder(inner);
  return decoding.readVarUint(d) === MESSAGE.sync && decoding.readVarUint(d) === SYNC.step2;
}

export type LoadMeasurement = {
  stats: Stats;
  rooms: LoadRoom[];
  /** First connect → every client synced (both phases). */
  joinAllMs: number;
  /** Server RSS after every room had its first client (phase 1), and after the other two joined (phase 2). */
  roomsRssKb: number;
  connectionsRssKb: number;
  seconds: number;
  serverCpuSeconds: number;
  benchCpuSeconds: number;
  peakRssKb: number;
  endRssKb: number;
  /** End of typing → every reader has every keystroke (NaN when not within the deadline). */
  catchUpMs: number;
  behindAtEnd: number;
  unackedAtEnd: number;
};

/** Runs the load against one server process (`pid` for its CPU and RSS); the caller closes `rooms` when done. */
export async function runLoad(opts: {
  wire: Wire;
  rooms: readonly string[];
  seconds: number;
  pid: number;
  /** Called as the measured window opens and closes (the caller's own meters, e.g. PostgreSQL's CPU). */
  window?: { start(): void; end(): void };
  /** Default WARMUP_MS; shorter only in tests. */
  warmupMs?: number;
}): Promise<LoadMeasurement> {
  const { wire, seconds, pid } = opts;
  const stats = newStats();
  const rooms: LoadRoom[] = [];
  let peakRssKb = procStat(pid).rssKb;
  const rssSampler = setInterval(() => {
    peakRssKb = Math.max(peakRssKb, procStat(pid).rssKb);
  }, 250);
  let running = false;
  try {
    // Two phases, so memory per room and per connection can be told apart: each room's typist first (the server
    // loads every room), then the two readers of every room (connections only).
    const joinStart = performance.now();
    for (const room of opts.rooms) rooms.push(new LoadRoom(room, wire, stats));
    const join = async (ks: number[]) => {
      const step = Math.max(1, Math.floor(CONNECT_BATCH / ks.length));
      for (let i = 0; i < rooms.length; i += step) await Promise.all(rooms.slice(i, i + step).map((r) => r.connect(ks)));
    };
    await join([0]);
    const roomsRssKb = procStat(pid).rssKb;
    await join([1, 2]);
    const connectionsRssKb = procStat(pid).rssKb;
    const joinAllMs = performance.now() - joinStart;

    // One scheduler for every client, phases spread evenly, so the load is steady rather than in waves.
    running = true;
    const t0 = performance.now();
    const typeDue = rooms.map((_, i) => t0 + (i / rooms.length) * TYPE_INTERVAL_MS);
    const cursorDue = rooms.flatMap((_, i) => [0, 1, 2].map((k) => t0 + ((i * 3 + k) / (rooms.length * 3)) * CURSOR_INTERVAL_MS));
    const tick = () => {
      if (!running) return;
      const now = performance.now();
      for (let i = 0; i < rooms.length; i++) {
        if (now >= typeDue[i]!) {
          rooms[i]!.type();
          typeDue[i]! += TYPE_INTERVAL_MS;
        }
        for (let k = 0; k < 3; k++) {
          const j = i * 3 + k;
          if (now >= cursorDue[j]!) {
            rooms[i]!.cursor(k);
            cursorDue[j]! += CURSOR_INTERVAL_MS;
          }
        }
      }
      setTimeout(tick, 5);
    };
    tick();

    await sleep(opts.warmupMs ?? WARMUP_MS);
    stats.measuring = true;
    opts.window?.start();
    const startStat = procStat(pid);
    const startAt = performance.now();
    const benchCpuStart = process.cpuUsage();
    await sleep(seconds * 1000);
    stats.measuring = false;
    const elapsed = (performance.now() - startAt) / 1000;
    const endStat = procStat(pid);
    const benchCpu = process.cpuUsage(benchCpuStart);
    opts.window?.end();
    running = false;

    const stoppedAt = performance.now();
    const catchUpDeadline = stoppedAt + 10_000;
    while (rooms.some((r) => r.behind > 0) && performance.now() < catchUpDeadline) await sleep(20);
    const behindAtEnd = rooms.reduce((n, r) => n + r.behind, 0);
    const catchUpMs = behindAtEnd === 0 ? performance.now() - stoppedAt : NaN;
    if (wire.acks) {
      const ackDeadline = performance.now() + 15_000;
      while (rooms.some((r) => r.unacked > 0) && performance.now() < ackDeadline) await sleep(100);
    }
    return {
      stats,
      rooms,
      joinAllMs,
      roomsRssKb,
      connectionsRssKb,
      seconds: elapsed,
      serverCpuSeconds: (endStat.cpuTicks - startStat.cpuTicks) / 100,
      benchCpuSeconds: (benchCpu.user + benchCpu.system) / 1e6,
      peakRssKb,
      endRssKb: endStat.rssKb,
      catchUpMs,
      behindAtEnd,
      unackedAtEnd: wire.acks ? rooms.reduce((n, r) => n + r.unacked, 0) : 0,
    };
  } catch (err) {
    for (const r of rooms) r.close();
    throw err;
  } finally {
    running = false;
    clearInterval(rssSampler);
  }
}
