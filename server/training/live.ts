import { eq, inArray } from "drizzle-orm";
import type { RoomRegistry } from "../collab/rooms";
import type { Db } from "../db";
import { tasks, users, videos } from "../db/schema";
import type { LiveTrainee, TraineeOverview } from "../../shared/api/training";
import { taskIdOfRoom } from "../../shared/collab/protocol";
import { passedExamIds } from "./promotion";

/**
 * Trainees connected to a task room right now, on any server process: the rooms' presence is the union of every
 * process's (server/cluster/presence.ts), so a trainer's page served by one process lists a trainee working
 * through another. A task that no longer exists drops out.
 */
export async function liveTrainees(db: Db, rooms: RoomRegistry | undefined): Promise<LiveTrainee[]> {
  if (!rooms) return [];
  const present = (await rooms.presence.everywhere()).flatMap((e) => {
    const taskId = taskIdOfRoom(e.room);
    return taskId && e.user.role === "trainee" ? [{ taskId, userId: e.user.id, name: e.user.name, connections: e.connections }] : [];
  });
  if (present.length === 0) return [];
  const rows = await db
    .select({ id: tasks.id, aspect: tasks.aspect, stage: tasks.stage, videoTitle: videos.title })
    .from(tasks)
    .innerJoin(videos, eq(videos.id, tasks.videoId))
    .where(inArray(tasks.id, [...new Set(present.map((p) => p.taskId))]));
  return present.flatMap((p) => {
    const t = rows.find((r) => r.id === p.taskId);
    return t ? [{ trainee: { id: p.userId, name: p.name }, taskId: p.taskId, videoTitle: t.videoTitle, aspect: t.aspect, stage: t.stage, connections: p.connections }] : [];
  });
}

/** Every trainee (active), with their tasks and whether they may be promoted. */
export async function traineeOverview(db: Db): Promise<TraineeOverview[]> {
  const people = await db
    .select({ id: users.id, name: users.displayName, email: users.email, role: users.role })
    .from(users)
    .where(eq(users.role, "trainee"));
  if (people.length === 0) return [];
  const taskRows = await db
    .select({ taskId: tasks.id, annotatorId: tasks.annotatorId, aspect: tasks.aspect, stage: tasks.stage, videoTitle: videos.title })
    .from(tasks)
    .innerJoin(videos, eq(videos.id, tasks.videoId))
    .where(inArray(tasks.annotatorId, people.map((p) => p.id)));
  return Promise.all(
    people.map(async (p) => {
      const passed = await passedExamIds(db, p.id);
      return {
        ...p,
        eligible: passed.length > 0,
        passedExamIds: passed,
        tasks: taskRows.filter((t) => t.annotatorId === p.id).map(({ taskId, aspect, stage, videoTitle }) => ({ taskId, aspect, stage, videoTitle })),
      };
    }),
  );
}
