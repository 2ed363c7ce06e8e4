import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { z } from "zod";
import { TaskAbilities } from "../api/abilities";
import { Stage } from "../domain/stages";

/**
 * Every frame spoken on a room's WebSocket, encoded and decoded here and nowhere else: the y-websocket protocol
 * (first varuint of every message: sync, awareness, auth, query-awareness) plus frames of our own. Stock clients
 * never receive ours: the server sends them only to connections that opt in with the URL parameter ACK_PARAM, and
 * their type numbers are ones the stock client has no handler for.
 */
export const MESSAGE = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** Ours: [SAVED, n] — every document message this connection sent, up to its n-th, is durably stored. */
  saved: 100,
  /** Ours: [REFUSED, n, reason] — the n-th document message was not applied (REFUSAL_REASONS says why). */
  refused: 101,
  /**
   * Ours: [ABILITIES, json {abilities, stage}] — the task's stage and what this person may do to it now (on connect
   * and after every stage change), so the badge, the controls and the panels follow a move without a reload.
   */
  abilities: 102,
} as const;

/** Sync sub-types (y-protocols/sync). Step 2 and update carry document changes and count as "document messages". */
export const SYNC = { step1: 0, step2: 1, update: 2 } as const;

/** URL query parameter by which our client asks for our own frames, SAVED / REFUSED / ABILITIES (`?ack=1`). */
export const ACK_PARAM = "ack";

/**
 * Why a document message was refused (REFUSED frame). Every refusal is whole: nothing of the message was applied,
 * stored or sent to anyone else.
 *   read_only            this person may write no part of the room now
 *   field_not_writable   it touches a top-level field this person may not write at this stage (shared/room/layout.ts)
 *   invalid_structure    the document would break the layout: an unknown field, raw text in the draft, an element
 *                        the editor does not know, a critique item that does not parse (shared/room/validate.ts)
 *   identity_mismatch    it sets a critique item's author (createdBy) to someone other than the writer
 *   missing_dependencies it builds on changes the server never received (Yjs would hold it pending, unsaved)
 *   document_too_large   the document would grow past COLLAB_LIMITS.maxDocumentBytes
 *   storage_unavailable  the database is not taking writes and this room's queue is full: reconnect later
 */
export const REFUSAL_REASONS = [
  "read_only",
  "field_not_writable",
  "invalid_structure",
  "identity_mismatch",
  "missing_dependencies",
  "document_too_large",
  "storage_unavailable",
] as const;
export const RefusalReason = z.enum(REFUSAL_REASONS);
export type RefusalReason = z.infer<typeof RefusalReason>;

/** Room names: `task:<uuid>`. */
export const RoomName = z.string().regex(/^task:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
export type RoomName = z.infer<typeof RoomName>;

export const COLLAB_PATH_PREFIX = "/collab/";

export function taskRoom(taskId: string): RoomName {
  return `task:${taskId.toLowerCase()}`;
}

/** The task id of a room name, or null when the name is not a task room. */
export function taskIdOfRoom(room: string): string | null {
  return RoomName.safeParse(room).success ? room.slice("task:".length) : null;
}

/** Parses the upgrade URL path (`/collab/task:<uuid>`, as y-websocket builds it) into a room name, or null. */
export function roomFromPath(pathname: string): RoomName | null {
  if (!pathname.startsWith(COLLAB_PATH_PREFIX)) return null;
  let name: string;
  try {
    name = decodeURIComponent(pathname.slice(COLLAB_PATH_PREFIX.length)).toLowerCase();
  } catch {
    return null;
  }
  const parsed = RoomName.safeParse(name);
  return parsed.success ? parsed.data : null;
}

const AbilitiesBody = z.object({ abilities: TaskAbilities, stage: Stage });

export type Frame =
  /** "Here is my state vector; send me what I lack." */
  | { type: "syncStep1"; stateVector: Uint8Array }
  /** The answer to step 1: what the asker lacked. */
  | { type: "syncStep2"; update: Uint8Array }
  | { type: "syncUpdate"; update: Uint8Array }
  /** An awareness update (y-protocols/awareness encoding; see AwarenessEntry). */
  | { type: "awareness"; update: Uint8Array }
  | { type: "queryAwareness" }
  /** y-protocols' auth message; its content is never used (authority comes from the session cookie). */
  | { type: "auth" }
  | { type: "saved"; upTo: number }
  | { type: "refused"; messageNumber: number; reason: RefusalReason }
  | { type: "abilities"; abilities: TaskAbilities; stage: Stage };

export type OwnMessage = Extract<Frame, { type: "saved" | "refused" | "abilities" }>;

/**
 * `head` (one-byte var-uints, < 128) then `payload` as a var-length byte array, in one exact-size allocation: the
 * frames sent most often (document updates and presence, once per message) skip the encoder's growing buffers.
 */
export function framedPayload(head: readonly number[], payload: Uint8Array): Uint8Array {
  let lengthBytes = 1;
  for (let n = payload.length; n > 0x7f; n >>>= 7) lengthBytes++;
  const out = new Uint8Array(head.length + lengthBytes + payload.length);
  out.set(head);
  let i = head.length;
  let n = payload.length;
  for (; n > 0x7f; n >>>= 7) out[i++] = 0x80 | (n & 0x7f);
  out[i++] = n;
  out.set(payload, i);
  return out;
}

export function encodeFrame(frame: Frame): Uint8Array {
  if (frame.type === "syncUpdate") return framedPayload([MESSAGE.sync, SYNC.update], frame.update);
  if (frame.type === "awareness") return framedPayload([MESSAGE.awareness], frame.update);
  const e = encoding.createEncoder();
  switch (frame.type) {
    case "syncStep1":
      encoding.writeVarUint(e, MESSAGE.sync);
      encoding.writeVarUint(e, SYNC.step1);
      encoding.writeVarUint8Array(e, frame.stateVector);
      break;
    case "syncStep2":
      encoding.writeVarUint(e, MESSAGE.sync);
      encoding.writeVarUint(e, SYNC.step2);
      encoding.writeVarUint8Array(e, frame.update);
      break;
    case "queryAwareness":
      encoding.writeVarUint(e, MESSAGE.queryAwareness);
      break;
    case "auth":
      // Only ever decoded; encoded as y-protocols' "permission denied" with no reason, for tests.
      encoding.writeVarUint(e, MESSAGE.auth);
      encoding.writeVarUint(e, 0);
      encoding.writeVarString(e, "");
      break;
    case "saved":
      encoding.writeVarUint(e, MESSAGE.saved);
      encoding.writeVarUint(e, frame.upTo);
      break;
    case "refused":
      encoding.writeVarUint(e, MESSAGE.refused);
      encoding.writeVarUint(e, frame.messageNumber);
      encoding.writeVarString(e, frame.reason);
      break;
    case "abilities":
      encoding.writeVarUint(e, MESSAGE.abilities);
      encoding.writeVarString(e, JSON.stringify({ abilities: frame.abilities, stage: frame.stage }));
      break;
  }
  return encoding.toUint8Array(e);
}

/** Decodes one frame; throws on bytes that are not a frame of this protocol (the server closes that connection). */
export function decodeFrame(data: Uint8Array): Frame {
  const d = decoding.createDecoder(data);
  const type = decoding.readVarUint(d);
  switch (type) {
    case MESSAGE.sync: {
      const sub = decoding.readVarUint(d);
      if (sub === SYNC.step1) return { type: "syncStep1", stateVector: decoding.readVarUint8Array(d) };
      if (sub === SYNC.step2) return { type: "syncStep2", update: decoding.readVarUint8Array(d) };
      if (sub === SYNC.update) return { type: "syncUpdate", update: decoding.readVarUint8Array(d) };
      throw new Error(`unknown sync message ${sub}`);
    }
    case MESSAGE.awareness:
      return { type: "awareness", update: decoding.readVarUint8Array(d) };
    case MESSAGE.queryAwareness:
      return { type: "queryAwareness" };
    case MESSAGE.auth:
      return { type: "auth" };
    case MESSAGE.saved:
      return { type: "saved", upTo: decoding.readVarUint(d) };
    case MESSAGE.refused: {
      const messageNumber = decoding.readVarUint(d);
      return { type: "refused", messageNumber, reason: RefusalReason.parse(decoding.readVarString(d)) };
    }
    case MESSAGE.abilities: {
      const body = AbilitiesBody.parse(JSON.parse(decoding.readVarString(d)));
      return { type: "abilities", abilities: body.abilities, stage: body.stage };
    }
    default:
      throw new Error(`unknown message type ${type}`);
  }
}

export const encodeSaved = (upTo: number) => encodeFrame({ type: "saved", upTo });
export const encodeRefused = (messageNumber: number, reason: RefusalReason) => encodeFrame({ type: "refused", messageNumber, reason });

/** Decodes one of our own frames (for our client); null for any y-websocket message or a malformed one. */
export function decodeOwnMessage(data: Uint8Array): OwnMessage | null {
  try {
    const frame = decodeFrame(data);
    return frame.type === "saved" || frame.type === "refused" || frame.type === "abilities" ? frame : null;
  } catch {
    return null;
  }
}

// ---- Awareness updates (y-protocols/awareness): [count, (clientId, clock, JSON state)*]

export type AwarenessEntry = { clientId: number; clock: number; /** JSON text; "null" = the client left. */ state: string };

/** Throws on bytes that do not decode, or on trailing bytes. */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const d = decoding.createDecoder(update);
  const count = decoding.readVarUint(d);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(d);
    const clock = decoding.readVarUint(d);
    entries.push({ clientId, clock, state: decoding.readVarString(d) });
  }
  if (decoding.hasContent(d)) throw new Error("trailing bytes after awareness update");
  return entries;
}

export function encodeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(e, entry.clientId);
    encoding.writeVarUint(e, entry.clock);
    encoding.writeVarString(e, entry.state);
  }
  return encoding.toUint8Array(e);
}

/**
 * Whether an outgoing client message carries document changes (sync step 2 or update). Our client counts these to
 * match SAVED acknowledgements: the server numbers them 1, 2, 3… per connection in the order received.
 */
export function isDocumentMessage(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === MESSAGE.sync && (data[1] === SYNC.step2 || data[1] === SYNC.update);
}
