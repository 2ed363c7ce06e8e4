import { randomBytes } from "node:crypto";
import * as Y from "yjs";
import type { TaskAbilities } from "../../shared/api/abilities";
import type { TaskRelation } from "../../shared/api/tasks";
import type { Stage } from "../../shared/domain/stages";
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
import { revertOf, type GateVerdict } from "./writeGate";
import type { LogFields } from "../observability/logger";
import { updatesReceivedAs, updatesRefused } from "../observability/metrics";

/** What a connection needs from the registry; kept narrow so the session can be read on its own. */
export interface ConnectionHost {
  readonly limits: CollabLimits;
  /** Highest write sequence handed out so far. */
  lastWriteSeq(): number;
  /** Send SAVED(n) to the connection once every write up to `seq` is committed. */
  ackWhenCommitted(conn: CollabConnection, n: number, seq: number): void;
  /** Whether the room's queue of unwritten updates is past its bound (the database is not taking writes). */
  writeQueueFull(room: Room<CollabConnection>, bytes: number): boolean;
  log(level: "error" | "info" | "debug", msg: string, fields?: LogFields): void;
}

export type ConnectionGrant = RoomGrant & { user: SessionUser; wantsAcks: boolean };

/**
 * One client in one room, over a CollabSocket: answers the y-websocket protocol (frames from shared/collab/protocol),
 * has every update judged by the room's write gate (which fields this person may write now, the document's
 * structure, identities) before it is applied, enforces the rate limit, stamps presence, and sends our own frames
 * (SAVED, REFUSED, ABILITIES) when the client asked for them. Any decoding error closes this connection only.
 */
export class CollabConnection implements RoomMember {
  /** Names this connection in the log (with the room id), so its join, refusals and leave can be followed. */
  readonly id = randomBytes(6).toString("base64url");
  readonly user: SessionUser;
  readonly relation: TaskRelation;
  readonly writable: boolean;
  readonly wantsAcks: boolean;
  readonly presence: PresenceUser;
  /** Awareness client ids this connection has claimed. */
  readonly clientIds = new Set<number>();
  /** The presence identity as JSON, stamped into every awareness state this connection sends. */
  private readonly presenceJson: string;
  /** What this person may do now; refreshed when the task changes without changing their room rights. */
  private abilities: TaskAbilities;
  private stage: Stage;
  /** Document messages (sync step 2 / update) received, numbered from 1 for SAVED/REFUSED. */
  private documentMessages = 0;
  /** Document messages waiting for what they build on (see handleUpdate), oldest first. */
  private held: Uint8Array[] = [];
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
    this.stage = grant.stage;
    this.wantsAcks = grant.wantsAcks;
    this.presence = presence;
    this.presenceJson = JSON.stringify(presence);
    this.flood = new FloodGuard(host.limits);
  }

  /** First messages: our state vector (the client answers with what we lack), presence, and the person's abilities. */
  greet(): void {
    this.sendFrame({ type: "syncStep1", stateVector: Y.encodeStateVector(this.room.doc) });
    if (this.room.awareness.size > 0) this.sendAwareness(this.room.awareness.clientIds());
    this.sendAbilities(this.abilities, this.stage);
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

  /** Pushes the task's (fresh) stage and this person's abilities to a client that asked for our frames. */
  sendAbilities(abilities: TaskAbilities, stage: Stage): void {
    this.abilities = abilities;
    this.stage = stage;
    if (this.wantsAcks) this.sendFrame({ type: "abilities", abilities, stage });
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
      this.host.log("info", `collab: closing ${this.user.id} in ${this.room.name}: ${err instanceof Error ? err.message : String(err)}`, this.logFields());
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
    this.sendFrame({ type: "awareness", update: this.room.awareness.encode(clients) });
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
        return this.sendAwareness(this.room.awareness.clientIds());
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
    // Updates held for missing dependencies travel with this one: a reconnecting client may send an edit before its
    // sync step 2 brings what the edit builds on. Held bytes count against the document bound; none is ever SAVED
    // until it is applied and stored (SAVED(n) covers every message up to n, so nothing after a held one is either).
    const held = this.held;
    const heldBytes = held.reduce((sum, u) => sum + u.length, 0);
    if (this.room.storedBytes + heldBytes + update.length > this.host.limits.maxDocumentBytes) {
      this.held = [];
      this.refuse(n, "document_too_large");
      this.noteRefused(n, "document_too_large");
      this.close(CLOSE.DOCUMENT_TOO_LARGE);
      return;
    }
    const candidate = held.length > 0 ? Y.mergeUpdates([...held, update]) : update;
    // The rights of this moment: abilities follow every stage change (revalidation pushes fresh ones).
    const verdict = this.room.gate.check(candidate, { userId: this.user.id, roomWrites: this.abilities.roomWrites });
    if (!verdict.ok && verdict.reason === "missing_dependencies" && heldBytes + update.length <= this.host.limits.maxHeldBytes) {
      this.held = [...held, update];
      updatesReceivedAs.held.inc();
      return;
    }
    this.held = [];
    if (!verdict.ok) return this.refuseUpdate(n, candidate, verdict);
    if (verdict.changes) {
      if (this.host.writeQueueFull(this.room, candidate.length)) {
        this.room.gate.discard();
        // Transient: the stock client reconnects with backoff and resends what we lack once writes are taken again.
        this.refuse(n, "storage_unavailable");
        this.noteRefused(n, "storage_unavailable");
        this.close(CLOSE.ROOM_UNAVAILABLE);
        return;
      }
      this.room.gate.commit(() => Y.applyUpdate(this.room.doc, candidate, this));
    }
    (verdict.changes ? updatesReceivedAs.applied : updatesReceivedAs.unchanged).inc();
    // Whatever this message changed was queued above; a message that changed nothing (already known content) is
    // saved once everything queued before it is.
    this.host.ackWhenCommitted(this, n, this.host.lastWriteSeq());
  }

  /**
   * A refused update: nothing of it was applied, stored or sent to anyone. The sender is told why (REFUSED), and its
   * copy is brought back in line: the items it added are deleted on its side. Its later edits would build on what
   * the room never took, so a connection that may write (or that deleted existing content, which cannot be undone
   * on its side) is closed with a permanent code: the client reloads the room. A read-only one stays, for presence.
   */
  private refuseUpdate(n: number, update: Uint8Array, verdict: Extract<GateVerdict, { ok: false }>): void {
    this.noteRefused(n, verdict.reason, verdict.detail);
    this.refuse(n, verdict.reason);
    const revert = revertOf(update, this.room.doc);
    if (revert) this.sendFrame({ type: "syncUpdate", update: revert });
    if (this.abilities.roomWrites.length > 0 || verdict.deletedExisting) this.close(CLOSE.UPDATE_REFUSED);
  }

  /** Room, connection and user ids for a log line about this connection. */
  logFields(): LogFields {
    return { room: this.room.name, conn: this.id, userId: this.user.id };
  }

  /** A refused update, counted and logged (the reason and the validator's words, never the update's content). */
  private noteRefused(n: number, reason: RefusalReason, detail?: string): void {
    updatesReceivedAs.refused.inc();
    updatesRefused.inc({ reason });
    const why = detail === undefined ? reason : `${reason} (${detail.slice(0, 300)})`;
    this.host.log("info", `collab: refused update ${n} of ${this.user.id} in ${this.room.name}: ${why}`, { ...this.logFields(), reason });
  }

  private refuse(n: number, reason: RefusalReason): void {
    if (this.wantsAcks) this.sendFrame({ type: "refused", messageNumber: n, reason });
  }

  private handleAwareness(update: Uint8Array): void {
    const limits = this.host.limits;
    const stamped = stampAwarenessUpdate(update, {
      user: this.presence,
      userJson: this.presenceJson,
      owned: this.clientIds,
      maxStateBytes: limits.maxAwarenessStateBytes,
      maxClientIds: limits.maxClientIdsPerConnection,
      maxNewClientIds: limits.maxNewClientIdsPerMessage,
      mayClaim: (id) => this.room.mayClaimClientId(this, id),
    });
    if (!stamped.update) return;
    for (const id of stamped.clientIds) {
      this.clientIds.add(id);
      this.room.claimClientId(id, this.user.id);
    }
    this.room.applyMemberAwareness(stamped.entries, stamped.update, this);
  }
}
