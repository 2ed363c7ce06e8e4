/**
 * Whether the process is shutting down, and how many HTTP requests are being handled (a handler that has not
 * answered yet). Readiness reads `draining`; the HTTP middleware counts requests in and out; shutdown waits for the
 * count to reach zero. A streamed answer (server-sent events, a download) counts until its handler returns, not
 * until the stream ends, so an open event stream does not hold a shutdown up.
 */
export class Drain {
  private isDraining = false;
  private active = 0;
  private idleWaiters: (() => void)[] = [];

  get draining(): boolean {
    return this.isDraining;
  }

  get inFlight(): number {
    return this.active;
  }

  start(): void {
    this.isDraining = true;
  }

  enter(): void {
    this.active++;
  }

  leave(): void {
    this.active--;
    if (this.active > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves true once no request is being handled, or false after `timeoutMs`. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.active === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      this.idleWaiters.push(done);
    });
  }
}
