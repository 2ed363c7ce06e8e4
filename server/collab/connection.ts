import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { WebSocket } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { TaskRelation } from "../../shared/api/tasks";
import { CLOSE, CLOSE_REASONS, type CloseCode } from "../../shared/collab/closeCodes";
import type { CollabLimits } from "../../shared/collab/limits";
import type { PresenceUser } from "../../shared/collab/presence";
import { encodeRefused, encodeSaved, MESSAGE, SYNC, type RefusalReason } from "../../shared/collab/protocol";
import type { SessionUser } from "../context";
import { stampAwarenessUpdate } from "./awarenessStamp";
import type { Room } from "./room";
import { TokenBucket } from "./tokenBucket";

/** What a connection needs from the registry; kept narrow so the protocol can be read on its own. */
export interface ConnectionHost {
  readonly limits: CollabLimits;
  /** Highest write sequence handed out so far. */
  lastWriteSeq(): number;
  /** Send SAVED(n) to the connection once every write up to `seq` is committed. */
  ackWhenCommitted(conn: CollabConnection, n: number, seq: number): void;
  /** Whether a client id is in use by another connection of the room (here or on a peer process). */
  clientIdTaken(room: Room, conn: CollabConnection, clientId: number): boolean;
  log(level: "error" | "info" | "debug", msg: string): void;
}

export type ConnectionGrant = { user: SessionUser; relation: TaskRelation; writable: boolean; wantsAcks: boolean };

/**
 * One client socket in one room: decodes the y-websocket protocol, enforces write permission and rate limits, and
 * stamps presence. Any decoding error closes this connection only.
 */
export class CollabConnection {
  readonly user: SessionUser;
  readonly relation: TaskRelation;
  readonly writable: boolean;
  readonly wantsAcks: boolean;
  readonly presence: PresenceUser;
  /** Awareness client ids this connection has claimed. */
  readonly clientIds = new Set<number>();
  /** Document messages (sync step 2 / update) received, numbered from 1 for SAVED/REFUSED. */
  private documentMessages = 0;
  private lastSavedSent = 0;
  private readonly bucket: TokenBucket;
  private resumeTimer: NodeJS.Timeout | undefined;
  closed = false;

  constructor(
    readonly ws: WebSocket,
    readonly room: Room,
    grant: ConnectionGrant,
    presence: PresenceUser,
    private readonly host: ConnectionHost,
  ) {
    this.user = grant.user;
    this.relation = grant.relation;
    this.writable = grant.writable;
    this.wantsAcks = grant.wantsAcks;
    this.presence = presence;
    this.bucket = new TokenBucket(host.limits.messagesPerSecond, host.limits.messageBurst);
  }

  /** First messages on a new connection: our state vector (the client answers with what we lack) and presence. */
  greet(): void {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE.sync);
    encoding.writeVarUint(e, SYNC.step1);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(this.room.doc));
    this.send(encoding.toUint8Array(e));
    const states = this.room.awareness.getStates();
    if (states.size > 0) this.send(awarenessMessage(this.room.awareness, [...states.keys()]));
  }

  send(data: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    // No per-send callback: a failed write surfaces as the socket's error/close event, which detaches us.
    this.ws.send(data, { binary: true });
  }

  sendSaved(n: number): void {
    if (!this.wantsAcks || n <= this.lastSavedSent) return;
    this.lastSavedSent = n;
    this.send(encodeSaved(n));
  }

  close(code: CloseCode): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.resumeTimer);
    try {
      // A socket paused by the rate limit could not read the peer's close frame: the handshake would hang.
      if (this.ws.isPaused) this.ws.resume();
      this.ws.close(code, CLOSE_REASONS[code]);
    } catch {
      this.ws.terminate();
    }
  }

  /** Entry point for every frame. */
  receive(data: Uint8Array, isBinary: boolean): void {
    if (this.closed) return;
    if (!this.admit()) return;
    try {
      if (!isBinary) throw new Error("text frame");
      this.handle(data);
    } catch (err) {
      this.host.log("info", `collab: closing ${this.user.id} in ${this.room.name}: ${err instanceof Error ? err.message : String(err)}`);
      this.close(CLOSE.MALFORMED_MESSAGE);
    }
  }

  /** Token bucket: a short burst is fine, a sustained flood is slowed by pausing the socket, then cut off. */
  private admit(): boolean {
    const balance = this.bucket.take();
    if (balance >= 0) return true;
    if (-balance > this.host.limits.maxMessageDebt) {
      this.close(CLOSE.RATE_LIMITED);
      return false;
    }
    if (!this.ws.isPaused) {
      this.ws.pause();
      this.resumeTimer = setTimeout(() => {
        if (!this.closed) this.ws.resume();
      }, this.bucket.msUntilClear());
    }
    return true;
  }

  private handle(data: Uint8Array): void {
    const d = decoding.createDecoder(data);
    const type = decoding.readVarUint(d);
    switch (type) {
      case MESSAGE.sync:
        return this.handleSync(d);
      case MESSAGE.awareness:
        return this.handleAwareness(decoding.readVarUint8Array(d));
      case MESSAGE.queryAwareness:
        this.send(awarenessMessage(this.room.awareness, [...this.room.awareness.getStates().keys()]));
        return;
      case MESSAGE.auth:
        // The stock client never sends auth messages; authority comes from the cookie at upgrade.
        return;
      default:
        throw new Error(`unknown message type ${type}`);
    }
  }

  private handleSync(d: decoding.Decoder): void {
    const sub = decoding.readVarUint(d);
    if (sub === SYNC.step1) {
      const stateVector = decoding.readVarUint8Array(d);
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MESSAGE.sync);
      encoding.writeVarUint(e, SYNC.step2);
      encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(this.room.doc, stateVector));
      this.send(encoding.toUint8Array(e));
      return;
    }
    if (sub !== SYNC.step2 && sub !== SYNC.update) throw new Error(`unknown sync message ${sub}`);
    const update = decoding.readVarUint8Array(d);
    const n = ++this.documentMessages;
    if (!this.writable) return this.refuse(n, "read_only");
    if (this.room.storedBytes + update.length > this.host.limits.maxDocumentBytes) {
      this.refuse(n, "document_too_large");
      this.close(CLOSE.DOCUMENT_TOO_LARGE);
      return;
    }
    Y.applyUpdate(this.room.doc, update, this);
    // Whatever this message changed was queued above; a message that changed nothing (already known content) is
    // saved once everything queued before it is.
    this.host.ackWhenCommitted(this, n, this.host.lastWriteSeq());
  }

  private refuse(n: number, reason: RefusalReason): void {
    if (this.wantsAcks) this.send(encodeRefused(n, reason));
  }

  private handleAwareness(update: Uint8Array): void {
    const stamped = stampAwarenessUpdate(update, {
      user: this.presence,
      maxStateBytes: this.host.limits.maxAwarenessStateBytes,
      mayClaim: (id) => this.clientIds.has(id) || !this.host.clientIdTaken(this.room, this, id),
    });
    if (!stamped.update) return;
    for (const id of stamped.clientIds) this.clientIds.add(id);
    awarenessProtocol.applyAwarenessUpdate(this.room.awareness, stamped.update, this);
  }
}

export function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  return awarenessMessageFromUpdate(awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
}

export function awarenessMessageFromUpdate(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE.awareness);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

export function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE.sync);
  encoding.writeVarUint(e, SYNC.update);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}
