import { decodeAwarenessUpdate, encodeAwarenessUpdate, type AwarenessEntry } from "../../shared/collab/protocol";

/** Who was added, updated (renewals included) or removed by one change; what y-protocols' "update" event carries. */
export type PresenceChange = { added: number[]; updated: number[]; removed: number[] };
export type PresenceListener = (change: PresenceChange, origin: unknown) => void;

/** A remote client whose state has not been renewed for this long is gone (y-protocols' outdatedTimeout). */
export const PRESENCE_OUTDATED_MS = 30_000;

/**
 * A room's awareness on the server: y-protocols' Awareness rules for clocks, removals and time-outs, with each state
 * kept as the JSON text it arrived in. The server never reads a state's fields (presence is stamped before it gets
 * here, awarenessStamp.ts), so it never parses a state again nor re-serialises one to pass it on: a cursor moving at
 * 2 Hz in 300 rooms costs no object trees to build, compare and collect. The server has no presence of its own.
 */
export class PresenceStore {
  /** Client id → state as JSON text (never "null": a removed client has no state, only its clock). */
  private readonly states = new Map<number, string>();
  private readonly meta = new Map<number, { clock: number; lastUpdated: number }>();
  private readonly listeners = new Set<PresenceListener>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly outdatedMs = PRESENCE_OUTDATED_MS) {
    this.sweeper = setInterval(() => this.sweep(), Math.floor(outdatedMs / 10));
    this.sweeper.unref();
  }

  has(clientId: number): boolean {
    return this.states.has(clientId);
  }

  get size(): number {
    return this.states.size;
  }

  /** Client ids that have a state now. */
  clientIds(): number[] {
    return [...this.states.keys()];
  }

  /** A state's JSON text (tests and tools; the server passes states on without reading them). */
  stateText(clientId: number): string | undefined {
    return this.states.get(clientId);
  }

  onUpdate(listener: PresenceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Applies entries by y-protocols' rule: a newer clock wins; at the same clock, a null state removes a present one.
   * Emits one change when anything was added, renewed or removed. Returns that change.
   */
  apply(entries: readonly AwarenessEntry[], origin: unknown): PresenceChange {
    const change: PresenceChange = { added: [], updated: [], removed: [] };
    const now = Date.now();
    for (const { clientId, clock, state } of entries) {
      const meta = this.meta.get(clientId);
      const gone = state === "null";
      const current = meta?.clock ?? 0;
      if (!(current < clock || (current === clock && gone && this.states.has(clientId)))) continue;
      if (gone) this.states.delete(clientId);
      else this.states.set(clientId, state);
      this.meta.set(clientId, { clock, lastUpdated: now });
      if (meta === undefined && !gone) change.added.push(clientId);
      else if (meta !== undefined && gone) change.removed.push(clientId);
      else if (!gone) change.updated.push(clientId);
    }
    this.emit(change, origin);
    return change;
  }

  /** Applies an encoded awareness update (from a peer process); throws on bytes that do not decode. */
  applyUpdate(update: Uint8Array, origin: unknown): PresenceChange {
    return this.apply(decodeAwarenessUpdate(update), origin);
  }

  /** The encoded states (or removals, as null at their last clock) of these clients, for a y-websocket client. */
  encode(clientIds: readonly number[]): Uint8Array {
    const entries: AwarenessEntry[] = [];
    for (const clientId of clientIds) {
      const meta = this.meta.get(clientId);
      if (meta) entries.push({ clientId, clock: meta.clock, state: this.states.get(clientId) ?? "null" });
    }
    return encodeAwarenessUpdate(entries);
  }

  /** Removes these clients' states (their connection left), as y-protocols' removeAwarenessStates does. */
  remove(clientIds: readonly number[], origin: unknown): void {
    const removed = clientIds.filter((id) => this.states.delete(id));
    this.emit({ added: [], updated: [], removed }, origin);
  }

  destroy(): void {
    clearInterval(this.sweeper);
    this.listeners.clear();
  }

  private emit(change: PresenceChange, origin: unknown): void {
    if (change.added.length + change.updated.length + change.removed.length === 0) return;
    for (const listener of this.listeners) listener(change, origin);
  }

  /** Drops states not renewed within outdatedMs (a client that vanished without a removal). */
  private sweep(): void {
    const now = Date.now();
    const outdated: number[] = [];
    for (const [clientId, meta] of this.meta) if (this.states.has(clientId) && now - meta.lastUpdated >= this.outdatedMs) outdated.push(clientId);
    if (outdated.length > 0) this.remove(outdated, "timeout");
  }
}
