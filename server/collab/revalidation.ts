import { CLOSE } from "../../shared/collab/closeCodes";
import { taskIdOfRoom } from "../../shared/collab/protocol";
import type { CollabConnection } from "./connection";
import { roomGrant, type TaskAccessLookup } from "./grant";
import type { Room } from "./room";

/**
 * Re-checks every local connection of a room after its task changed (stage, assignment): a connection whose room
 * rights changed is closed with PERMISSIONS_CHANGED (it rejoins with the new rights), one that lost access with
 * ACCESS_REVOKED; the others are kept and sent their fresh abilities.
 */
export async function revalidateRoom(room: Room<CollabConnection>, access: TaskAccessLookup): Promise<void> {
  const taskId = taskIdOfRoom(room.name);
  if (!taskId) return;
  const accessFor = await access(taskId);
  for (const conn of room.memberList()) {
    const result = accessFor(conn.user);
    if (!result) {
      conn.close(CLOSE.ACCESS_REVOKED);
      continue;
    }
    const grant = roomGrant(result);
    if (grant.relation !== conn.relation || grant.writable !== conn.writable) conn.close(CLOSE.PERMISSIONS_CHANGED);
    else conn.sendAbilities(grant.abilities, grant.stage);
  }
}
