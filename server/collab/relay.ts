import { randomUUID } from "node:crypto";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { newRedis, type Redis } from "../cluster/redisClient";

/** What processes serving the same room tell each other. */
export type RelayMessage =
  | { kind: "update"; update: Uint8Array }
  | { kind: "awareness"; update: Uint8Array }
  /** A process that just loaded the room asks peers for what it lacks (their not-yet-persisted updates). */
  | { kind: "syncRequest"; stateVector: Uint8Array }
  | { kind: "syncReply"; to: string; update: Uint8Array; awareness: Uint8Array }
  /** Permissions of the room's task changed: re-check local connections. */
  | { kind: "revalidate" };

export type RelayHandler = (msg: RelayMessage, from: string) => void;

/** Pub/sub between processes, per room. The no-op relay serves a single process. */
export interface Relay {
  readonly processId: string;
  subscribe(room: string, handler: RelayHandler): Promise<void>;
  unsubscribe(room: string): Promise<void>;
  publish(room: string, msg: RelayMessage): void;
  close(): Promise<void>;
}

export class LocalRelay implements Relay {
  readonly processId = randomUUID();
  async subscribe(): Promise<void> {}
  async unsubscribe(): Promise<void> {}
  publish(): void {}
  async close(): Promise<void> {}
}

const SUBSCRIBE_TIMEOUT_MS = 2_000;

const KIND = { update: 0, awareness: 1, syncRequest: 2, syncReply: 3, revalidate: 4 } as const;

export function encodeRelayMessage(from: string, msg: RelayMessage): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, KIND[msg.kind]);
  encoding.writeVarString(e, from);
  switch (msg.kind) {
    case "update":
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
    case KIND.update:
      return { from, msg: { kind: "update", update: decoding.readVarUint8Array(d) } };
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

/**
 * Redis pub/sub, one channel per room. Messages carry the sender's process id so a process ignores its own echo.
 * Pub/sub is fire-and-forget: durability never depends on it (every update is in PostgreSQL before it is
 * acknowledged, and a process loading a room reads the database and then asks peers for the rest).
 */
export class RedisRelay implements Relay {
  readonly processId = randomUUID();
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers = new Map<string, RelayHandler>();

  constructor(
    url: string,
    private readonly onError: (err: unknown) => void,
    private readonly prefix = "chai:collab:",
  ) {
    this.pub = newRedis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
    this.sub = newRedis(url, { lazyConnect: false });
    this.pub.on("error", onError);
    this.sub.on("error", onError);
    this.sub.on("messageBuffer", (channel: Buffer, message: Buffer) => {
      const room = channel.toString("utf8").slice(this.prefix.length);
      const handler = this.handlers.get(room);
      if (!handler) return;
      let decoded: ReturnType<typeof decodeRelayMessage>;
      try {
        decoded = decodeRelayMessage(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
      } catch (err) {
        this.onError(err);
        return;
      }
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

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
  }
}
