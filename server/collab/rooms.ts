import * as Y from "yjs";
import { CLOSE, type CloseCode } from "../../shared/collab/closeCodes";
import { COLLAB_LIMITS, COMPACTION_DEFAULTS, type CollabLimits } from "../../shared/collab/limits";
import { encodeFrame, taskRoom } from "../../shared/collab/protocol";
import type { CollabConnection, ConnectionHost } from "./connection";
import type { TaskAccessLookup } from "./grant";
import { LOAD_ORIGIN, PEER_SYNC_ORIGIN, RELAY_ORIGIN, SERVER_ORIGIN } from "./origins";
import { PeerCommits } from "./peerWrites";
import { applyPeerMessage } from "./peerSync";
import { RoomPersistence, type CollabStats, type Logger } from "./persistence";
import { LocalRelay, type Relay, type RelayMessage } from "./relay";
import { revalidateRoom } from "./revalidation";
import { Room, type Participant } from "./room";
import { describeError } from "./logSafe";
import { draftFragment } from "../../shared/room/layout";
import { repairDraft } from "../../shared/room/draftSchema";
import { validateRoomDoc } from "../../shared/room/validate";
import type { DocStorage } from "./storage";
import { roomLoads, roomUnloads, updatesRelayedTo } from "../observability/metrics";
import { LocalSlots, type ConnectionSlots } from "../cluster/connectionSlots";
import { LocalPresence, type PresenceEntry, type RoomPresence } from "../cluster/presence";
import type { RoomsSharing } from "../cluster/index";
import { LocalBus, type BusSubscription } from "../cluster/bus";
import { z } from "zod";

export type { Logger } from "./persistence";
export type { Participant } from "./room";

/** The bus topic of disconnected people; a close code from the bus must be one the server uses. */
const DISCONNECT_TOPIC = "collab-disconnect-user";
const CLOSE_CODES = new Set<number>(Object.values(CLOSE));
const DisconnectMessage = z.object({
  userId: z.string().min(1),
  code: z
    .number()
    .int()
    .refine((c): c is CloseCode => CLOSE_CODES.has(c)),
});

export type RoomsOptions = {
  storage: DocStorage;
  relay?: Relay;
  /** The task policy, for revalidation; without it (unit tests) revalidate does nothing locally. */
  access?: TaskAccessLookup;
  limits?: Partial<CollabLimits>;
  compaction?: { maxTailUpdates: number; maxTailBytes: number };
  /** Grace period after the last participant leaves before the room is dropped from memory. */
  unloadDelayMs?: number;
  writer?: { maxBatch?: number; minIntervalMs?: number; retryMs?: number; maxRetryMs?: number };
  log?: Logger;
};

export type LiveRoom = Room<CollabConnection>;

/**
 * Least time between two group commits (groupCommit.ts). 15 ms keeps a keystroke's SAVED well under the 100 ms a
 * person notices while a busy process writes one INSERT per 15 ms instead of one per round trip (bench:collab).
 */
const COMMIT_INTERVAL_MS = 15;

/**
 * Most updates in one group commit (PgStorage splits them into 5,000-row statements in one transaction). A saturated
 * process turns its event loop only a few times a second, and each commit round needs two turns: the batch must be
 * free to take everything queued meanwhile, or acknowledgements fall further behind every second (1,000 rooms on one
 * core: SAVED p99 19 s with 2,000).
 */
const MAX_COMMIT_BATCH = 20_000;

/**
 * The rooms registry of one process: loads a room on first use (concurrent loads share one promise), unloads it
 * after the last participant leaves once everything is persisted, and wires each room to the units around it —
 * persistence and acks (persistence.ts), the relay to peer processes (peerSync.ts), revalidation (revalidation.ts).
 * Updates fan out to local connections before they are committed and are acknowledged after. What must hold over
 * every process — the connection bounds, who is here, disconnecting a person — goes through the cluster's sharing
 * once it is given (share; server/cluster), this process's own until then.
 */
export class RoomRegistry implements ConnectionHost {
  readonly limits: CollabLimits;
  private readonly rooms = new Map<string, LiveRoom>();
  private readonly loading = new Map<string, Promise<LiveRoom>>();
  private readonly connsPerUser = new Map<string, number>();
  private readonly persistence: RoomPersistence;
  private readonly relay: Relay;
  private readonly peerCommits: PeerCommits<Room>;
  private readonly storage: DocStorage;
  private readonly unloadDelayMs: number;
  private closing = false;
  /** Connection slots, presence and the bus: this process's own until the cluster shares them (server/cluster). */
  private sharing: RoomsSharing;
  private disconnects: BusSubscription | undefined;
  readonly log: Logger;
  /** Counters for tests, the benchmark and health output. */
  readonly stats: CollabStats = { loads: 0, unloads: 0, compactions: 0, commits: 0, committedUpdates: 0, writeFailures: 0 };

  constructor(private readonly opts: RoomsOptions) {
    this.limits = { ...COLLAB_LIMITS, ...opts.limits };
    this.storage = opts.storage;
    this.relay = opts.relay ?? new LocalRelay();
    this.unloadDelayMs = opts.unloadDelayMs ?? 2_000;
    this.log = opts.log ?? (() => {});
    this.sharing = {
      slots: new LocalSlots(this.limits),
      presence: new LocalPresence(() => this.presenceHere()),
      bus: new LocalBus(),
      close: async () => {},
    };
    this.persistence = new RoomPersistence(this.storage, {
      compaction: opts.compaction ?? { ...COMPACTION_DEFAULTS },
      queue: { maxUpdatesPerRoom: this.limits.maxPendingUpdatesPerRoom, maxBytesPerRoom: this.limits.maxPendingBytesPerRoom },
      writer: {
        maxBatch: opts.writer?.maxBatch ?? MAX_COMMIT_BATCH,
        minIntervalMs: opts.writer?.minIntervalMs ?? COMMIT_INTERVAL_MS,
        retryMs: opts.writer?.retryMs ?? 50,
        maxRetryMs: opts.writer?.maxRetryMs ?? 5_000,
      },
      log: this.log,
      stats: this.stats,
      roomNamed: (name) => this.rooms.get(name),
      committedTo: (room, upTo) => {
        this.peerCommits.ownCommitted(room, upTo);
        this.maybeScheduleUnload(room);
      },
      committed: (upTo) => this.relay.publishCommitted(upTo),
    });
    this.peerCommits = new PeerCommits<Room>({
      peerWrites: (room) => room.peerWrites,
      persist: (room, update) => this.persistence.enqueue(room, update),
      settled: (room) => this.maybeScheduleUnload(room),
    });
    this.relay.onCommitted((from, upTo) => this.peerCommits.peerCommitted(from, upTo));
  }

  get processId(): string {
    return this.relay.processId;
  }

  /** Loaded rooms (tests, health). */
  loadedRooms(): string[] {
    return [...this.rooms.keys()];
  }

  isLoaded(room: string): boolean {
    return this.rooms.has(room);
  }

  /** Who is connected to a room on this process right now ([] when it is not loaded); never loads it. */
  participants(room: string): Participant[] {
    return this.rooms.get(room)?.participants() ?? [];
  }

  /**
   * Counts this registry's connections (and their bounds) and presence with peer processes from now on: called once,
   * by server/cluster's clusterFor, before the server takes joins. Closed with the rooms.
   */
  share(sharing: RoomsSharing): void {
    this.sharing = sharing;
    this.disconnects?.unsubscribe();
    // A person disconnected through another process (a deactivated account) leaves this process's rooms too.
    this.disconnects = sharing.bus.subscribe(DISCONNECT_TOPIC, (payload, from) => {
      // This process closed its own at once.
      if (from === sharing.bus.processId) return;
      const msg = DisconnectMessage.safeParse(payload);
      if (msg.success) this.closeUserHere(msg.data.userId, msg.data.code);
    });
  }

  /** Where joins take their slot: the per-user and per-room bounds, over every process when shared. */
  get slots(): ConnectionSlots {
    return this.sharing.slots;
  }

  /** Who is in which room, over every process when shared. */
  get presence(): RoomPresence {
    return this.sharing.presence;
  }

  /** Who is connected here, per room and person (what this process contributes to the shared presence). */
  presenceHere(): PresenceEntry[] {
    const entries: PresenceEntry[] = [];
    for (const [name, room] of this.rooms) {
      const byUser = new Map<string, PresenceEntry>();
      for (const { user } of room.participants()) {
        const seen = byUser.get(user.id);
        if (seen) seen.connections++;
        else byUser.set(user.id, { room: name, user: { id: user.id, name: user.displayName, role: user.role }, connections: 1 });
      }
      entries.push(...byUser.values());
    }
    return entries;
  }

  /** Local connections in a room (this process's part of the per-room bound, which slots enforce). */
  connectionCount(room: string): number {
    return this.rooms.get(room)?.memberCount ?? 0;
  }

  userConnectionCount(userId: string): number {
    return this.connsPerUser.get(userId) ?? 0;
  }

  /** Local connections, all rooms (metrics). */
  totalConnections(): number {
    let n = 0;
    for (const count of this.connsPerUser.values()) n += count;
    return n;
  }

  /** Updates queued for the log, all rooms. */
  get pendingWrites(): number {
    return this.persistence.pending;
  }

  /** Loads (or finds) a room and holds it loaded until release(). */
  async acquire(name: string): Promise<LiveRoom> {
    if (this.closing) throw new Error("collaboration server is shutting down");
    let room = this.rooms.get(name);
    if (!room) {
      let pending = this.loading.get(name);
      if (!pending) {
        pending = this.load(name).finally(() => this.loading.delete(name));
        this.loading.set(name, pending);
      }
      room = await pending;
    }
    room.holds++;
    clearTimeout(room.unloadTimer);
    room.unloadTimer = undefined;
    return room;
  }

  release(room: LiveRoom): void {
    room.holds--;
    this.maybeScheduleUnload(room);
  }

  /** Adds an accepted connection to its room (the caller holds the room during the call). */
  attach(conn: CollabConnection): void {
    const room = conn.room;
    room.holds++;
    room.join(conn);
    this.connsPerUser.set(conn.user.id, this.userConnectionCount(conn.user.id) + 1);
    this.sharing.presence.changed();
    this.log("info", "collab: join", { ...conn.logFields(), relation: conn.relation, writable: conn.writable, members: room.memberCount });
    conn.greet();
  }

  detach(conn: CollabConnection): void {
    const room = conn.room;
    if (!room.leave(conn)) return;
    const left = this.userConnectionCount(conn.user.id) - 1;
    if (left > 0) this.connsPerUser.set(conn.user.id, left);
    else this.connsPerUser.delete(conn.user.id);
    this.sharing.presence.changed();
    const ids = [...conn.clientIds].filter((id) => room.awareness.has(id));
    if (ids.length > 0 && !this.closing) room.awareness.remove(ids, conn);
    this.log("info", "collab: leave", { ...conn.logFields(), members: room.memberCount });
    this.release(room);
  }

  // ---- ConnectionHost

  lastWriteSeq(): number {
    return this.persistence.lastSeq;
  }

  ackWhenCommitted(conn: CollabConnection, n: number, seq: number): void {
    // The message may build on updates relayed from peers: SAVED waits until those are in the log too.
    const book = conn.room.peerWrites;
    if (book.size === 0) this.persistence.ackWhenCommitted(conn, n, seq); // no closure per message with no peers
    else book.whenConfirmed(book.mark, () => this.persistence.ackWhenCommitted(conn, n, seq));
  }

  writeQueueFull(room: LiveRoom, bytes: number): boolean {
    return this.persistence.queueFull(room, bytes);
  }

  // ---- Server-side writes

  /**
   * Edits a room's document on the server (the pipeline streams revisions this way): loads the room if needed,
   * applies `fn` in one transaction with the server origin, fans it out and relays it like a participant's edit, and
   * resolves once it is committed to the log.
   */
  async withDoc<T>(name: string, fn: (doc: Y.Doc) => T): Promise<T> {
    const room = await this.acquire(name);
    try {
      const before = this.persistence.lastSeq;
      let result: T | undefined;
      room.doc.transact(() => {
        result = fn(room.doc);
      }, SERVER_ORIGIN);
      const target = this.persistence.lastSeq;
      if (target > before) await this.persistence.committed(target);
      return result as T;
    } finally {
      this.release(room);
    }
  }

  /** Applies an encoded Yjs update as the server (same guarantees as withDoc). */
  applyServerUpdate(name: string, update: Uint8Array): Promise<void> {
    return this.withDoc(name, (doc) => Y.applyUpdate(doc, update, SERVER_ORIGIN));
  }

  /** The current document state of a room (loads it if needed). */
  async encodeState(name: string): Promise<Uint8Array> {
    return this.withDoc(name, (doc) => Y.encodeStateAsUpdate(doc));
  }

  // ---- Permissions

  /**
   * Re-checks every connection of a task's room after a stage change or reassignment, here and on peer processes
   * (see revalidation.ts for what happens to each connection).
   */
  async revalidate(taskId: string): Promise<void> {
    const name = taskRoom(taskId);
    const room = this.rooms.get(name);
    this.relay.publish(name, { kind: "revalidate" });
    if (room && this.opts.access) await revalidateRoom(room, this.opts.access);
  }

  /**
   * Closes every live connection of one person, on this process and (through the cluster's bus) on every other (a
   * deactivated account): ACCESS_REVOKED is permanent for the client, so it does not reconnect. Returns how many
   * connections were closed on this process.
   */
  disconnectUser(userId: string, code: CloseCode = CLOSE.ACCESS_REVOKED): number {
    const closed = this.closeUserHere(userId, code);
    this.sharing.bus.publish(DISCONNECT_TOPIC, { userId, code });
    return closed;
  }

  private closeUserHere(userId: string, code: CloseCode): number {
    let closed = 0;
    for (const room of this.rooms.values()) {
      for (const conn of room.memberList()) {
        if (conn.user.id !== userId) continue;
        conn.close(code);
        closed++;
      }
    }
    return closed;
  }

  // ---- Lifecycle

  /** Resolves once every update queued so far is in the log. */
  flush(): Promise<void> {
    return this.persistence.flushed();
  }

  /** Closes every connection, waits (bounded) for the log to drain, and drops all rooms. */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const room of this.rooms.values()) for (const c of room.memberList()) c.close(CLOSE.SERVICE_RESTART);
    // Peers' updates this process cannot see confirmed go in its own log before it stops.
    this.peerCommits.persistAll();
    await this.persistence.close(timeoutMs);
    await Promise.allSettled(this.loading.values());
    for (const room of this.rooms.values()) room.destroy();
    this.rooms.clear();
    await this.relay.close();
    await this.sharing.close().catch((err: unknown) => this.log("error", `collab: leaving the cluster: ${describeError(err)}`));
  }

  // ---- Internals

  private async load(name: string): Promise<LiveRoom> {
    const started = performance.now();
    const early: { msg: RelayMessage; from: string }[] = [];
    const loaded: { room?: LiveRoom } = {};
    // Subscribe before reading the database so nothing a peer publishes in between is missed.
    await this.relay.subscribe(name, (msg, from) => {
      if (loaded.room) this.onPeerMessage(loaded.room, msg, from);
      else early.push({ msg, from });
    });
    let stored;
    try {
      stored = await this.storage.load(name);
    } catch (err) {
      await this.relay.unsubscribe(name).catch(() => {});
      throw err;
    }
    const tailBytes = stored.updates.reduce((n, u) => n + u.length, 0);
    const room: LiveRoom = new Room(name, { storedBytes: stored.bytes, tailUpdates: stored.updates.length, tailBytes });
    room.doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(room.doc, stored.snapshot);
      for (const u of stored.updates) Y.applyUpdate(room.doc, u);
    }, LOAD_ORIGIN);
    this.wire(room);
    this.checkLoaded(room);
    this.rooms.set(name, room);
    this.stats.loads++;
    roomLoads.inc();
    this.log("info", "collab: room loaded", { room: name, bytes: stored.bytes, tailUpdates: stored.updates.length, ms: Math.round(performance.now() - started) });
    loaded.room = room;
    for (const { msg, from } of early) this.onPeerMessage(room, msg, from);
    // Peers may hold updates they have fanned out but not committed yet: ask for what the database did not have.
    this.relay.publish(name, { kind: "syncRequest", stateVector: Y.encodeStateVector(room.doc) });
    this.persistence.maybeCompact(room);
    return room;
  }

  /** Every change of a room goes out to its local connections (relay), peers and the log, by where it came from. */
  private wire(room: LiveRoom): void {
    room.doc.on("update", (update: Uint8Array, origin: unknown) => {
      // Fan out first: other participants see the edit before it is committed; its author gets SAVED after.
      const sent = room.broadcast(encodeFrame({ type: "syncUpdate", update }), origin);
      if (sent > 0) updatesRelayedTo.clients.inc(sent);
      if (origin === RELAY_ORIGIN || origin === LOAD_ORIGIN) return;
      const seq = this.persistence.enqueue(room, update);
      // A peer's sync reply was its to fan out; peers that lack it ask for it when they load.
      if (origin === PEER_SYNC_ORIGIN) return;
      this.relay.publish(room.name, { kind: "update", update, seq });
      if (!(this.relay instanceof LocalRelay)) updatesRelayedTo.peers.inc();
    });
    room.awareness.onUpdate(({ added, updated, removed }, origin) => {
      const update = room.applyingAwareness ?? room.awareness.encode([...added, ...updated, ...removed]);
      room.broadcast(encodeFrame({ type: "awareness", update }), origin);
      if (origin !== RELAY_ORIGIN) this.relay.publish(room.name, { kind: "awareness", update });
    });
  }

  /**
   * A room written before the server enforced the layout may hold what breaks its readers (raw text in the draft, an
   * element the editor does not know). The draft is repaired as a server write (stored, relayed); whatever else is
   * wrong is reported once, in words, and the readers skip it.
   */
  private checkLoaded(room: LiveRoom): void {
    if (validateRoomDoc(room.doc).length === 0) return;
    let removed = 0;
    room.doc.transact(() => (removed = repairDraft(draftFragment(room.doc))), SERVER_ORIGIN);
    const left = validateRoomDoc(room.doc);
    if (removed > 0) this.log("error", `collab: repaired ${room.name} at load: removed ${removed} draft nodes the editor cannot hold`);
    if (left.length > 0) this.log("error", `collab: ${room.name} has ${left.length} layout problems: ${left.slice(0, 5).join("; ").slice(0, 500)}`);
  }

  private onPeerMessage(room: LiveRoom, msg: RelayMessage, from: string): void {
    // Recorded before it is applied: a client message applied after it may build on it.
    if (msg.kind === "update") this.peerCommits.relayed(room, from, msg.seq, msg.update);
    try {
      applyPeerMessage(room, msg, from, {
        relay: this.relay,
        revalidate: () => {
          const access = this.opts.access;
          if (!access) return;
          void revalidateRoom(room, access).catch((err: unknown) => this.log("error", `collab: revalidate failed: ${describeError(err)}`));
        },
      });
    } catch (err) {
      this.log("error", `collab: bad relay message in ${room.name}: ${describeError(err)}`);
    }
  }

  /** A room that must stay loaded: held by someone, or holding updates not yet known to be in the log. */
  private pinned(room: Room): boolean {
    return this.closing || room.holds > 0 || room.unpersisted > 0 || room.peerWrites.size > 0;
  }

  private maybeScheduleUnload(room: Room): void {
    if (this.pinned(room) || room.unloadTimer) return;
    room.unloadTimer = setTimeout(() => {
      room.unloadTimer = undefined;
      this.unload(room);
    }, this.unloadDelayMs);
  }

  private unload(room: Room): void {
    if (this.pinned(room) || this.rooms.get(room.name) !== room) return;
    this.rooms.delete(room.name);
    this.peerCommits.forget(room);
    this.stats.unloads++;
    roomUnloads.inc();
    this.log("info", "collab: room unloaded", { room: room.name });
    room.destroy();
    void this.relay.unsubscribe(room.name).catch((err: unknown) => this.log("error", `collab: unsubscribe: ${describeError(err)}`));
  }
}
