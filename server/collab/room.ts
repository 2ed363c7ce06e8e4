import * as Y from "yjs";
import type { TaskRelation } from "../../shared/api/tasks";
import type { SessionUser } from "../auth/sessionUser";
import type { AwarenessEntry } from "../../shared/collab/protocol";
import { PeerWrites } from "./peerWrites";
import { PresenceStore } from "./presenceStore";
import { WriteGate } from "./writeGate";
import { longLivedDoc } from "./longLivedDoc";

/** What the room knows of a local participant: enough to fan out to them and to tell who is here. */
export interface RoomMember {
  readonly user: SessionUser;
  readonly relation: TaskRelation;
  /** Awareness client ids this member has claimed. */
  readonly clientIds: ReadonlySet<number>;
  send(data: Uint8Array): void;
}

/** Someone connected to a room on this process. */
export type Participant = { user: SessionUser; relation: TaskRelation };

/**
 * One loaded room: its document, presence and local members, plus the bookkeeping that decides when it may be
 * unloaded (holds, unpersisted updates) and compacted (log tail size). It knows nothing of sockets or storage.
 */
export class Room<M extends RoomMember = RoomMember> {
  /** The room name as the guid: Yjs would otherwise draw a random uuid (31 random reads) for every room opened. */
  readonly doc: Y.Doc;
  /** Judges every client update before it reaches the document (writeGate.ts). */
  readonly gate: WriteGate;
  /** Presence (awareness states as JSON text; presenceStore.ts). The server has none of its own. */
  readonly awareness = new PresenceStore();
  private readonly members = new Set<M>();
  /** Client ids seen in presence relayed from peer processes: local members may not claim them. */
  readonly remoteClientIds = new Set<number>();
  /**
   * Who first claimed each awareness client id, for the room's lifetime: a client id is theirs alone (their reconnect
   * may take it back; nobody else may, even after they left), so no one can take over another person's presence.
   */
  readonly clientIdOwners = new Map<number, string>();
  /** Connections, joins in progress and server-side edits keep a room loaded. */
  holds = 0;
  /** Updates queued for the log but not committed yet; a room with any is never unloaded. */
  unpersisted = 0;
  /** Bytes of those updates, for the bound on the write queue. */
  unpersistedBytes = 0;
  /** Updates relayed from peers and not yet known to be in the log (peerWrites.ts); a room with any stays loaded. */
  readonly peerWrites = new PeerWrites();
  /** Bytes of snapshot + log, kept current as updates are queued and compactions finish. */
  storedBytes: number;
  tailUpdates: number;
  tailBytes: number;
  unloadTimer: NodeJS.Timeout | undefined;
  /**
   * While a member's stamped awareness update is applied: those bytes, which the room's awareness listener sends on
   * as they are instead of encoding the changed states again (entries Yjs skips as stale are skipped by every
   * receiver too).
   */
  applyingAwareness: Uint8Array | null = null;

  constructor(
    readonly name: string,
    init: { storedBytes: number; tailUpdates: number; tailBytes: number },
  ) {
    this.doc = longLivedDoc({ guid: name });
    this.gate = new WriteGate(this.doc);
    this.storedBytes = init.storedBytes;
    this.tailUpdates = init.tailUpdates;
    this.tailBytes = init.tailBytes;
  }

  join(member: M): void {
    this.members.add(member);
  }

  /** False when the member was not here. */
  leave(member: M): boolean {
    return this.members.delete(member);
  }

  get memberCount(): number {
    return this.members.size;
  }

  /** The local members (a copy: callers may close them while iterating). */
  memberList(): M[] {
    return [...this.members];
  }

  participants(): Participant[] {
    return this.memberList().map((m) => ({ user: m.user, relation: m.relation }));
  }

  /** Sends a message to every local member but one (the sender); returns how many it was sent to. */
  broadcast(data: Uint8Array, except: unknown): number {
    let sent = 0;
    for (const m of this.members) {
      if (m === except) continue;
      m.send(data);
      sent++;
    }
    return sent;
  }

  /**
   * Whether a member may claim a client id: not the server's, not one someone else ever claimed in this room (here or
   * on a peer process), and not one held right now by another connection of a different person.
   */
  mayClaimClientId(member: M, clientId: number): boolean {
    if (clientId === this.doc.clientID) return false;
    const owner = this.clientIdOwners.get(clientId);
    if (owner !== undefined) return owner === member.user.id;
    if (this.remoteClientIds.has(clientId)) return false;
    for (const other of this.members) if (other !== member && other.clientIds.has(clientId)) return false;
    return true;
  }

  /** Records a claimed client id's owner (the first claim wins for the room's lifetime). */
  claimClientId(clientId: number, userId: string): void {
    if (!this.clientIdOwners.has(clientId)) this.clientIdOwners.set(clientId, userId);
  }

  /** Applies a member's stamped awareness entries (awarenessStamp.ts); `update` (their encoding) is what fans out. */
  applyMemberAwareness(entries: readonly AwarenessEntry[], update: Uint8Array, member: M): void {
    this.applyingAwareness = update;
    try {
      this.awareness.apply(entries, member);
    } finally {
      this.applyingAwareness = null;
    }
  }

  /** Client ids of local members that have presence now (what a peer process asks for). */
  localPresenceIds(): number[] {
    return this.memberList().flatMap((m) => [...m.clientIds]).filter((id) => this.awareness.has(id));
  }

  destroy(): void {
    clearTimeout(this.unloadTimer);
    this.gate.destroy();
    this.awareness.destroy();
    this.doc.destroy();
  }
}
