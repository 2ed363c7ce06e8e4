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
  await Promise.all(
    room.memberList().map(async (conn) => {
      const result = await access(conn.user, taskId);
      if (!result) return conn.close(CLOSE.ACCESS_REVOKED);
      const grant = roomGrant(result);
      if (grant.relation !== conn.relation || grant.writable !== conn.writable) return conn.close(CLOSE.PERMISSIONS_CHANGED);
      conn.sendAbilities(grant.abilities, grant.stage);
    }),
  );
}
