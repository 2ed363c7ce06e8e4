/**
 * Batching of database lookups. A lookup is sent at the end of the event-loop turn it was asked in (setImmediate)
 * together with every other lookup asked meanwhile, as one call of `load` with the distinct keys; while `maxInFlight`
 * loads are already out, new lookups wait for one to come back and then go together. An idle server so answers a
 * lookup after one turn; a connection storm's N session or access lookups cost a few statements instead of N (each
 * statement costs the process far more than a key in it does).
 *
 * Nothing outlives the answer: a key asked after its batch was sent goes in a later batch and is loaded again, so a
 * batch never serves a stale answer (a revoked session or a changed task is seen by the next lookup).
 */

/** Loads many keys at once; a key missing from the answer is unknown (the lookup resolves with undefined). */
export type BatchLoad<K, V> = (keys: readonly K[]) => Promise<ReadonlyMap<K, V>>;

export type BatchOptions = {
  /** Keys per `load` call: keeps one statement's array parameter and answer bounded. */
  maxBatch: number;
  /** Loads out at once; lookups asked while this many are out wait for one to come back. */
  maxInFlight: number;
};

export const BATCH_DEFAULTS: BatchOptions = { maxBatch: 500, maxInFlight: 2 };

type Waiter<V> = { resolve(value: V | undefined): void; reject(err: unknown): void };

export function batchLookups<K, V>(load: BatchLoad<K, V>, options: Partial<BatchOptions> = {}): (key: K) => Promise<V | undefined> {
  const { maxBatch, maxInFlight } = { ...BATCH_DEFAULTS, ...options };
  let pending = new Map<K, Waiter<V>[]>();
  let scheduled = false;
  let inFlight = 0;

  const schedule = () => {
    if (scheduled || inFlight >= maxInFlight || pending.size === 0) return;
    scheduled = true;
    setImmediate(flush);
  };

  const run = (batch: Map<K, Waiter<V>[]>, keys: readonly K[]) => {
    inFlight++;
    // An error (a synchronous throw included) fails this batch's lookups only; later batches start afresh.
    Promise.resolve()
      .then(() => load(keys))
      .then(
        (found) => {
          for (const key of keys) for (const w of batch.get(key)!) w.resolve(found.get(key));
        },
        (err: unknown) => {
          for (const key of keys) for (const w of batch.get(key)!) w.reject(err);
        },
      )
      .finally(() => {
        inFlight--;
        schedule();
      });
  };

  const flush = () => {
    scheduled = false;
    const batch = pending;
    pending = new Map();
    const keys = [...batch.keys()];
    for (let i = 0; i < keys.length; i += maxBatch) run(batch, keys.slice(i, i + maxBatch));
  };

  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      const waiters = pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else pending.set(key, [{ resolve, reject }]);
      schedule();
    });
}

/** One value per object, made on first use and dropped with the object: one batcher per database handle. */
export function perObject<O extends object, T>(make: (o: O) => T): (o: O) => T {
  const made = new WeakMap<O, T>();
  return (o) => {
    let value = made.get(o);
    if (value === undefined) {
      value = make(o);
      made.set(o, value);
    }
    return value;
  };
}
