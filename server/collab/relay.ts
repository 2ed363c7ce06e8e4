import { randomUUID } from "node:crypto";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { newRedis, type Redis } from "../cluster/redisClient";

/** What processes serving the same room tell each other. */
export type RelayMessage =
  /** `seq`: the update's place in its origin's write queue, which the origin's "committed" notices refer to. */
  | { kind: "update"; update: Uint8Array; seq: number }
  | { kind: "awareness"; update: Uint8Array }
  /** A process that just loaded the room asks peers for what it lacks (their not-yet-persisted updates). */
  | { kind: "syncRequest"; stateVector: Uint8Array }
  | { kind: "syncReply"; to: string; update: Uint8Array; awareness: Uint8Array }
  /** Permissions of the room's task changed: re-check local connections. */
  | { kind: "revalidate" };

export type RelayHandler = (msg: RelayMessage, from: string) => void;
/** A peer committed every update it published up to `upTo` (peerWrites.ts). */
export type CommittedHandler = (from: string, upTo: number) => void;

/** Pub/sub between processes, per room, plus one process-wide notice: how far each process has committed. */
export interface Relay {
  readonly processId: string;
  subscribe(room: string, handler: RelayHandler): Promise<void>;
  unsubscribe(room: string): Promise<void>;
  publish(room: string, msg: RelayMessage): void;
  /** Tells every peer that this process committed every update it published up to `upTo`. */
  publishCommitted(upTo: number): void;
  onCommitted(handler: CommittedHandler): void;
  close(): Promise<void>;
}

/** The no-op relay of a single process: no peers. */
export class LocalRelay implements Relay {
  readonly processId = randomUUID();
  async subscribe(): Promise<void> {}
  async unsubscribe(): Promise<void> {}
  publish(): void {}
  publishCommitted(): void {}
  onCommitted(): void {}
  async close(): Promise<void> {}
}

const SUBSCRIBE_TIMEOUT_MS = 2_000;

const KIND = { update: 0, awareness: 1, syncRequest: 2, syncReply: 3, revalidate: 4 } as const;
/** The process-wide commit notice travels on a channel of its own, with this kind byte. */
const COMMITTED_KIND = 5;

export function encodeRelayMessage(from: string, msg: RelayMessage): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, KIND[msg.kind]);
  encoding.writeVarString(e, from);
  switch (msg.kind) {
    case "update":
      encoding.writeVarUint(e, msg.seq);
      encoding.writeVarUint8Array(e, msg.update);
      break;
    case "awareness":
      encoding.writeVarUint8Array(e, msg.update);
      break;
    case "syncRequest":
      encoding.writeVarUint8Array(e, msg.stateVector);
      break;
    case "syncReply":
      encoding.writeVarString(e, msg.to);
      encoding.writeVarUint8Array(e, msg.update);
      encoding.writeVarUint8Array(e, msg.awareness);
      break;
    case "revalidate":
      break;
  }
  return encoding.toUint8Array(e);
}

export function decodeRelayMessage(data: Uint8Array): { from: string; msg: RelayMessage } {
  const d = decoding.createDecoder(data);
  const kind = decoding.readVarUint(d);
  const from = decoding.readVarString(d);
  switch (kind) {
    case KIND.update: {
      const seq = decoding.readVarUint(d);
      return { from, msg: { kind: "update", seq, update: decoding.readVarUint8Array(d) } };
    }
    case KIND.awareness:
      return { from, msg: { kind: "awareness", update: decoding.readVarUint8Array(d) } };
    case KIND.syncRequest:
      return { from, msg: { kind: "syncRequest", stateVector: decoding.readVarUint8Array(d) } };
    case KIND.syncReply: {
      const to = decoding.readVarString(d);
      const update = decoding.readVarUint8Array(d);
      return { from, msg: { kind: "syncReply", to, update, awareness: decoding.readVarUint8Array(d) } };
    }
    case KIND.revalidate:
      return { from, msg: { kind: "revalidate" } };
    default:
      throw new Error(`unknown relay message kind ${kind}`);
  }
}

export function encodeCommitted(from: string, upTo: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, COMMITTED_KIND);
  encoding.writeVarString(e, from);
  encoding.writeVarUint(e, upTo);
  return encoding.toUint8Array(e);
}

export function decodeCommitted(data: Uint8Array): { from: string; upTo: number } {
  const d = decoding.createDecoder(data);
  const kind = decoding.readVarUint(d);
  if (kind !== COMMITTED_KIND) throw new Error(`expected a commit notice, got kind ${kind}`);
  const from = decoding.readVarString(d);
  return { from, upTo: decoding.readVarUint(d) };
}

/**
 * Redis pub/sub, one channel per room and one for commit notices. Messages carry the sender's process id so a process ignores its own echo.
 * Pub/sub is fire-and-forget: durability never depends on it (every update is in PostgreSQL before it is
 * acknowledged, and a process loading a room reads the database and then asks peers for the rest).
 */
export class RedisRelay implements Relay {
  readonly processId = randomUUID();
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers = new Map<string, RelayHandler>();
  private committedHandler: CommittedHandler | undefined;
  /** Not a room channel: room names never start with "!". */
  private readonly commitsChannel: string;

  constructor(
    url: string,
    private readonly onError: (err: unknown) => void,
    private readonly prefix = "chai:collab:",
  ) {
    this.commitsChannel = `${prefix}!committed`;
    this.pub = newRedis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
    this.sub = newRedis(url, { lazyConnect: false });
    this.pub.on("error", onError);
    this.sub.on("error", onError);
    this.sub.subscribe(this.commitsChannel).catch(onError);
    this.sub.on("messageBuffer", (channel: Buffer, message: Buffer) => {
      const data = new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
      const name = channel.toString("utf8");
      if (name === this.commitsChannel) return this.receiveCommitted(data);
      const handler = this.handlers.get(name.slice(this.prefix.length));
      if (!handler) return;
      const decoded = this.decodeOrReport(decodeRelayMessage, data);
      if (!decoded) return;
      if (decoded.from === this.processId) return;
      if (decoded.msg.kind === "syncReply" && decoded.msg.to !== this.processId) return;
      handler(decoded.msg, decoded.from);
    });
  }

  async subscribe(room: string, handler: RelayHandler): Promise<void> {
    this.handlers.set(room, handler);
    // With Redis unreachable the room still opens (served by this process alone) rather than hanging the join.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), SUBSCRIBE_TIMEOUT_MS)));
    const outcome = await Promise.race([this.sub.subscribe(this.prefix + room).catch((err: unknown) => err), timeout]);
    clearTimeout(timer);
    if (outcome === "timeout") this.onError(new Error(`subscribing to ${room} timed out; serving it without relay`));
    else if (outcome instanceof Error) this.onError(outcome);
  }

  async unsubscribe(room: string): Promise<void> {
    this.handlers.delete(room);
    await this.sub.unsubscribe(this.prefix + room);
  }

  publish(room: string, msg: RelayMessage): void {
    this.pub.publish(this.prefix + room, Buffer.from(encodeRelayMessage(this.processId, msg))).catch(this.onError);
  }

  /** On the same connection as the room messages, so a peer reads the notice after the updates it covers. */
  publishCommitted(upTo: number): void {
    this.pub.publish(this.commitsChannel, Buffer.from(encodeCommitted(this.processId, upTo))).catch(this.onError);
  }

  onCommitted(handler: CommittedHandler): void {
    this.committedHandler = handler;
  }

  private receiveCommitted(data: Uint8Array): void {
    const notice = this.decodeOrReport(decodeCommitted, data);
    if (notice && notice.from !== this.processId) this.committedHandler?.(notice.from, notice.upTo);
  }

  /** A message that does not decode is reported and dropped; the channel goes on. */
  private decodeOrReport<T>(decode: (data: Uint8Array) => T, data: Uint8Array): T | null {
    try {
      return decode(data);
    } catch (err) {
      this.onError(err);
      return null;
    }
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
  }
}
