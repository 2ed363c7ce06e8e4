import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import type { SessionUser } from "../auth/sessionUser";
import type { Db } from "../db";
import { coachingNotes, tasks, users } from "../db/schema";
import { forbidden, notFound } from "../errors";
import { can, taskAccess } from "../resources/tasks/policy";
import type { CoachingNote, CreateCoachingNoteRequest, Spotlight, SpotlightRequest } from "../../shared/api/training";
import { CoachingNote as CoachingNoteSchema } from "../../shared/api/training";
import type { CoachingHub } from "./coachingHub";

/**
 * Coaching notes are private between a trainer and a trainee: stored in coaching_notes (never in the room document,
 * never exported) and readable by the trainee, their trainers and leads only.
 */

export type CoachingAccess = { taskId: string; traineeId: string; mayWrite: boolean };

/** Who may read (trainee, trainer, lead, admin) and write (trainer) a task's coaching; 403 for anyone else. */
export async function coachingAccess(db: Db, user: SessionUser, taskId: string): Promise<CoachingAccess> {
  const [task] = await db
    .select({ id: tasks.id, annotatorId: tasks.annotatorId, reviewerId: tasks.reviewerId, stage: tasks.stage, annotatorRole: users.role })
    .from(tasks)
    .leftJoin(users, eq(users.id, tasks.annotatorId))
    .where(eq(tasks.id, taskId))
    .limit(1);
  if (!task) throw notFound("No such task.");
  if (!task.annotatorId || task.annotatorRole !== "trainee") throw forbidden("Coaching is for trainees' tasks only.");
  // The task policy decides: the coaching panel is who may read, the "coach" action who may write.
  const access = await taskAccess(db, user, task);
  if (!access?.abilities.panels.includes("coaching")) throw forbidden("Coaching notes are private to the trainee and their trainers.");
  return { taskId, traineeId: task.annotatorId, mayWrite: can(access.abilities, "coach") };
}

const trainerRef = (u: SessionUser) => ({ id: u.id, name: u.displayName });

export async function listNotes(db: Db, taskId: string): Promise<CoachingNote[]> {
  const rows = await db
    .select({ note: coachingNotes, trainerName: users.displayName })
    .from(coachingNotes)
    .innerJoin(users, eq(users.id, coachingNotes.trainerId))
    .where(eq(coachingNotes.taskId, taskId))
    .orderBy(asc(coachingNotes.createdAt));
  return rows.map(({ note, trainerName }) => toNote(note, trainerName));
}

function toNote(n: typeof coachingNotes.$inferSelect, trainerName: string): CoachingNote {
  const anchor = CoachingNoteSchema.shape.anchor.safeParse(n.anchor ?? null);
  return {
    id: n.id,
    taskId: n.taskId,
    trainer: { id: n.trainerId, name: trainerName },
    traineeId: n.traineeId,
    body: n.body,
    anchor: anchor.success ? anchor.data : null,
    quote: n.quote,
    timeStart: n.timeStart,
    timeEnd: n.timeEnd,
    createdAt: n.createdAt.toISOString(),
  };
}

export async function addNote(db: Db, hub: CoachingHub, trainer: SessionUser, access: CoachingAccess, req: CreateCoachingNoteRequest): Promise<CoachingNote> {
  if (!access.mayWrite) throw forbidden("Only the trainee's trainer writes coaching notes.");
  const [row] = await db
    .insert(coachingNotes)
    .values({
      taskId: access.taskId,
      trainerId: trainer.id,
      traineeId: access.traineeId,
      body: req.body,
      anchor: req.anchor ?? null,
      quote: req.quote ?? req.anchor?.quote ?? null,
      timeStart: req.timeStart ?? null,
      timeEnd: req.timeEnd ?? null,
    })
    .returning();
  if (!row) throw new Error("coaching note insert returned nothing");
  const note = toNote(row, trainer.displayName);
  hub.publish(access.taskId, { type: "note", note });
  return note;
}

/** A spotlight is a moment's flash on the trainee's screen: delivered live, not stored. */
export function spotlight(hub: CoachingHub, trainer: SessionUser, access: CoachingAccess, req: SpotlightRequest): Spotlight {
  if (!access.mayWrite) throw forbidden("Only the trainee's trainer spotlights.");
  const s: Spotlight = {
    id: randomUUID(),
    taskId: access.taskId,
    from: trainerRef(trainer),
    quote: req.quote ?? req.anchor?.quote ?? null,
    anchor: req.anchor ?? null,
    timeStart: req.timeStart ?? null,
    timeEnd: req.timeEnd ?? req.timeStart ?? null,
    message: req.message ?? null,
    at: new Date().toISOString(),
  };
  hub.publish(access.taskId, { type: "spotlight", spotlight: s });
  return s;
}
