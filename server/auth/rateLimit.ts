/**
 * Counts failures per key in a fixed window, in memory. Bounded: when full, the entry closest to expiry is
 * dropped, so a flood of distinct keys cannot exhaust memory. Per process: behind a load balancer each process
 * limits on its own, which still bounds guessing to (processes × limit) per window.
 */
export type FailureLimiterOptions = { maxFailures: number; windowMs: number; maxKeys: number; now?: () => number };

type Entry = { count: number; resetAt: number };

export class FailureLimiter {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly opts: FailureLimiterOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Seconds until the key may try again, or 0 when it is not blocked. */
  retryAfterSec(key: string): number {
    const e = this.live(key);
    if (!e || e.count < this.opts.maxFailures) return 0;
    return Math.max(1, Math.ceil((e.resetAt - this.now()) / 1000));
  }

  recordFailure(key: string): void {
    const e = this.live(key);
    if (e) {
      e.count++;
      return;
    }
    if (this.entries.size >= this.opts.maxKeys) this.evict();
    this.entries.set(key, { count: 1, resetAt: this.now() + this.opts.windowMs });
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private live(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e && e.resetAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  private evict(): void {
    const now = this.now();
    for (const [k, e] of this.entries) if (e.resetAt <= now) this.entries.delete(k);
    if (this.entries.size < this.opts.maxKeys) return;
    // Map iteration is insertion order, and every window has the same length: the first key expires soonest.
    const first = this.entries.keys().next();
    if (!first.done) this.entries.delete(first.value);
  }
}

/** Login limits: 10 failures per 15 minutes, per client IP and per email. */
export const LOGIN_LIMIT = { maxFailures: 10, windowMs: 15 * 60 * 1000, maxKeys: 10_000 } as const;
