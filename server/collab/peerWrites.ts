/**
 * Updates relayed from peer processes, held until they are known to be in the log.
 *
 * The process a client writes through persists that client's updates; its peers only fan them out. A peer that dies
 * (kill -9) between relaying an update and committing it leaves the update in the survivors' rooms and in clients,
 * but not in PostgreSQL. Everything typed on top of it would then be stored yet unreadable: Yjs holds items whose
 * neighbours are missing as pending. So a survivor keeps every relayed update until its origin announces the commit
 * (RelayMessage "committed"), and writes it itself when the origin falls silent. Acknowledgements wait for it: SAVED
 * for a client message covers the relayed updates the room held when that message was applied.
 */

/** `from` of an update this process has taken over: it is in its own write queue at `seq`. */
export const SELF = "";

/** With no word from the origin for this long, its unconfirmed updates are written here (the origin is presumed dead). */
export const PEER_SILENCE_MS = 1_000;
/** Written here after this long whatever the origin says (a live origin whose commits keep failing or lagging). */
export const PEER_MAX_WAIT_MS = 10_000;

type Entry = { index: number; from: string; seq: number; update: Uint8Array; receivedAt: number };

/** One room's relayed updates not yet known to be committed, in arrival order, and the acks waiting on them. */
export class PeerWrites {
  private entries: Entry[] = [];
  private received = 0;
  private waiters: { mark: number; release: () => void }[] = [];

  /** The watermark of everything relayed so far: what a client message applied now may build on. */
  get mark(): number {
    return this.received;
  }

  /** Relayed updates not yet known to be in the log. */
  get size(): number {
    return this.entries.length;
  }

  add(from: string, seq: number, update: Uint8Array, now: number): void {
    this.entries.push({ index: ++this.received, from, seq, update, receivedAt: now });
  }

  /** Runs `release` once every relayed update up to `mark` is in the log: at once when it already is. */
  whenConfirmed(mark: number, release: () => void): void {
    if (this.confirmedThrough() >= mark) release();
    else this.waiters.push({ mark, release });
  }

  /** `from` committed every update it sent up to `upTo` (SELF: this process's own queue). */
  confirm(from: string, upTo: number): void {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.from !== from || e.seq > upTo);
    if (this.entries.length === before) return;
    // Marks only grow, so waiters are released from the head, in the order their messages arrived.
    const through = this.confirmedThrough();
    let i = 0;
    while (i < this.waiters.length && this.waiters[i]!.mark <= through) this.waiters[i++]!.release();
    if (i > 0) this.waiters = this.waiters.slice(i);
  }

  /** Still-peer entries overdue by `overdue(from, receivedAt)`, for this process to write itself (see takeOver). */
  overdue(isOverdue: (from: string, receivedAt: number) => boolean): Entry[] {
    return this.entries.filter((e) => e.from !== SELF && isOverdue(e.from, e.receivedAt));
  }

  /** Entries this process has queued for its own log at `seq`: confirmed when its own commit passes `seq`. */
  takeOver(entry: Entry, seq: number): void {
    entry.from = SELF;
    entry.seq = seq;
  }

  private confirmedThrough(): number {
    return this.entries.length === 0 ? this.received : this.entries[0]!.index - 1;
  }
}

/** What PeerCommits needs of the registry: its rooms' relayed-update books and its own write queue. */
export type PeerCommitsHost<R> = {
  peerWrites(room: R): PeerWrites;
  /** Queues `update` for this process's log; returns its write sequence. */
  persist(room: R, update: Uint8Array): number;
  /** A room's relayed updates are all confirmed: it may be unloadable now. */
  settled(room: R): void;
};

/**
 * The process-wide side: which peers committed how far, which rooms hold unconfirmed relayed updates, and the sweep
 * that writes what a silent origin left behind.
 */
export class PeerCommits<R> {
  private readonly committed = new Map<string, number>();
  /** When each peer last announced a commit (performance.now()). */
  private readonly heardAt = new Map<string, number>();
  private readonly waiting = new Set<R>();
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: PeerCommitsHost<R>,
    private readonly timing = { silenceMs: PEER_SILENCE_MS, maxWaitMs: PEER_MAX_WAIT_MS, sweepMs: 250 },
  ) {}

  /** A peer's update reached `room` (before it is applied there). */
  relayed(room: R, from: string, seq: number, update: Uint8Array): void {
    // The commit notice may arrive first (another channel): then the update is in the log already.
    if (seq <= (this.committed.get(from) ?? 0)) return;
    this.host.peerWrites(room).add(from, seq, update, performance.now());
    this.waiting.add(room);
    this.sweepTimer ??= setInterval(() => this.sweep(), this.timing.sweepMs).unref();
  }

  /** A peer announced that every update it published up to `upTo` is committed. */
  peerCommitted(from: string, upTo: number): void {
    this.heardAt.set(from, performance.now());
    if (upTo <= (this.committed.get(from) ?? 0)) return;
    this.committed.set(from, upTo);
    for (const room of this.waiting) this.confirm(room, from, upTo);
  }

  /** This process committed its own queue up to `upTo`. */
  ownCommitted(room: R, upTo: number): void {
    if (this.waiting.has(room)) this.confirm(room, SELF, upTo);
  }

  /** The room is gone (unloaded): nothing more to confirm there. */
  forget(room: R): void {
    this.waiting.delete(room);
    this.stopIfIdle();
  }

  /** Shutdown: queue every still-unconfirmed relayed update in this process's log (duplicates are harmless in Yjs). */
  persistAll(): void {
    for (const room of this.waiting) this.takeOver(room, () => true);
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  private confirm(room: R, from: string, upTo: number): void {
    const book = this.host.peerWrites(room);
    book.confirm(from, upTo);
    if (book.size > 0) return;
    this.waiting.delete(room);
    this.stopIfIdle();
    this.host.settled(room);
  }

  private sweep(): void {
    const now = performance.now();
    const isOverdue = (from: string, receivedAt: number) =>
      now - receivedAt >= this.timing.maxWaitMs || now - Math.max(receivedAt, this.heardAt.get(from) ?? -Infinity) >= this.timing.silenceMs;
    for (const room of this.waiting) this.takeOver(room, isOverdue);
  }

  /** Queues a room's still-peer entries that `isDue` picks in this process's own log. */
  private takeOver(room: R, isDue: (from: string, receivedAt: number) => boolean): void {
    const book = this.host.peerWrites(room);
    for (const e of book.overdue(isDue)) book.takeOver(e, this.host.persist(room, e.update));
  }

  private stopIfIdle(): void {
    if (this.waiting.size > 0) return;
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }
}
