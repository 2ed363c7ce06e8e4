import type { Redis } from "ioredis";
import { z } from "zod";
import { Role } from "../../shared/domain";
import type { ProcessRegistry } from "./processes";

/** Someone in a room, with how many connections they have there. */
export const PresenceEntry = z.object({
  room: z.string().min(1),
  user: z.object({ id: z.string().min(1), name: z.string(), role: Role }),
  connections: z.number().int().min(1),
});
export type PresenceEntry = z.infer<typeof PresenceEntry>;

/**
 * Who is in which room right now, for the lists of people working now (server/training/live.ts). Each process
 * knows its own connections; `everywhere` is the union over every process.
 */
export interface RoomPresence {
  /** Every process's entries, this one's included; one entry per room and person, connections summed. */
  everywhere(): Promise<PresenceEntry[]>;
  /** This process's rooms changed (a join, a leave): the shared copy is brought up to date soon. */
  changed(): void;
}

/** Entries merged per room and person (a person with tabs on two processes is one entry). */
export function mergePresence(lists: readonly (readonly PresenceEntry[])[]): PresenceEntry[] {
  const merged = new Map<string, PresenceEntry>();
  for (const list of lists) {
    for (const e of list) {
      const key = `${e.room}\u0000${e.user.id}`;
      const seen = merged.get(key);
      if (seen) seen.connections += e.connections;
      else merged.set(key, { ...e, user: { ...e.user } });
    }
  }
  return [...merged.values()];
}

/** A process alone: its own rooms are everyone's. */
export class LocalPresence implements RoomPresence {
  constructor(private readonly local: () => PresenceEntry[]) {}

  async everywhere(): Promise<PresenceEntry[]> {
    return mergePresence([this.local()]);
  }

  changed(): void {}
}

/** How soon after a join or leave the shared copy is rewritten (joins come in bursts: one write for the burst). */
const PUBLISH_DELAY_MS = 50;

/**
 * Presence in Redis: each process keeps one hash of its own entries, rewritten whole after its rooms change and on
 * every heartbeat, with an expiry a little past its process lease. Readers take the hashes of the processes that
 * are alive (processes.ts), so a killed process's people drop out of the lists once its lease runs out.
 */
export class RedisPresence implements RoomPresence {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly processes: ProcessRegistry,
    private readonly local: () => PresenceEntry[],
    private readonly prefix: string,
    private readonly ttlMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  private keyOf(processId: string): string {
    return `${this.prefix}presence:${processId}`;
  }

  changed(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.publish().catch(this.onError);
    }, PUBLISH_DELAY_MS);
    this.timer.unref();
  }

  /** Replaces this process's hash with what it holds now (in one transaction: readers never see half of it). */
  async publish(): Promise<void> {
    if (this.closed) return;
    const key = this.keyOf(this.processes.processId);
    const entries = mergePresence([this.local()]);
    const tx = this.redis.multi().del(key);
    if (entries.length > 0) {
      tx.hset(key, Object.fromEntries(entries.map((e) => [`${e.room}\u0000${e.user.id}`, JSON.stringify(e)])));
      tx.pexpire(key, this.ttlMs);
    }
    await tx.exec();
  }

  async everywhere(): Promise<PresenceEntry[]> {
    const mine = this.local();
    let others: string[];
    try {
      others = (await this.processes.alive()).filter((id) => id !== this.processes.processId);
    } catch (err) {
      // Redis unreachable: the list this process can vouch for, rather than none.
      this.onError(err);
      return mergePresence([mine]);
    }
    const batch = this.redis.pipeline();
    for (const id of others) batch.hvals(this.keyOf(id));
    const results = others.length > 0 ? ((await batch.exec()) ?? []) : [];
    const lists = results.map(([err, values]) => {
      if (err || !Array.isArray(values)) return [];
      return values.flatMap((raw) => {
        const parsed = typeof raw === "string" ? PresenceEntry.safeParse(safeJson(raw)) : null;
        return parsed?.success ? [parsed.data] : [];
      });
    });
    return mergePresence([mine, ...lists]);
  }

  /** Shutting down: this process's people leave the lists at once. */
  async clear(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.redis.del(this.keyOf(this.processes.processId));
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
}
