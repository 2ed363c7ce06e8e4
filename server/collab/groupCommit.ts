import type { AppendEntry, DocStorage } from "./storage";

/** `queuedAt` (performance.now()) is when the update was received, for the save-latency histogram. */
export type QueuedAppend = AppendEntry & { seq: number; queuedAt: number };

export type GroupCommitOptions = {
  /** Most rows in one commit; the rest wait for the next one. */
  maxBatch: number;
  /**
   * Least time from the start of one commit to the start of the next. Every statement costs the process a round of
   * socket writes and wake-ups whatever its size, so under load a short pause gathers many rooms' updates into one
   * INSERT; an idle writer commits at once.
   */
  minIntervalMs: number;
  /** First retry delay after a failed commit; doubles up to maxRetryMs. */
  retryMs: number;
  maxRetryMs: number;
  onCommitted(batch: readonly QueuedAppend[]): void;
  /** A commit failed; `batch` stays queued at the head (log counts and ids from it, never its bytes). */
  onError(err: unknown, attempt: number, batch: readonly QueuedAppend[]): void;
};

/**
 * One writer per process: every room's appends share one INSERT per round. A round starts as soon as the previous
 * one finishes (or on the next tick when idle), so under load batches grow instead of commits queueing up.
 * Sequence numbers are global and commit in order, so "committed up to seq" is a single number.
 * A failed commit keeps its rows at the head of the queue and retries with backoff; nothing is ever dropped.
 */
export class GroupCommitWriter {
  private queue: QueuedAppend[] = [];
  private nextSeq = 1;
  private committed = 0;
  private inFlight = false;
  private scheduled = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private paceTimer: NodeJS.Timeout | undefined;
  /** performance.now() when the last commit started. */
  private lastStart = -Infinity;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly storage: DocStorage,
    private readonly opts: GroupCommitOptions,
  ) {}

  /** Queues an update; returns its sequence number. */
  enqueue(room: string, update: Uint8Array): number {
    const seq = this.nextSeq++;
    this.queue.push({ room, update, seq, queuedAt: performance.now() });
    this.schedule();
    return seq;
  }

  /** The highest sequence number handed out so far (0 = none). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  get committedSeq(): number {
    return this.committed;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Resolves once everything queued so far is committed (used at shutdown and by tests). */
  flushed(): Promise<void> {
    if (this.queue.length === 0 && !this.inFlight) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops scheduling; rows still queued stay unwritten (the caller decides how long to wait first). */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.paceTimer);
  }

  private schedule(): void {
    if (this.inFlight || this.scheduled || this.retryTimer || this.closed) return;
    this.scheduled = true;
    const wait = this.lastStart + this.opts.minIntervalMs - performance.now();
    const start = () => {
      this.scheduled = false;
      this.paceTimer = undefined;
      void this.commitRound();
    };
    // setImmediate lets every message already read from the sockets join this round.
    if (wait <= 0) setImmediate(start);
    else this.paceTimer = setTimeout(start, wait);
  }

  private async commitRound(): Promise<void> {
    if (this.inFlight || this.queue.length === 0 || this.closed) return this.notifyIdle();
    this.inFlight = true;
    this.lastStart = performance.now();
    const batch = this.queue.slice(0, this.opts.maxBatch);
    let ok = false;
    try {
      await this.storage.append(batch);
      ok = true;
    } catch (err) {
      this.failures++;
      this.opts.onError(err, this.failures, batch);
    }
    this.inFlight = false;
    if (ok) {
      this.failures = 0;
      this.queue = this.queue.slice(batch.length);
      this.committed = batch[batch.length - 1]!.seq;
      this.opts.onCommitted(batch);
      this.schedule();
    } else if (!this.closed) {
      const delay = Math.min(this.opts.maxRetryMs, this.opts.retryMs * 2 ** (this.failures - 1));
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        void this.commitRound();
      }, delay);
    }
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.queue.length > 0 || this.inFlight) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
