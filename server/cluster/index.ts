/**
 * What the server processes of one deployment share besides PostgreSQL rows and room documents, one concern a file:
 *   bus.ts              messages by topic to every process (coaching events, revision cancels): Redis pub/sub
 *   processes.ts        which processes are alive (a heartbeat lease in Redis), so a killed one's counts drop out
 *   connectionSlots.ts  room connections per person and per room, counted over every process
 *   presence.ts         who is in which room on every process (the "working now" lists)
 *   taskLocks.ts        one step at a time per task over every process (PostgreSQL advisory locks)
 *   revisionLeases.ts   the one running revision per task (the revision_leases table), leased to its process
 * With no REDIS_URL each has a same-interface implementation for a process alone.
 */
import type { Config } from "../config";
import { LocalBus, RedisBus, type ClusterBus } from "./bus";
import { LocalSlots, RedisSlots, type ConnectionSlots, type SlotBounds } from "./connectionSlots";
import { LocalPresence, RedisPresence, type PresenceEntry, type RoomPresence } from "./presence";
import { ProcessRegistry } from "./processes";
import { newRedis, type Redis } from "./redisClient";

export type { ClusterBus } from "./bus";
export type { ConnectionSlots, SlotOutcome } from "./connectionSlots";
export type { PresenceEntry, RoomPresence } from "./presence";
export { taskLocksFor, type TaskLocks } from "./taskLocks";

/**
 * What the rooms registry takes from the cluster: the slots its joins are bounded by, its presence, and the bus
 * (a person disconnected through one process leaves every process's rooms).
 */
export type RoomsSharing = { slots: ConnectionSlots; presence: RoomPresence; bus: ClusterBus; close(): Promise<void> };

/** What a registry offers for its sharing to be built: its bounds and who is connected to it right now. */
export type RoomsView = { limits: SlotBounds; presenceHere(): PresenceEntry[] };

export type ClusterTiming = {
  /** How often a process renews its lease and rewrites its counts and presence in Redis. */
  heartbeatMs: number;
  /** How long a process counts as alive after its last heartbeat (a few heartbeats, so one slow beat is no death). */
  processLeaseMs: number;
};

export const CLUSTER_TIMING: ClusterTiming = { heartbeatMs: 5_000, processLeaseMs: 15_000 };

export type ClusterOptions = {
  /** Redis (REDIS_URL): absent, this process is alone. */
  redisUrl?: string | undefined;
  /** Prefix of every key and channel in Redis (tests keep runs apart). */
  prefix?: string;
  timing?: Partial<ClusterTiming>;
  onError: (err: unknown) => void;
};

/**
 * This process's membership of the deployment: its bus, and (with Redis) its heartbeat, which carries the
 * connection counts and presence of the rooms that share through it. One per rooms registry (see clusterFor).
 */
export class Cluster {
  readonly bus: ClusterBus;
  /** Settles once the first heartbeat is written: before it, this process's counts would not count. */
  readonly ready: Promise<void>;
  private readonly redis: Redis | null;
  private readonly processes: ProcessRegistry | null;
  private readonly timing: ClusterTiming;
  private readonly prefix: string;
  private readonly beats: (() => Promise<void>)[] = [];
  private readonly leaving: (() => Promise<void>)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly chores: NodeJS.Timeout[] = [];
  private closed: Promise<void> | undefined;

  constructor(private readonly opts: ClusterOptions) {
    this.timing = { ...CLUSTER_TIMING, ...opts.timing };
    this.prefix = opts.prefix ?? "chai:";
    if (!opts.redisUrl) {
      this.bus = new LocalBus(opts.onError);
      this.redis = null;
      this.processes = null;
      this.ready = Promise.resolve();
      return;
    }
    this.bus = new RedisBus(opts.redisUrl, opts.onError, `${this.prefix}bus:`);
    this.redis = newRedis(opts.redisUrl, { maxRetriesPerRequest: 2 });
    this.redis.on("error", opts.onError);
    this.processes = new ProcessRegistry(this.redis, this.bus.processId, `${this.prefix}processes`, this.timing.processLeaseMs);
    this.ready = this.beat();
    this.timer = setInterval(() => void this.beat(), this.timing.heartbeatMs);
    this.timer.unref();
  }

  get processId(): string {
    return this.bus.processId;
  }

  /** Whether other processes share through it (Redis). */
  get shared(): boolean {
    return this.redis !== null;
  }

  /** The slots and presence of a rooms registry: counted in Redis with the other processes, or locally. */
  roomsSharing(rooms: RoomsView): RoomsSharing {
    const { redis, processes } = this;
    if (!redis || !processes) {
      return { slots: new LocalSlots(rooms.limits), presence: new LocalPresence(() => rooms.presenceHere()), bus: this.bus, close: () => this.close() };
    }
    const slots = new RedisSlots(redis, processes, rooms.limits, this.prefix, this.opts.onError);
    const presence = new RedisPresence(redis, processes, () => rooms.presenceHere(), this.prefix, this.timing.processLeaseMs, this.opts.onError);
    this.beats.push(
      () => slots.reconcile(),
      () => presence.publish(),
    );
    this.leaving.push(
      () => slots.clear(),
      () => presence.clear(),
    );
    return {
      // Before the first heartbeat this process is not in the alive set, and a slot it took would not count.
      slots: {
        take: async (userId, room) => {
          await this.ready;
          return slots.take(userId, room);
        },
      },
      presence,
      bus: this.bus,
      close: () => this.close(),
    };
  }

  /**
   * Runs `task` every `ms` until the cluster closes (housekeeping every process does, such as ending the revisions
   * of processes that died); its failures go to onError.
   */
  every(ms: number, task: () => Promise<unknown>): void {
    if (this.closed) return;
    let busy = false;
    const timer = setInterval(() => {
      // A slow round (a database outage) is not stacked with another.
      if (busy) return;
      busy = true;
      task()
        .catch(this.opts.onError)
        .finally(() => (busy = false));
    }, ms);
    timer.unref();
    this.chores.push(timer);
  }

  private async beat(): Promise<void> {
    if (!this.processes) return;
    try {
      await this.processes.beat();
      for (const step of this.beats) await step();
    } catch (err) {
      this.opts.onError(err);
    }
  }

  /** Leaves the deployment (counts and presence removed, lease given up) and closes the connections; once. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      clearInterval(this.timer);
      for (const t of this.chores) clearInterval(t);
      if (this.processes && this.redis) {
        for (const step of this.leaving) await step().catch(this.opts.onError);
        await this.processes.leave().catch(this.opts.onError);
        await this.redis.quit().catch(() => {});
      }
      await this.bus.close();
    })();
    return this.closed;
  }
}

const byRegistry = new WeakMap<object, Cluster>();

/**
 * The cluster of a rooms registry (one per process: the registry stands for the process in tests that run several
 * in one), made and shared into the registry on first use, and closed with it. `rooms.share` hands the registry its
 * slots and presence.
 */
export function clusterFor(
  rooms: RoomsView & { share(sharing: RoomsSharing): void },
  config: Pick<Config, "redisUrl">,
  opts: Omit<ClusterOptions, "redisUrl">,
): Cluster {
  let cluster = byRegistry.get(rooms);
  if (!cluster) {
    cluster = new Cluster({ ...opts, redisUrl: config.redisUrl });
    rooms.share(cluster.roomsSharing(rooms));
    byRegistry.set(rooms, cluster);
  }
  return cluster;
}
