import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { audit } from "../audit";
import type { SessionUser } from "../auth/sessionUser";
import type { Db } from "../db";
import { auditLog, examGoldTasks, exams, goldScores, tasks, users, videos } from "../db/schema";
import { invalid, conflict, notFound } from "../errors";
import type { AssignExamResponse, CreateExamRequest, ExamDetail, ExamResult, ExamSummary, GoldTaskRef } from "../../shared/api/training";
import type { TaskExamRef } from "../../shared/api/tasks";
import { examOutcome, f1Of } from "../../shared/goldScoring";
import { answerKeyOf } from "./answerKey";

/**
 * Exams: named groups of gold tasks with a pass threshold on the mean F1. Assigning an exam to a trainee creates one
 * ordinary task per gold task (same clip and aspect, the trainee as annotator). Which gold task an attempt answers is
 * recorded as an `exam.assign` audit entry on the attempt's task: the audit log is the append-only record of who
 * assigned what, and it needs no extra table.
 */
export const EXAM_ASSIGN_ACTION = "exam.assign";

export type Assignment = { taskId: string; examId: string; goldTaskId: string; traineeId: string };

const dataField = (field: "examId" | "goldTaskId" | "traineeId") => sql<string>`${auditLog.data}->>${field}`;

export async function createExam(db: Db, actor: SessionUser, req: CreateExamRequest): Promise<ExamSummary> {
  const ids = [...new Set(req.goldTaskIds)];
  const gold = await db.select({ id: tasks.id, isGold: tasks.isGold }).from(tasks).where(inArray(tasks.id, ids));
  const missing = ids.filter((id) => !gold.some((g) => g.id === id && g.isGold));
  if (missing.length > 0) throw invalid("Every task of an exam must be a gold task.", { notGold: missing });
  const examId = await db.transaction(async (tx) => {
    const [exam] = await tx.insert(exams).values({ name: req.name, passThreshold: req.passThreshold, createdBy: actor.id }).returning({ id: exams.id });
    if (!exam) throw new Error("exam insert returned nothing");
    await tx.insert(examGoldTasks).values(ids.map((goldTaskId) => ({ examId: exam.id, goldTaskId })));
    await audit(tx, { actorId: actor.id, action: "exam.create", entityType: "exam", entityId: exam.id, data: { goldTaskIds: ids, passThreshold: req.passThreshold } });
    return exam.id;
  });
  const [summary] = await listExams(db, [examId]);
  if (!summary) throw new Error("created exam not found");
  return summary;
}

/** Exams with their gold tasks (all, or the given ids), newest first. */
export async function listExams(db: Db, onlyIds?: readonly string[]): Promise<ExamSummary[]> {
  if (onlyIds && onlyIds.length === 0) return [];
  const rows = await db
    .select()
    .from(exams)
    .where(onlyIds ? inArray(exams.id, [...onlyIds]) : undefined)
    .orderBy(desc(exams.createdAt));
  if (rows.length === 0) return [];
  const links = await db
    .select({ examId: examGoldTasks.examId, taskId: tasks.id, videoId: tasks.videoId, videoTitle: videos.title, aspect: tasks.aspect })
    .from(examGoldTasks)
    .innerJoin(tasks, eq(tasks.id, examGoldTasks.goldTaskId))
    .innerJoin(videos, eq(videos.id, tasks.videoId))
    .where(inArray(examGoldTasks.examId, rows.map((r) => r.id)))
    .orderBy(asc(videos.title), asc(tasks.aspect));
  const counts = new Map<string, number>();
  for (const taskId of new Set(links.map((l) => l.taskId))) counts.set(taskId, (await answerKeyOf(db, taskId))?.items.length ?? 0);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    passThreshold: r.passThreshold,
    createdAt: r.createdAt.toISOString(),
    goldTasks: links
      .filter((l) => l.examId === r.id)
      .map((l): GoldTaskRef => ({ taskId: l.taskId, videoId: l.videoId, videoTitle: l.videoTitle, aspect: l.aspect, goldItems: counts.get(l.taskId) ?? 0 })),
  }));
}

export async function examDetail(db: Db, examId: string): Promise<ExamDetail> {
  const [summary] = await listExams(db, [examId]);
  if (!summary) throw notFound("No such exam.");
  return { ...summary, results: await examResults(db, { examIds: [examId] }) };
}

/** Assignments recorded for an exam, a trainee, or an attempt task. */
export async function findAssignments(db: Db, where: { examIds?: readonly string[]; traineeId?: string; taskId?: string }): Promise<Assignment[]> {
  const conds = [eq(auditLog.action, EXAM_ASSIGN_ACTION), eq(auditLog.entityType, "task")];
  if (where.taskId) conds.push(eq(auditLog.entityId, where.taskId));
  if (where.traineeId) conds.push(eq(dataField("traineeId"), where.traineeId));
  if (where.examIds) {
    if (where.examIds.length === 0) return [];
    conds.push(inArray(dataField("examId"), [...where.examIds]));
  }
  const rows = await db
    .select({ taskId: auditLog.entityId, examId: dataField("examId"), goldTaskId: dataField("goldTaskId"), traineeId: dataField("traineeId") })
    .from(auditLog)
    .where(and(...conds))
    .orderBy(asc(auditLog.id));
  return rows;
}

/** The exam each of these tasks is an attempt at (tasks that are no exam attempt are absent). */
export async function examsOfTasks(db: Db, taskIds: readonly string[]): Promise<Map<string, TaskExamRef>> {
  const out = new Map<string, TaskExamRef>();
  if (taskIds.length === 0) return out;
  const rows = await db
    .select({ taskId: auditLog.entityId, id: exams.id, name: exams.name })
    .from(auditLog)
    .innerJoin(exams, sql`${exams.id}::text = ${dataField("examId")}`)
    .where(and(eq(auditLog.action, EXAM_ASSIGN_ACTION), eq(auditLog.entityType, "task"), inArray(auditLog.entityId, [...taskIds])))
    .orderBy(asc(auditLog.id));
  for (const r of rows) if (!out.has(r.taskId)) out.set(r.taskId, { id: r.id, name: r.name });
  return out;
}

export async function assignExam(db: Db, actor: SessionUser, examId: string, traineeId: string): Promise<AssignExamResponse> {
  const [summary] = await listExams(db, [examId]);
  if (!summary) throw notFound("No such exam.");
  const [trainee] = await db.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, traineeId)).limit(1);
  if (!trainee) throw notFound("No such person.");
  if (trainee.role !== "trainee") throw conflict("Exams are assigned to trainees only.");
  const existing = await findAssignments(db, { examIds: [examId], traineeId });
  const goldTasks = await db.select().from(tasks).where(inArray(tasks.id, summary.goldTasks.map((g) => g.taskId)));
  const out: AssignExamResponse["tasks"] = [];
  await db.transaction(async (tx) => {
    for (const gold of goldTasks) {
      const already = existing.find((a) => a.goldTaskId === gold.id);
      if (already) {
        out.push({ taskId: already.taskId, goldTaskId: gold.id });
        continue;
      }
      const [task] = await tx
        .insert(tasks)
        .values({ projectId: gold.projectId, videoId: gold.videoId, aspect: gold.aspect, specVersion: gold.specVersion, annotatorId: traineeId, isGold: false })
        .returning({ id: tasks.id });
      if (!task) throw new Error("task insert returned nothing");
      await audit(tx, { actorId: actor.id, action: EXAM_ASSIGN_ACTION, entityType: "task", entityId: task.id, data: { examId, goldTaskId: gold.id, traineeId } });
      out.push({ taskId: task.id, goldTaskId: gold.id });
    }
  });
  return { examId, traineeId, tasks: out };
}

/** Every (exam, trainee) standing among the given exams or trainees. */
export async function examResults(db: Db, where: { examIds?: readonly string[]; traineeId?: string }): Promise<ExamResult[]> {
  const assignments = await findAssignments(db, where);
  if (assignments.length === 0) return [];
  const examIds = [...new Set(assignments.map((a) => a.examId))];
  const examRows = await listExams(db, examIds);
  const taskIds = assignments.map((a) => a.taskId);
  const [stages, scores, people] = await Promise.all([
    db.select({ id: tasks.id, stage: tasks.stage }).from(tasks).where(inArray(tasks.id, taskIds)),
    db.select().from(goldScores).where(inArray(goldScores.taskId, taskIds)).orderBy(desc(goldScores.createdAt)),
    db.select({ id: users.id, name: users.displayName, role: users.role }).from(users).where(inArray(users.id, [...new Set(assignments.map((a) => a.traineeId))])),
  ]);
  const results: ExamResult[] = [];
  for (const exam of examRows) {
    for (const person of people) {
      const mine = assignments.filter((a) => a.examId === exam.id && a.traineeId === person.id);
      if (mine.length === 0) continue;
      const f1s = new Map<string, number>();
      const attempts = mine.map((a) => {
        // Newest score first: a redone attempt counts with its latest result.
        const s = scores.find((x) => x.taskId === a.taskId);
        const f1 = s ? f1Of(s.precision, s.recall) : null;
        if (f1 !== null) f1s.set(a.goldTaskId, f1);
        return {
          goldTaskId: a.goldTaskId,
          taskId: a.taskId,
          stage: stages.find((t) => t.id === a.taskId)?.stage ?? "labelling",
          score: s && f1 !== null ? { precision: s.precision, recall: s.recall, f1, constructiveShare: s.constructiveShare, scoredAt: s.createdAt.toISOString() } : null,
        };
      });
      const outcome = examOutcome(f1s, exam.goldTasks.map((g) => g.taskId), exam.passThreshold);
      results.push({ ...outcome, examId: exam.id, examName: exam.name, passThreshold: exam.passThreshold, trainee: person, attempts });
    }
  }
  return results;
}

