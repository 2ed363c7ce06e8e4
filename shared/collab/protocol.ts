import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { z } from "zod";

/**
 * The y-websocket wire protocol (first varuint of every message) plus two message types of our own. Stock clients
 * never receive ours: the server sends them only to connections that opt in with the URL parameter ACK_PARAM.
 */
export const MESSAGE = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** Ours: [SAVED, n] — every document message this connection sent, up to its n-th, is durably stored. */
  saved: 100,
  /** Ours: [REFUSED, n, reason] — the n-th document message was not applied (read-only, too large). */
  refused: 101,
} as const;

/** Sync sub-types (y-protocols/sync). Step 2 and update carry document changes and count as "document messages". */
export const SYNC = { step1: 0, step2: 1, update: 2 } as const;

/** URL query parameter by which our client asks for SAVED / REFUSED messages (`?ack=1`). */
export const ACK_PARAM = "ack";

export const REFUSAL_REASONS = ["read_only", "document_too_large"] as const;
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

export function encodeSaved(upTo: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE.saved);
  encoding.writeVarUint(e, upTo);
  return encoding.toUint8Array(e);
}

export function encodeRefused(messageNumber: number, reason: RefusalReason): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE.refused);
  encoding.writeVarUint(e, messageNumber);
  encoding.writeVarString(e, reason);
  return encoding.toUint8Array(e);
}

export type OwnMessage =
  | { type: "saved"; upTo: number }
  | { type: "refused"; messageNumber: number; reason: RefusalReason };

/** Decodes one of our own messages (for our client); null for any y-websocket message or a malformed one. */
export function decodeOwnMessage(data: Uint8Array): OwnMessage | null {
  try {
    const d = decoding.createDecoder(data);
    const type = decoding.readVarUint(d);
    if (type === MESSAGE.saved) return { type: "saved", upTo: decoding.readVarUint(d) };
    if (type === MESSAGE.refused) {
      const messageNumber = decoding.readVarUint(d);
      const reason = RefusalReason.safeParse(decoding.readVarString(d));
      return reason.success ? { type: "refused", messageNumber, reason: reason.data } : null;
    }
    return null;
  } catch {
    return null;
  }
}

/**
 * Whether an outgoing client message carries document changes (sync step 2 or update). Our client counts these to
 * match SAVED acknowledgements: the server numbers them 1, 2, 3… per connection in the order received.
 */
export function isDocumentMessage(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === MESSAGE.sync && (data[1] === SYNC.step2 || data[1] === SYNC.update);
}
