import { eq } from "drizzle-orm";
import { canWriteDocument } from "../../shared/collab/permissions";
import { relationToTask } from "../resources/tasks/policy";
import type { SessionUser } from "../context";
import type { Db } from "../db";
import { tasks } from "../db/schema";
import type { RoomAccess, RoomGrant } from "./rooms";

/** Who may enter a task's room and whether they may write, from the database (task row + relation policy). */
export class DbRoomAccess implements RoomAccess {
  constructor(private readonly db: Db) {}

  /** null when the task does not exist or the user has no relation to it. */
  async grant(user: SessionUser, taskId: string): Promise<RoomGrant | null> {
    const [task] = await this.db
      .select({ annotatorId: tasks.annotatorId, reviewerId: tasks.reviewerId, stage: tasks.stage })
      .from(tasks)
      .where(eq(tasks.id, taskId))
      .limit(1);
    if (!task) return null;
    const relation = await relationToTask(this.db, user, task);
    if (!relation) return null;
    return { relation, writable: canWriteDocument(relation, task.stage) };
  }
}
