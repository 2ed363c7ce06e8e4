import type { Json } from "./types";

/**
 * Progress written at most every `intervalMs`: an export reports every batch of rows, and a database write per
 * report would cost more than the reports are worth. The latest value always lands: on the next tick, or at
 * flush(). Writes never overlap, so they land in order.
 */
export function throttledProgress(write: (progress: Json) => Promise<void>, intervalMs: number) {
  let latest: Json | undefined;
  let lastWrite = 0;
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<void> = Promise.resolve();

  const writeLatest = () => {
    timer = null;
    const value = latest;
    latest = undefined;
    if (value === undefined) return chain;
    lastWrite = Date.now();
    chain = chain.then(() => write(value)).catch(() => undefined);
    return chain;
  };

  return {
    push(progress: Json) {
      latest = progress;
      if (timer) return;
      const wait = Math.max(0, lastWrite + intervalMs - Date.now());
      timer = setTimeout(() => void writeLatest(), wait);
    },
    /** Writes what is pending now and resolves once every write has landed. */
    flush(): Promise<void> {
      if (timer) clearTimeout(timer);
      return writeLatest();
    },
    /** Drops what is pending (the attempt let go of its job). */
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
      latest = undefined;
    },
  };
}
