import type { TaskAbilities } from "../../shared/api/abilities";
import type { TaskRelation } from "../../shared/api/tasks";
import type { Stage } from "../../shared/domain/stages";
import type { SessionUser } from "../auth/sessionUser";

/** What the task policy answers for one person and task (server/resources/tasks/policy.ts taskAccess); null = no access. */
export type TaskAccessResult = { relation: TaskRelation; abilities: TaskAbilities; stage: Stage };

/** The task policy's answer for each person, over one read of the task. */
export type TaskAccessFor = (user: SessionUser) => TaskAccessResult | null;

/**
 * Reads what access to a task depends on, with the database already bound, and answers for any person: a join starts
 * the read while its session is looked up, and a re-check answers every member from one read. Injected into the
 * collaboration server by the composition root so the collab code never imports the policy (or the app's context).
 */
export type TaskAccessLookup = (taskId: string) => Promise<TaskAccessFor>;

/** A connection's standing in a room: its relation, whether it may change the document at all, and its abilities. */
export type RoomGrant = { relation: TaskRelation; writable: boolean; abilities: TaskAbilities; stage: Stage };

/** A person whose abilities name no room field has a read-only room. */
export function roomGrant(access: TaskAccessResult): RoomGrant {
  return { relation: access.relation, writable: access.abilities.roomWrites.length > 0, abilities: access.abilities, stage: access.stage };
}
