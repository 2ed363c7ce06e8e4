import { eq } from "drizzle-orm";
import type { RoomRegistry } from "../collab/rooms";
import type { SessionUser } from "../auth/sessionUser";
import type { Db } from "../db";
import { tasks, taskVersions } from "../db/schema";
import { readPolished, readRoom, type RoomSnapshot } from "../loop/roomContent";
import { renderCritique } from "../../shared/critique/items";
import type { TaskVersion } from "./pick";

/**
 * Freezing a version out of the live room, the one way both freezes use: the annotator's at submit (or at a perfect
 * score) from server/loop/transitions.ts, the reviewer's at fix-and-approve from server/review/decisions.ts.
 */

/** What a version holds of the room's work. */
export type VersionContent = Pick<TaskVersion, "preCaption" | "critique" | "critiqueText" | "polishedCritiqueText" | "postCaption">;
export type FrozenVersion = VersionContent & Pick<TaskVersion, "score">;

/** The room's work as a version; a perfect score keeps the draft as the post-caption, with no critique. */
async function contentOf(rooms: RoomRegistry, taskId: string, room: RoomSnapshot, perfect: boolean): Promise<VersionContent> {
  if (perfect) return { preCaption: room.draft, critique: [], critiqueText: "", polishedCritiqueText: null, postCaption: room.draft };
  return {
    preCaption: room.draft,
    critique: room.items,
    critiqueText: renderCritique(room.items),
    polishedCritiqueText: await readPolished(rooms, taskId, room.items),
    postCaption: room.post,
  };
}

/** What the worker hands in at submit, or at a perfect score (5). */
export async function submittedVersion(
  rooms: RoomRegistry,
  task: { id: string; score: number | null },
  room: RoomSnapshot,
  perfect: boolean,
): Promise<FrozenVersion> {
  return { ...(await contentOf(rooms, task.id, room, perfect)), score: perfect ? 5 : task.score };
}

/** The role a version is filed under: a reviewer's fix-and-approve is the reviewer's, anyone else's the annotator's. */
export const authorRoleOf = (user: Pick<SessionUser, "role">): TaskVersion["authorRole"] =>
  user.role === "reviewer" ? "reviewer" : "annotator";

export async function freezeVersion(
  tx: Db,
  taskId: string,
  author: { id: string; role: TaskVersion["authorRole"] },
  v: FrozenVersion,
  at?: Date,
): Promise<void> {
  await tx.insert(taskVersions).values({ taskId, authorId: author.id, authorRole: author.role, ...v, ...(at ? { createdAt: at } : {}) });
}

/** The room as the reviewer left it after fixing; null when the room holds no caption to freeze. */
export async function fixedVersion(rooms: RoomRegistry, taskId: string): Promise<VersionContent | null> {
  const room = await readRoom(rooms, taskId);
  if (!room.draft.trim() || !room.post.trim()) return null;
  return contentOf(rooms, taskId, room, false);
}

/** Freezes a reviewer's fix (whoever fixed, it is filed as the reviewer's) with the task's score as it stands. */
export async function freezeFixedVersion(tx: Db, taskId: string, authorId: string, v: VersionContent, at: Date): Promise<void> {
  const [task] = await tx.select({ score: tasks.score }).from(tasks).where(eq(tasks.id, taskId));
  await freezeVersion(tx, taskId, { id: authorId, role: "reviewer" }, { ...v, score: task?.score ?? null }, at);
}
