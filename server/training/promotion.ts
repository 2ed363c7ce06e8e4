import { and, eq } from "drizzle-orm";
import { audit } from "../audit";
import type { SessionUser } from "../auth/sessionUser";
import type { Db } from "../db";
import { users } from "../db/schema";
import { conflict, notFound } from "../errors";
import type { PromoteResponse } from "../../shared/api/training";
import { examResults } from "./exams";

/** Exams the person has passed; passing any one makes a trainee eligible for promotion. */
export async function passedExamIds(db: Db, userId: string): Promise<string[]> {
  return (await examResults(db, { traineeId: userId })).filter((r) => r.status === "passed").map((r) => r.examId);
}

/** A trainer (or lead/admin) confirms promotion of an eligible trainee to annotator. Audited. */
export async function promoteTrainee(db: Db, actor: SessionUser, userId: string): Promise<PromoteResponse> {
  const [person] = await db.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, userId)).limit(1);
  if (!person) throw notFound("No such person.");
  if (person.role !== "trainee") throw conflict(`Only trainees are promoted; this person is ${person.role}.`);
  const passed = await passedExamIds(db, userId);
  if (passed.length === 0) throw conflict("The trainee has not passed an exam yet.");
  const moved = await db
    .update(users)
    .set({ role: "annotator" })
    .where(and(eq(users.id, userId), eq(users.role, "trainee")))
    .returning({ id: users.id });
  if (moved.length === 0) throw conflict("The person's role changed meanwhile.");
  await audit(db, { actorId: actor.id, action: "user.promote", entityType: "user", entityId: userId, data: { from: "trainee", to: "annotator", passedExamIds: passed } });
  return { userId, role: "annotator", passedExamIds: passed };
}
