import { asc, eq } from "drizzle-orm";
import { audit } from "../audit";
import type { SessionUser } from "../auth/sessionUser";
import type { Db } from "../db";
import { tasks, videos } from "../db/schema";
import { conflict, notFound } from "../errors";
import type { GoldTaskRef, MarkGoldResponse } from "../../shared/api/training";
import { answerKeyOf } from "./answerKey";

/**
 * Marks an approved task as gold: its final critique (the approved version) becomes the answer key that trainees'
 * attempts on the same clip and aspect are scored against.
 */
export async function markGold(db: Db, actor: SessionUser, taskId: string): Promise<MarkGoldResponse> {
  const [task] = await db.select({ id: tasks.id, stage: tasks.stage, isGold: tasks.isGold }).from(tasks).where(eq(tasks.id, taskId)).limit(1);
  if (!task) throw notFound("No such task.");
  if (task.stage !== "approved") throw conflict(`Only a reviewed and approved task can become gold; this one is ${task.stage}.`);
  const key = await answerKeyOf(db, taskId);
  if (!key) throw conflict("The task has no approved version to use as the answer key.");
  if (!task.isGold) {
    await db.update(tasks).set({ isGold: true, updatedAt: new Date() }).where(eq(tasks.id, taskId));
    await audit(db, { actorId: actor.id, action: "task.gold", entityType: "task", entityId: taskId, data: { versionId: key.versionId, items: key.items.length } });
  }
  return { taskId, isGold: true, goldItems: key.items.length };
}

/** Every gold task with the size of its answer key. */
export async function listGoldTasks(db: Db): Promise<GoldTaskRef[]> {
  const rows = await db
    .select({ taskId: tasks.id, videoId: tasks.videoId, videoTitle: videos.title, aspect: tasks.aspect })
    .from(tasks)
    .innerJoin(videos, eq(videos.id, tasks.videoId))
    .where(eq(tasks.isGold, true))
    .orderBy(asc(videos.title), asc(tasks.aspect))
    .limit(500);
  return Promise.all(rows.map(async (r) => ({ ...r, goldItems: (await answerKeyOf(db, r.taskId))?.items.length ?? 0 })));
}
