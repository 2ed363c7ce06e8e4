import * as decoding from "lib0/decoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { CLOSE } from "../../shared/collab/closeCodes";
import { COLLAB_LIMITS, COMPACTION_DEFAULTS, type CollabLimits } from "../../shared/collab/limits";
import { taskIdOfRoom, taskRoom } from "../../shared/collab/protocol";
import type { SessionUser } from "../context";
import { awarenessMessageFromUpdate, syncUpdateMessage, type CollabConnection, type ConnectionHost } from "./connection";
import { GroupCommitWriter, type QueuedAppend } from "./groupCommit";
import { LOAD_ORIGIN, RELAY_ORIGIN, SERVER_ORIGIN } from "./origins";
import { LocalRelay, type Relay, type RelayMessage } from "./relay";
import { Room } from "./room";
import type { DocStorage } from "./storage";

/** What a user may do in a task's room right now; null = may not enter. */
export type RoomGrant = { relation: CollabConnection["relation"]; writable: boolean };

/** Re-derives a connection's rights from the database (used by revalidate). */
export interface RoomAccess {
  grant(user: SessionUser, taskId: string): Promise<RoomGrant | null>;
}

export type Logger = (level: "error" | "info" | "debug", msg: string) => void;

export type RoomsOptions = {
  storage: DocStorage;
  relay?: Relay;
  access?: RoomAccess;
  limits?: Partial<CollabLimits>;
  compaction?: { maxTailUpdates: number; maxTailBytes: number };
  /** Grace period after the last participant leaves before the room is dropped from memory. */
  unloadDelayMs?: number;
  writer?: { maxBatch?: number; retryMs?: number; maxRetryMs?: number };
  log?: Logger;
};

type AckWaiter = { seq: number; conn?: CollabConnection; n?: number; resolve?: () => void };

/**
 * The rooms registry of one process: loads a room on first use (concurrent loads share one promise), unloads it
 * after the last participant leaves once everything is persisted, persists every accepted update through one
 * group-commit writer, fans updates out before the commit and acknowledges them after it, compacts logs in the
 * background, and relays to peer processes.
 */
export class RoomRegistry implements ConnectionHost {
  readonly limits: CollabLimits;
  private readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly compacting = new Set<string>();
  private readonly connsPerUser = new Map<string, number>();
  private readonly writer: GroupCommitWriter;
  private readonly relay: Relay;
  private readonly storage: DocStorage;
  private readonly compaction: { maxTailUpdates: number; maxTailBytes: number };
  private readonly unloadDelayMs: number;
  private acks: AckWaiter[] = [];
  private closing = false;
  readonly log: Logger;
  /** Counters for tests, the benchmark and health output. */
  readonly stats = { loads: 0, unloads: 0, compactions: 0, commits: 0, committedUpdates: 0, writeFailures: 0 };

  constructor(private readonly opts: RoomsOptions) {
    this.limits = { ...COLLAB_LIMITS, ...opts.limits };
    this.storage = opts.storage;
    this.relay = opts.relay ?? new LocalRelay();
    this.compaction = opts.compaction ?? { ...COMPACTION_DEFAULTS };
    this.unloadDelayMs = opts.unloadDelayMs ?? 2_000;
    this.log = opts.log ?? (() => {});
    this.writer = new GroupCommitWriter(this.storage, {
      maxBatch: opts.writer?.maxBatch ?? 2_000,
      retryMs: opts.writer?.retryMs ?? 50,
      maxRetryMs: opts.writer?.maxRetryMs ?? 5_000,
      onCommitted: (batch) => this.onCommitted(batch),
      onError: (err, attempt) => {
        this.stats.writeFailures++;
        this.log("error", `collab: append failed (attempt ${attempt}), keeping updates queued: ${String(err)}`);
      },
    });
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

  /** Local connections in a room, for the per-room bound. */
  connectionCount(room: string): number {
    return this.rooms.get(room)?.conns.size ?? 0;
  }

  userConnectionCount(userId: string): number {
    return this.connsPerUser.get(userId) ?? 0;
  }

  /** Updates queued for the log, all rooms. */
  get pendingWrites(): number {
    return this.writer.pending;
  }

  /** Loads (or finds) a room and holds it loaded until release(). */
  async acquire(name: string): Promise<Room> {
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

  release(room: Room): void {
    room.holds--;
    this.maybeScheduleUnload(room);
  }

  /** Adds an accepted socket to its room (the caller holds the room during the call). */
  attach(conn: CollabConnection): void {
    const room = conn.room;
    room.holds++;
    room.conns.add(conn);
    this.connsPerUser.set(conn.user.id, this.userConnectionCount(conn.user.id) + 1);
    conn.greet();
  }

  detach(conn: CollabConnection): void {
    const room = conn.room;
    if (!room.conns.delete(conn)) return;
    const left = this.userConnectionCount(conn.user.id) - 1;
    if (left > 0) this.connsPerUser.set(conn.user.id, left);
    else this.connsPerUser.delete(conn.user.id);
    const ids = [...conn.clientIds].filter((id) => room.awareness.getStates().has(id));
    if (ids.length > 0 && !this.closing) awarenessProtocol.removeAwarenessStates(room.awareness, ids, conn);
    this.release(room);
  }

  // ---- ConnectionHost

  lastWriteSeq(): number {
    return this.writer.lastSeq;
  }

  ackWhenCommitted(conn: CollabConnection, n: number, seq: number): void {
    if (seq <= this.writer.committedSeq) conn.sendSaved(n);
    else this.acks.push({ seq, conn, n });
  }

  clientIdTaken(room: Room, conn: CollabConnection, clientId: number): boolean {
    if (clientId === room.doc.clientID || room.remoteClientIds.has(clientId)) return true;
    for (const other of room.conns) if (other !== conn && other.clientIds.has(clientId)) return true;
    return false;
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
      const before = this.writer.lastSeq;
      let result: T | undefined;
      room.doc.transact(() => {
        result = fn(room.doc);
      }, SERVER_ORIGIN);
      const target = this.writer.lastSeq;
      if (target > before) await this.committed(target);
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
   * Re-checks every connection of a task's room after a stage change or reassignment, here and on peer processes:
   * a connection whose rights changed is closed with PERMISSIONS_CHANGED (it rejoins with the new rights), one that
   * lost access with ACCESS_REVOKED.
   */
  async revalidate(taskId: string): Promise<void> {
    const name = taskRoom(taskId);
    const room = this.rooms.get(name);
    this.relay.publish(name, { kind: "revalidate" });
    if (room) await this.revalidateLocal(room);
  }

  private async revalidateLocal(room: Room): Promise<void> {
    const taskId = taskIdOfRoom(room.name);
    const access = this.opts.access;
    if (!taskId || !access) return;
    await Promise.all(
      [...room.conns].map(async (conn) => {
        const grant = await access.grant(conn.user, taskId);
        if (!grant) conn.close(CLOSE.ACCESS_REVOKED);
        else if (grant.relation !== conn.relation || grant.writable !== conn.writable) conn.close(CLOSE.PERMISSIONS_CHANGED);
      }),
    );
  }

  // ---- Lifecycle

  /** Resolves once every update queued so far is in the log. */
  flush(): Promise<void> {
    return this.writer.flushed();
  }

  /** Closes every connection, waits (bounded) for the log to drain, and drops all rooms. */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const room of this.rooms.values()) for (const c of room.conns) c.close(CLOSE.GOING_AWAY);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.writer.flushed(), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    if (this.writer.pending > 0) this.log("error", `collab: shutting down with ${this.writer.pending} unwritten updates`);
    this.writer.close();
    await Promise.allSettled(this.loading.values());
    for (const room of this.rooms.values()) room.destroy();
    this.rooms.clear();
    await this.relay.close();
  }

  // ---- Internals

  private async load(name: string): Promise<Room> {
    const early: { msg: RelayMessage; from: string }[] = [];
    const loaded: { room?: Room } = {};
    // Subscribe before reading the database so nothing a peer publishes in between is missed.
    await this.relay.subscribe(name, (msg, from) => {
      if (loaded.room) this.onRelay(loaded.room, msg, from);
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
    const room = new Room(name, { storedBytes: stored.bytes, tailUpdates: stored.updates.length, tailBytes });
    room.doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(room.doc, stored.snapshot);
      for (const u of stored.updates) Y.applyUpdate(room.doc, u);
    }, LOAD_ORIGIN);
    this.wire(room);
    this.rooms.set(name, room);
    this.stats.loads++;
    loaded.room = room;
    for (const { msg, from } of early) this.onRelay(room, msg, from);
    // Peers may hold updates they have fanned out but not committed yet: ask for what the database did not have.
    this.relay.publish(name, { kind: "syncRequest", stateVector: Y.encodeStateVector(room.doc) });
    this.maybeCompact(room);
    return room;
  }

  private wire(room: Room): void {
    room.doc.on("update", (update: Uint8Array, origin: unknown) => {
      // Fan out first: other participants see the edit before it is committed; its author gets SAVED after.
      room.broadcast(syncUpdateMessage(update), origin);
      if (origin === RELAY_ORIGIN || origin === LOAD_ORIGIN) return;
      this.relay.publish(room.name, { kind: "update", update });
      room.unpersisted++;
      room.storedBytes += update.length;
      this.writer.enqueue(room.name, update);
    });
    room.awareness.on(
      "update",
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const changed = [...added, ...updated, ...removed];
        const update = awarenessProtocol.encodeAwarenessUpdate(room.awareness, changed);
        room.broadcast(awarenessMessageFromUpdate(update), origin);
        if (origin !== RELAY_ORIGIN) this.relay.publish(room.name, { kind: "awareness", update });
      },
    );
  }

  private onRelay(room: Room, msg: RelayMessage, from: string): void {
    try {
      switch (msg.kind) {
        case "update":
          Y.applyUpdate(room.doc, msg.update, RELAY_ORIGIN);
          return;
        case "awareness":
          this.trackRemoteClients(room, msg.update);
          awarenessProtocol.applyAwarenessUpdate(room.awareness, msg.update, RELAY_ORIGIN);
          return;
        case "syncRequest": {
          const local = [...room.conns].flatMap((c) => [...c.clientIds]).filter((id) => room.awareness.getStates().has(id));
          this.relay.publish(room.name, {
            kind: "syncReply",
            to: from,
            update: Y.encodeStateAsUpdate(room.doc, msg.stateVector),
            awareness: awarenessProtocol.encodeAwarenessUpdate(room.awareness, local),
          });
          return;
        }
        case "syncReply":
          Y.applyUpdate(room.doc, msg.update, RELAY_ORIGIN);
          this.trackRemoteClients(room, msg.awareness);
          awarenessProtocol.applyAwarenessUpdate(room.awareness, msg.awareness, RELAY_ORIGIN);
          return;
        case "revalidate":
          void this.revalidateLocal(room).catch((err: unknown) => this.log("error", `collab: revalidate failed: ${String(err)}`));
          return;
      }
    } catch (err) {
      this.log("error", `collab: bad relay message in ${room.name}: ${String(err)}`);
    }
  }

  private trackRemoteClients(room: Room, update: Uint8Array): void {
    const d = decoding.createDecoder(update);
    const count = decoding.readVarUint(d);
    for (let i = 0; i < count; i++) {
      const id = decoding.readVarUint(d);
      decoding.readVarUint(d);
      const state = decoding.readVarString(d);
      if (state === "null") room.remoteClientIds.delete(id);
      else room.remoteClientIds.add(id);
    }
  }

  private onCommitted(batch: readonly QueuedAppend[]): void {
    this.stats.commits++;
    this.stats.committedUpdates += batch.length;
    const touched = new Set<Room>();
    for (const e of batch) {
      const room = this.rooms.get(e.room);
      if (!room) continue;
      room.unpersisted--;
      room.tailUpdates++;
      room.tailBytes += e.update.length;
      touched.add(room);
    }
    this.releaseAcks();
    for (const room of touched) {
      this.maybeCompact(room);
      this.maybeScheduleUnload(room);
    }
  }

  private releaseAcks(): void {
    const committed = this.writer.committedSeq;
    let i = 0;
    const saved = new Map<CollabConnection, number>();
    while (i < this.acks.length && this.acks[i]!.seq <= committed) {
      const a = this.acks[i++]!;
      if (a.conn && a.n !== undefined) saved.set(a.conn, a.n);
      a.resolve?.();
    }
    if (i > 0) this.acks = this.acks.slice(i);
    // One SAVED per connection per commit, carrying the highest message number it covers.
    for (const [conn, n] of saved) conn.sendSaved(n);
  }

  private committed(seq: number): Promise<void> {
    if (seq <= this.writer.committedSeq) return Promise.resolve();
    return new Promise((resolve) => this.acks.push({ seq, resolve }));
  }

  private maybeCompact(room: Room): void {
    if (this.closing || this.compacting.has(room.name)) return;
    if (room.tailUpdates < this.compaction.maxTailUpdates && room.tailBytes < this.compaction.maxTailBytes) return;
    this.compacting.add(room.name);
    // In the background: the storage merges committed rows only, so the live room is neither read nor blocked.
    this.storage
      .compact(room.name)
      .then((r) => {
        this.stats.compactions++;
        room.tailUpdates = Math.max(0, room.tailUpdates - r.mergedUpdates);
        room.tailBytes = Math.max(0, room.tailBytes - r.mergedBytes);
        room.storedBytes = r.snapshotBytes + room.tailBytes;
      })
      .catch((err: unknown) => this.log("error", `collab: compaction of ${room.name} failed: ${String(err)}`))
      .finally(() => this.compacting.delete(room.name));
  }

  private maybeScheduleUnload(room: Room): void {
    if (this.closing || room.holds > 0 || room.unpersisted > 0 || room.unloadTimer) return;
    room.unloadTimer = setTimeout(() => {
      room.unloadTimer = undefined;
      this.unload(room);
    }, this.unloadDelayMs);
  }

  private unload(room: Room): void {
    if (this.closing || room.holds > 0 || room.unpersisted > 0 || this.rooms.get(room.name) !== room) return;
    this.rooms.delete(room.name);
    this.stats.unloads++;
    room.destroy();
    void this.relay.unsubscribe(room.name).catch((err: unknown) => this.log("error", `collab: unsubscribe: ${String(err)}`));
  }
}
