import type { Redis } from "ioredis";

/**
 * Which server processes are alive, kept in Redis: a sorted set of process ids scored by the time (Redis's own
 * clock, so machines' clocks need not agree) until which each promised to be alive. Each process renews its entry
 * on every heartbeat; one that was killed stops renewing and drops out within the lease, and with it whatever it
 * counted (connection slots, presence): readers count only what alive processes wrote.
 */

/** Redis's time in milliseconds, inside a script (scripts are replicated by effect, so TIME is allowed). */
export const REDIS_NOW_MS = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)";

/** KEYS[1] the set; ARGV process id, lease ms. Renews the entry and forgets processes dead for over a minute. */
const BEAT = `${REDIS_NOW_MS}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 60000)
return now`;

/** KEYS[1] the set: the ids whose lease has not run out. */
const ALIVE = `${REDIS_NOW_MS}
return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')`;

export class ProcessRegistry {
  constructor(
    private readonly redis: Redis,
    readonly processId: string,
    /** The sorted set's key. */
    readonly key: string,
    private readonly leaseMs: number,
  ) {}

  async beat(): Promise<void> {
    await this.redis.eval(BEAT, 1, this.key, this.processId, String(this.leaseMs));
  }

  async alive(): Promise<string[]> {
    const ids = await this.redis.eval(ALIVE, 1, this.key);
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
  }

  /** A process shutting down leaves at once rather than when its lease runs out. */
  async leave(): Promise<void> {
    await this.redis.zrem(this.key, this.processId);
  }
}
