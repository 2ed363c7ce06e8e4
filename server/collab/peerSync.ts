import * as Y from "yjs";
import { decodeAwarenessUpdate } from "../../shared/collab/protocol";
import { PEER_SYNC_ORIGIN, RELAY_ORIGIN } from "./origins";
import type { Relay, RelayMessage } from "./relay";
import type { Room } from "./room";

/**
 * A room's side of the relay between processes: applies what peers publish (updates, presence, sync requests and
 * replies, revalidation requests) to the local room. Publishing local changes is done where they happen (rooms.ts).
 */
export function applyPeerMessage(
  room: Room,
  msg: RelayMessage,
  from: string,
  ctx: { relay: Relay; revalidate(): void },
): void {
  switch (msg.kind) {
    case "update":
      Y.applyUpdate(room.doc, msg.update, RELAY_ORIGIN);
      return;
    case "awareness":
      trackRemoteClients(room, msg.update);
      room.awareness.applyUpdate(msg.update, RELAY_ORIGIN);
      return;
    case "syncRequest":
      ctx.relay.publish(room.name, {
        kind: "syncReply",
        to: from,
        update: Y.encodeStateAsUpdate(room.doc, msg.stateVector),
        awareness: room.awareness.encode(room.localPresenceIds()),
      });
      return;
    case "syncReply":
      Y.applyUpdate(room.doc, msg.update, PEER_SYNC_ORIGIN);
      trackRemoteClients(room, msg.awareness);
      room.awareness.applyUpdate(msg.awareness, RELAY_ORIGIN);
      return;
    case "revalidate":
      ctx.revalidate();
      return;
  }
}

/**
 * Client ids present on peer processes, so no local connection claims one; the stamped identity in a peer's state
 * also records the id's owner, so ownership holds across processes.
 */
function trackRemoteClients(room: Room, update: Uint8Array): void {
  for (const entry of decodeAwarenessUpdate(update)) {
    if (entry.state === "null") {
      room.remoteClientIds.delete(entry.clientId);
      continue;
    }
    room.remoteClientIds.add(entry.clientId);
    const owner = stampedUserId(entry.state);
    if (owner) room.claimClientId(entry.clientId, owner);
  }
}

function stampedUserId(state: string): string | null {
  try {
    const user = (JSON.parse(state) as { user?: { id?: unknown } } | null)?.user;
    return typeof user?.id === "string" ? user.id : null;
  } catch {
    return null;
  }
}
