import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { ClientAwarenessState, type PresenceUser } from "../../shared/collab/presence";

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
  const d = decoding.createDecoder(update);
  const count = decoding.readVarUint(d);
  const out = encoding.createEncoder();
  const kept: number[] = [];
  const entries: { clientId: number; clock: number; json: string }[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(d);
    const clock = decoding.readVarUint(d);
    const raw = decoding.readVarString(d);
    if (raw.length > opts.maxStateBytes) throw new Error("awareness state too large");
    const state = ClientAwarenessState.parse(JSON.parse(raw));
    if (!opts.mayClaim(clientId)) continue;
    const stamped = state === null ? null : { ...state, user: opts.user };
    entries.push({ clientId, clock, json: JSON.stringify(stamped) });
    kept.push(clientId);
  }
  if (decoding.hasContent(d)) throw new Error("trailing bytes after awareness update");
  if (entries.length === 0) return { update: null, clientIds: [] };
  encoding.writeVarUint(out, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(out, e.clientId);
    encoding.writeVarUint(out, e.clock);
    encoding.writeVarString(out, e.json);
  }
  return { update: encoding.toUint8Array(out), clientIds: kept };
}
