import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { TaskAbilities } from "../../shared/api/abilities";
import type { TaskRelation } from "../../shared/api/tasks";
import { CLOSE, type CloseCode } from "../../shared/collab/closeCodes";
import type { CollabLimits } from "../../shared/collab/limits";
import type { PresenceUser } from "../../shared/collab/presence";
import { decodeFrame, encodeFrame, type Frame, type RefusalReason } from "../../shared/collab/protocol";
import type { SessionUser } from "../auth/sessionUser";
import { stampAwarenessUpdate } from "./awarenessStamp";
import { FloodGuard } from "./floodGuard";
import type { RoomGrant } from "./grant";
import type { Room, RoomMember } from "./room";
import type { CollabSocket } from "./socket";

/** What a connection needs from the registry; kept narrow so the session can be read on its own. */
export interface ConnectionHost {
  readonly limits: CollabLimits;
  /** Highest write sequence handed out so far. */
  lastWriteSeq(): number;
  /** Send SAVED(n) to the connection once every write up to `seq` is committed. */
  ackWhenCommitted(conn: CollabConnection, n: number, seq: number): void;
  log(level: "error" | "info" | "debug", msg: string): void;
}

export type ConnectionGrant = RoomGrant & { user: SessionUser; wantsAcks: boolean };

/**
 * One client in one room, over a CollabSocket: answers the y-websocket protocol (frames from shared/collab/protocol),
 * enforces write permission and the rate limit, stamps presence, and sends our own frames (SAVED, REFUSED,
 * ABILITIES) when the client asked for them. Any decoding error closes this connection only.
 */
export class CollabConnection implements RoomMember {
  readonly user: SessionUser;
  readonly relation: TaskRelation;
  readonly writable: boolean;
  readonly wantsAcks: boolean;
  readonly presence: PresenceUser;
  /** Awareness client ids this connection has claimed. */
  readonly clientIds = new Set<number>();
  /** What this person may do now; refreshed when the task changes without changing their room rights. */
  private abilities: TaskAbilities;
  /** Document messages (sync step 2 / update) received, numbered from 1 for SAVED/REFUSED. */
  private documentMessages = 0;
  private lastSavedSent = 0;
  private readonly flood: FloodGuard;
  closed = false;

  constructor(
    private readonly socket: CollabSocket,
    readonly room: Room<CollabConnection>,
    grant: ConnectionGrant,
    presence: PresenceUser,
    private readonly host: ConnectionHost,
  ) {
    this.user = grant.user;
    this.relation = grant.relation;
    this.writable = grant.writable;
    this.abilities = grant.abilities;
    this.wantsAcks = grant.wantsAcks;
    this.presence = presence;
    this.flood = new FloodGuard(host.limits);
  }

  /** First messages: our state vector (the client answers with what we lack), presence, and the person's abilities. */
  greet(): void {
    this.sendFrame({ type: "syncStep1", stateVector: Y.encodeStateVector(this.room.doc) });
    const states = this.room.awareness.getStates();
    if (states.size > 0) this.sendAwareness([...states.keys()]);
    this.sendAbilities(this.abilities);
  }

  send(data: Uint8Array): void {
    if (this.closed) return;
    this.socket.send(data);
  }

  sendSaved(n: number): void {
    if (!this.wantsAcks || n <= this.lastSavedSent) return;
    this.lastSavedSent = n;
    this.sendFrame({ type: "saved", upTo: n });
  }

  /** Pushes (fresh) abilities to a client that asked for our frames. */
  sendAbilities(abilities: TaskAbilities): void {
    this.abilities = abilities;
    if (this.wantsAcks) this.sendFrame({ type: "abilities", abilities });
  }

  close(code: CloseCode): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(code);
  }

  /** The socket ended (either side closed it). */
  socketClosed(): void {
    this.closed = true;
  }

  /** Entry point for every frame. */
  receive(data: Uint8Array, isBinary: boolean): void {
    if (this.closed) return;
    if (!this.admit()) return;
    try {
      if (!isBinary) throw new Error("text frame");
      this.handle(decodeFrame(data));
    } catch (err) {
      this.host.log("info", `collab: closing ${this.user.id} in ${this.room.name}: ${err instanceof Error ? err.message : String(err)}`);
      this.close(CLOSE.MALFORMED_MESSAGE);
    }
  }

  private admit(): boolean {
    const verdict = this.flood.admit();
    if (verdict.kind === "cut") {
      this.close(CLOSE.RATE_LIMITED);
      return false;
    }
    if (verdict.kind === "slow") this.socket.pauseFor(verdict.pauseMs);
    return true;
  }

  private sendFrame(frame: Frame): void {
    this.send(encodeFrame(frame));
  }

  private sendAwareness(clients: number[]): void {
    this.sendFrame({ type: "awareness", update: awarenessProtocol.encodeAwarenessUpdate(this.room.awareness, clients) });
  }

  private handle(frame: Frame): void {
    switch (frame.type) {
      case "syncStep1":
        return this.sendFrame({ type: "syncStep2", update: Y.encodeStateAsUpdate(this.room.doc, frame.stateVector) });
      case "syncStep2":
      case "syncUpdate":
        return this.handleUpdate(frame.update);
      case "awareness":
        return this.handleAwareness(frame.update);
      case "queryAwareness":
        return this.sendAwareness([...this.room.awareness.getStates().keys()]);
      case "auth":
        // The stock client never sends auth messages; authority comes from the cookie at upgrade.
        return;
      default:
        // Our own frames go from server to client only.
        throw new Error(`unexpected ${frame.type} message from a client`);
    }
  }

  private handleUpdate(update: Uint8Array): void {
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
    if (this.wantsAcks) this.sendFrame({ type: "refused", messageNumber: n, reason });
  }

  private handleAwareness(update: Uint8Array): void {
    const stamped = stampAwarenessUpdate(update, {
      user: this.presence,
      maxStateBytes: this.host.limits.maxAwarenessStateBytes,
      mayClaim: (id) => this.clientIds.has(id) || !this.room.clientIdTaken(this, id),
    });
    if (!stamped.update) return;
    for (const id of stamped.clientIds) this.clientIds.add(id);
    awarenessProtocol.applyAwarenessUpdate(this.room.awareness, stamped.update, this);
  }
}
