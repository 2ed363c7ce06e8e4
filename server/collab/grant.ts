import type { TaskAbilities } from "../../shared/api/abilities";
import type { TaskRelation } from "../../shared/api/tasks";
import type { Stage } from "../../shared/domain/stages";
import type { SessionUser } from "../auth/sessionUser";

/** What the task policy answers for one person and task (server/resources/tasks/policy.ts taskAccess); null = no access. */
export type TaskAccessResult = { relation: TaskRelation; abilities: TaskAbilities; stage: Stage };

/**
 * Asks the task policy, with the database already bound; injected into the collaboration server by the composition
 * root so the collab code never imports the policy (or the app's context).
 */
export type TaskAccessLookup = (user: SessionUser, taskId: string) => Promise<TaskAccessResult | null>;

/** A connection's standing in a room: its relation, whether it may change the document at all, and its abilities. */
export type RoomGrant = { relation: TaskRelation; writable: boolean; abilities: TaskAbilities; stage: Stage };

/** A person whose abilities name no room field has a read-only room. */
export function roomGrant(access: TaskAccessResult): RoomGrant {
  return { relation: access.relation, writable: access.abilities.roomWrites.length > 0, abilities: access.abilities, stage: access.stage };
}
