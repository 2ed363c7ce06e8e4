import type { Redis } from "ioredis";
import { REDIS_NOW_MS, type ProcessRegistry } from "./processes";

/** The bounds slots are taken against (the collaboration limits' two connection counts). */
export type SlotBounds = { readonly maxConnectionsPerUser: number; readonly maxConnectionsPerRoom: number };

/** A slot taken (release it when the connection ends, or the join fails), or which bound is full. */
export type SlotOutcome = { ok: true; release(): void } | { ok: false; full: "user" | "room" };

/**
 * Room connections counted per person and per room, for the bounds on both. A slot is taken before the room is
 * loaded and the socket opened, so joins racing each other cannot all slip under a bound.
 */
export interface ConnectionSlots {
  take(userId: string, room: string): Promise<SlotOutcome>;
}

/** This process's slots, per user and per room. */
class Counts {
  readonly users = new Map<string, number>();
  readonly rooms = new Map<string, number>();

  user(id: string): number {
    return this.users.get(id) ?? 0;
  }

  room(name: string): number {
    return this.rooms.get(name) ?? 0;
  }

  add(userId: string, room: string, delta: 1 | -1): void {
    bump(this.users, userId, delta);
    bump(this.rooms, room, delta);
  }

  /** Which bound a new slot would pass, if any. */
  full(userId: string, room: string, bounds: SlotBounds): "user" | "room" | null {
    if (this.user(userId) >= bounds.maxConnectionsPerUser) return "user";
    if (this.room(room) >= bounds.maxConnectionsPerRoom) return "room";
    return null;
  }
}

function bump(map: Map<string, number>, key: string, delta: 1 | -1): void {
  const n = (map.get(key) ?? 0) + delta;
  if (n > 0) map.set(key, n);
  else map.delete(key);
}

/** A release that counts once however often it is called (a failed join and a closed socket may both call it). */
function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

/** A process alone: the bounds hold over its own connections. */
export class LocalSlots implements ConnectionSlots {
  private readonly counts = new Counts();

  constructor(private readonly bounds: SlotBounds) {}

  async take(userId: string, room: string): Promise<SlotOutcome> {
    const full = this.counts.full(userId, room, this.bounds);
    if (full) return { ok: false, full };
    this.counts.add(userId, room, 1);
    return { ok: true, release: once(() => this.counts.add(userId, room, -1)) };
  }
}

/**
 * KEYS: the user's hash, the room's hash, the alive-process set; ARGV: process id, user bound, room bound, key ttl
 * seconds. Each hash holds one count per process; counts of processes no longer alive are dropped as they are read.
 * Returns 0 (taken), 1 (the user is at the bound) or 2 (the room is).
 */
const TAKE = `${REDIS_NOW_MS}
local function live(key)
  local total = 0
  local entries = redis.call('HGETALL', key)
  for i = 1, #entries, 2 do
    local until_ms = redis.call('ZSCORE', KEYS[3], entries[i])
    if until_ms and tonumber(until_ms) > now then
      total = total + tonumber(entries[i + 1])
    else
      redis.call('HDEL', key, entries[i])
    end
  end
  return total
end
if live(KEYS[1]) >= tonumber(ARGV[2]) then return 1 end
if live(KEYS[2]) >= tonumber(ARGV[3]) then return 2 end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return 0`;

/** KEYS: the user's and the room's hash; ARGV: process id. */
const RELEASE = `
for _, key in ipairs(KEYS) do
  if redis.call('HINCRBY', key, ARGV[1], -1) <= 0 then redis.call('HDEL', key, ARGV[1]) end
end
return 0`;

/** A hash nobody touched for this long is dropped (a person who left for the day). */
const KEY_TTL_SEC = 3_600;

/**
 * Slots counted in Redis over every process: one hash per user and per room, one field per process, taken and
 * checked in one script so that joins through different processes at once cannot pass a bound together. A killed
 * process's counts stop counting once its heartbeat lapses (processes.ts). Each heartbeat rewrites this process's
 * own counts from what it really holds (`reconcile`), so a count lost to a Redis hiccup is corrected within one
 * beat. With Redis unreachable a join is judged on this process's own connections, rather than refused.
 */
export class RedisSlots implements ConnectionSlots {
  private readonly counts = new Counts();
  /** Hashes this process has a field in, so a count that went to zero is removed at the next reconcile. */
  private readonly written = new Set<string>();
  /** After clear(): connections closing at shutdown only update the local counts. */
  private cleared = false;

  constructor(
    private readonly redis: Redis,
    private readonly processes: ProcessRegistry,
    private readonly bounds: SlotBounds,
    private readonly prefix: string,
    private readonly onError: (err: unknown) => void,
  ) {}

  private userKey(userId: string): string {
    return `${this.prefix}conns:user:${userId}`;
  }

  private roomKey(room: string): string {
    return `${this.prefix}conns:room:${room}`;
  }

  async take(userId: string, room: string): Promise<SlotOutcome> {
    const keys = [this.userKey(userId), this.roomKey(room)] as const;
    let verdict: unknown;
    try {
      verdict = await this.redis.eval(
        TAKE,
        3,
        ...keys,
        this.processes.key,
        this.processes.processId,
        String(this.bounds.maxConnectionsPerUser),
        String(this.bounds.maxConnectionsPerRoom),
        String(KEY_TTL_SEC),
      );
    } catch (err) {
      this.onError(err);
      const full = this.counts.full(userId, room, this.bounds);
      if (full) return { ok: false, full };
      verdict = null;
    }
    if (verdict === 1) return { ok: false, full: "user" };
    if (verdict === 2) return { ok: false, full: "room" };
    this.counts.add(userId, room, 1);
    if (verdict === 0) for (const k of keys) this.written.add(k);
    return {
      ok: true,
      release: once(() => {
        this.counts.add(userId, room, -1);
        if (!this.cleared) this.redis.eval(RELEASE, 2, ...keys, this.processes.processId).catch(this.onError);
      }),
    };
  }

  /**
   * Writes this process's true counts over what Redis holds for it (called on every heartbeat). A take or release
   * in flight meanwhile may leave its count off by one until the next heartbeat.
   */
  async reconcile(): Promise<void> {
    if (this.cleared) return;
    const now = new Map<string, number>();
    for (const [userId, n] of this.counts.users) now.set(this.userKey(userId), n);
    for (const [room, n] of this.counts.rooms) now.set(this.roomKey(room), n);
    const batch = this.redis.pipeline();
    for (const [key, n] of now) {
      batch.hset(key, this.processes.processId, n);
      batch.expire(key, KEY_TTL_SEC);
    }
    for (const key of this.written) if (!now.has(key)) batch.hdel(key, this.processes.processId);
    await batch.exec();
    this.written.clear();
    for (const key of now.keys()) this.written.add(key);
  }

  /** Removes this process's counts (graceful shutdown: its connections are closed). */
  async clear(): Promise<void> {
    this.cleared = true;
    if (this.written.size === 0) return;
    const batch = this.redis.pipeline();
    for (const key of this.written) batch.hdel(key, this.processes.processId);
    await batch.exec();
    this.written.clear();
  }
}
