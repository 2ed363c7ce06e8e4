/** A token bucket: `rate` tokens per second up to `burst`. take() may go negative; the debt says how far. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number = performance.now(),
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token; returns the balance after (negative = in debt). */
  take(now: number = performance.now()): number {
    this.refill(now);
    this.tokens -= 1;
    return this.tokens;
  }

  /** Milliseconds until the balance is back to zero. */
  msUntilClear(now: number = performance.now()): number {
    this.refill(now);
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.rate) * 1000);
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }
}
