import { GroupCommitWriter, type QueuedAppend } from "./groupCommit";
import { describeError } from "./logSafe";
import type { Room } from "./room";
import type { DocStorage } from "./storage";
import type { LogFields } from "../observability/logger";
import { appendFailures, commits, saveLatency } from "../observability/metrics";

/** `fields` are ids, counts and codes for the structured log (room, conn, user…), never room content. */
export type Logger = (level: "error" | "info" | "debug", msg: string, fields?: LogFields) => void;

/** Counters for tests, the benchmark and health output. */
export type CollabStats = { loads: number; unloads: number; compactions: number; commits: number; committedUpdates: number; writeFailures: number };

export type PersistenceOptions = {
  compaction: { maxTailUpdates: number; maxTailBytes: number };
  /** Bound on one room's unwritten updates (count and bytes); past it the room takes no client writes. */
  queue: { maxUpdatesPerRoom: number; maxBytesPerRoom: number };
  writer: { maxBatch: number; minIntervalMs: number; retryMs: number; maxRetryMs: number };
  log: Logger;
  stats: CollabStats;
  /** The loaded room of that name, if any (a commit may land after its room was dropped). */
  roomNamed(name: string): Room | undefined;
  /** After a commit touched a room (every write up to `upTo` is now committed): it may be unloadable. */
  committedTo(room: Room, upTo: number): void;
  /** After every commit: every write up to `upTo` is committed. */
  committed(upTo: number): void;
};

/** Someone waiting for a write sequence to be committed: a connection owed SAVED(n), or a server-side write. */
type AckWaiter = { seq: number; saved?: { conn: { sendSaved(n: number): void }; n: number }; resolve?: () => void };

/**
 * Durability of every room of the process: queues each accepted update on the one group-commit writer, keeps the
 * rooms' stored-size figures, acknowledges (SAVED) only what is committed, and compacts a room's log in the
 * background once its tail grows past a threshold.
 */
export class RoomPersistence {
  private readonly writer: GroupCommitWriter;
  private readonly compacting = new Set<string>();
  private acks: AckWaiter[] = [];
  private closing = false;

  constructor(
    private readonly storage: DocStorage,
    private readonly opts: PersistenceOptions,
  ) {
    this.writer = new GroupCommitWriter(storage, {
      ...opts.writer,
      onCommitted: (batch) => this.onCommitted(batch),
      onError: (err, attempt, batch) => {
        opts.stats.writeFailures++;
        appendFailures.inc();
        // Counts and room ids only: never the updates themselves (room content), whatever the error repeats.
        const rooms = [...new Set(batch.map((e) => e.room))];
        const bytes = batch.reduce((n, e) => n + e.update.length, 0);
        const shown = rooms.slice(0, 5).join(", ") + (rooms.length > 5 ? ` and ${rooms.length - 5} more` : "");
        opts.log(
          "error",
          `collab: append failed (attempt ${attempt}): ${describeError(err)}; ${batch.length} updates (${bytes} bytes) ` +
            `of ${rooms.length} rooms (${shown}) kept queued, ${this.writer.pending} in the queue`,
          { attempt, updates: batch.length, bytes, rooms: rooms.length, queued: this.writer.pending },
        );
      },
    });
  }

  /** Queues an accepted update of a room for the log; returns its write sequence. */
  enqueue(room: Room, update: Uint8Array): number {
    room.unpersisted++;
    room.unpersistedBytes += update.length;
    room.storedBytes += update.length;
    return this.writer.enqueue(room.name, update);
  }

  /** Whether a room's unwritten updates, plus `bytes` more, would pass the queue bound. */
  queueFull(room: Room, bytes: number): boolean {
    const { maxUpdatesPerRoom, maxBytesPerRoom } = this.opts.queue;
    return room.unpersisted >= maxUpdatesPerRoom || room.unpersistedBytes + bytes > maxBytesPerRoom;
  }

  /** Highest write sequence handed out so far. */
  get lastSeq(): number {
    return this.writer.lastSeq;
  }

  /** Updates queued for the log, all rooms. */
  get pending(): number {
    return this.writer.pending;
  }

  /** Sends SAVED(n) to the connection once every write up to `seq` is committed. */
  ackWhenCommitted(conn: { sendSaved(n: number): void }, n: number, seq: number): void {
    if (seq <= this.writer.committedSeq) conn.sendSaved(n);
    else this.acks.push({ seq, saved: { conn, n } });
  }

  /** Resolves once every write up to `seq` is committed. */
  committed(seq: number): Promise<void> {
    if (seq <= this.writer.committedSeq) return Promise.resolve();
    return new Promise((resolve) => this.acks.push({ seq, resolve }));
  }

  /** Resolves once every update queued so far is in the log. */
  flushed(): Promise<void> {
    return this.writer.flushed();
  }

  /** Waits (bounded) for the log to drain, then stops the writer. */
  async close(timeoutMs: number): Promise<void> {
    this.closing = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.writer.flushed(), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    if (this.writer.pending > 0) this.opts.log("error", `collab: shutting down with ${this.writer.pending} unwritten updates`, { queued: this.writer.pending });
    this.writer.close();
  }

  maybeCompact(room: Room): void {
    const { maxTailUpdates, maxTailBytes } = this.opts.compaction;
    if (this.closing || this.compacting.has(room.name)) return;
    if (room.tailUpdates < maxTailUpdates && room.tailBytes < maxTailBytes) return;
    this.compacting.add(room.name);
    // In the background: the storage merges committed rows only, so the live room is neither read nor blocked.
    this.storage
      .compact(room.name)
      .then((r) => {
        this.opts.stats.compactions++;
        room.tailUpdates = Math.max(0, room.tailUpdates - r.mergedUpdates);
        room.tailBytes = Math.max(0, room.tailBytes - r.mergedBytes);
        room.storedBytes = r.snapshotBytes + room.tailBytes;
      })
      .catch((err: unknown) => this.opts.log("error", `collab: compaction of ${room.name} failed: ${describeError(err)}`, { room: room.name }))
      .finally(() => this.compacting.delete(room.name));
  }

  private onCommitted(batch: readonly QueuedAppend[]): void {
    this.opts.stats.commits++;
    this.opts.stats.committedUpdates += batch.length;
    commits.inc();
    const now = performance.now();
    for (const e of batch) saveLatency.observe((now - e.queuedAt) / 1000);
    const touched = new Set<Room>();
    for (const e of batch) {
      const room = this.opts.roomNamed(e.room);
      if (!room) continue;
      room.unpersisted--;
      room.unpersistedBytes -= e.update.length;
      room.tailUpdates++;
      room.tailBytes += e.update.length;
      touched.add(room);
    }
    this.releaseAcks();
    const upTo = this.writer.committedSeq;
    this.opts.committed(upTo);
    for (const room of touched) {
      this.maybeCompact(room);
      this.opts.committedTo(room, upTo);
    }
  }

  private releaseAcks(): void {
    const committed = this.writer.committedSeq;
    let i = 0;
    const saved = new Map<{ sendSaved(n: number): void }, number>();
    while (i < this.acks.length && this.acks[i]!.seq <= committed) {
      const a = this.acks[i++]!;
      if (a.saved) saved.set(a.saved.conn, a.saved.n);
      a.resolve?.();
    }
    if (i > 0) this.acks = this.acks.slice(i);
    // One SAVED per connection per commit, carrying the highest message number it covers.
    for (const [conn, n] of saved) conn.sendSaved(n);
  }
}
