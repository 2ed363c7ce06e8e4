import { ClientAwarenessState, type PresenceUser } from "../../shared/collab/presence";
import { decodeAwarenessUpdate, encodeAwarenessUpdate, type AwarenessEntry } from "../../shared/collab/protocol";

export type StampResult = {
  /** The rewritten awareness update, or null when no entry survived. */
  update: Uint8Array | null;
  /** Client ids whose entries were kept (the connection now owns them). */
  clientIds: number[];
};

/**
 * Rewrites a client's awareness update before the server applies it: entries for client ids the connection may not
 * claim are dropped, and every state's `user` field is replaced by the authenticated identity. Throws on bytes that
 * do not decode (the caller closes that connection).
 */
export function stampAwarenessUpdate(
  update: Uint8Array,
  opts: { user: PresenceUser; mayClaim(clientId: number): boolean; maxStateBytes: number },
): StampResult {
  const kept: AwarenessEntry[] = [];
  for (const entry of decodeAwarenessUpdate(update)) {
    if (entry.state.length > opts.maxStateBytes) throw new Error("awareness state too large");
    const state = ClientAwarenessState.parse(JSON.parse(entry.state));
    if (!opts.mayClaim(entry.clientId)) continue;
    kept.push({ ...entry, state: JSON.stringify(state === null ? null : { ...state, user: opts.user }) });
  }
  if (kept.length === 0) return { update: null, clientIds: [] };
  return { update: encodeAwarenessUpdate(kept), clientIds: kept.map((e) => e.clientId) };
}
