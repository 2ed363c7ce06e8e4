import { isClientAwarenessState, knownPresenceFields, type PresenceUser } from "../../shared/collab/presence";
import { decodeAwarenessUpdate, encodeAwarenessUpdate, type AwarenessEntry } from "../../shared/collab/protocol";

export type StampResult = {
  /** The rewritten awareness update, or null when no entry survived. */
  update: Uint8Array | null;
  /** Client ids whose entries were kept (the connection now owns them). */
  clientIds: number[];
  /** The kept entries, stamped (what `update` encodes), for the room's presence store. */
  entries: AwarenessEntry[];
};

export type StampOptions = {
  user: PresenceUser;
  /** JSON.stringify(user), when the caller keeps it (a connection stamps the same identity into every state). */
  userJson?: string;
  /** Whether this connection may speak for a client id (its own, or one nobody else ever claimed in this room). */
  mayClaim(clientId: number): boolean;
  /** Client ids the connection holds already: those pass; new ones count against the caps. */
  owned: ReadonlySet<number>;
  maxStateBytes: number;
  maxClientIds: number;
  maxNewClientIds: number;
};

/**
 * Rewrites a client's awareness update before the server applies it: entries for client ids the connection may not
 * claim, or past its caps on client ids, are dropped (stock clients echo everyone's states back, so dropping is the
 * normal case, not an attack); every kept state holds only the known presence fields and the authenticated `user`.
 * Throws on bytes that do not decode or an oversized state (the caller closes that connection).
 */
export function stampAwarenessUpdate(update: Uint8Array, opts: StampOptions): StampResult {
  const kept: AwarenessEntry[] = [];
  let held = opts.owned.size;
  const claimedHere = new Set<number>();
  for (const entry of decodeAwarenessUpdate(update)) {
    if (entry.state.length > opts.maxStateBytes) throw new Error("awareness state too large");
    const state: unknown = JSON.parse(entry.state);
    if (!isClientAwarenessState(state)) throw new Error("an awareness state is a JSON object or null");
    if (!opts.owned.has(entry.clientId) && !claimedHere.has(entry.clientId)) {
      if (held >= opts.maxClientIds || claimedHere.size >= opts.maxNewClientIds || !opts.mayClaim(entry.clientId)) continue;
      held++;
      claimedHere.add(entry.clientId);
    }
    kept.push({ ...entry, state: state === null ? "null" : stampedJson(knownPresenceFields(state), opts.userJson ?? JSON.stringify(opts.user)) });
  }
  if (kept.length === 0) return { update: null, clientIds: [], entries: [] };
  return { update: encodeAwarenessUpdate(kept), clientIds: kept.map((e) => e.clientId), entries: kept };
}

/** JSON.stringify({ ...fields, user }) with the user's JSON given (the same text, without re-serialising `user`). */
function stampedJson(fields: Record<string, unknown>, userJson: string): string {
  let out = "{";
  for (const [name, value] of Object.entries(fields)) if (name !== "user") out += `${JSON.stringify(name)}:${JSON.stringify(value)},`;
  return `${out}"user":${userJson}}`;
}
