import { Hono } from "hono";
import { eq } from "drizzle-orm";
import { currentUser, requireRole, requireUser } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import { tasks } from "../../db/schema/index";
import { badRequest, forbidden, notFound } from "../../http/errors";
import { readJson } from "../../http/readJson";
import { assertCan, requireTaskAccess } from "../tasks/policy";
import { assignExam, createExam, examDetail, examResults, listExams } from "../../training/exams";
import { listGoldTasks, markGold } from "../../training/gold";
import { examFeedback } from "../../training/feedback";
import { liveTrainees, traineeOverview } from "../../training/live";
import { promoteTrainee } from "../../training/promotion";
import { latestGoldScore, scoreGoldAttempt } from "../../training/scoring";
import { Id } from "../../../shared/api/common";
import { AssignExamRequest, CreateExamRequest, type ExamFeedback, type TrainerHome } from "../../../shared/api/training";

const idParam = (raw: string | undefined): string => {
  const parsed = Id.safeParse(raw);
  if (!parsed.success) throw badRequest("The id must be a UUID.");
  return parsed.data;
};

const TRAINING_STAFF = ["trainer", "lead", "admin"] as const;

/**
 * Gold tasks, exams, gold scores, promotion and the trainer's home (mounted at /api):
 *   POST /tasks/:id/gold          lead/admin: an approved task becomes gold
 *   POST /tasks/:id/gold-score    trainer of the trainee, lead, admin: score the submitted attempt now
 *   GET  /tasks/:id/gold-score    the trainee, their trainer, lead, admin: the latest score
 *   GET  /tasks/:id/exam-feedback the same people: an exam attempt's instant feedback (score null until scored)
 *   POST /exams, GET /exams, GET /exams/:id, POST /exams/:id/assign
 *   POST /users/:id/promote       trainer/lead/admin: an eligible trainee becomes an annotator
 *   GET  /trainer/home            live trainees, trainees, exams and results
 *   GET  /gold-tasks              gold tasks, for building exams
 *   GET  /training/mine           a trainee's own exam results
 */
export function trainingRoutes(deps: AppDeps) {
  const { db } = deps.database;

  /** The caller's abilities on a task: 404 when it does not exist, 403 (with `message`) when they may not see it. */
  async function accessTo(c: Parameters<typeof currentUser>[0], taskId: string, message: string) {
    const [task] = await db
      .select({ id: tasks.id, annotatorId: tasks.annotatorId, reviewerId: tasks.reviewerId, stage: tasks.stage })
      .from(tasks)
      .where(eq(tasks.id, taskId))
      .limit(1);
    if (!task) throw notFound("No such task.");
    return requireTaskAccess(db, currentUser(c), task, message);
  }

  return new Hono<AppEnv>()
    .post("/tasks/:id/gold", requireRole("lead", "admin"), async (c) => {
      return c.json(await markGold(db, currentUser(c), idParam(c.req.param("id"))));
    })
    .post("/tasks/:id/gold-score", requireRole(...TRAINING_STAFF), async (c) => {
      const taskId = idParam(c.req.param("id"));
      assertCan(await accessTo(c, taskId, "Only the trainee's trainer scores this task."), "score_gold");
      const score = await scoreGoldAttempt(db, taskId);
      if (!score) throw badRequest("This task is not an attempt at a gold task.");
      return c.json(score);
    })
    .get("/tasks/:id/gold-score", requireUser, async (c) => {
      const taskId = idParam(c.req.param("id"));
      const privacy = "Gold scores are private to the trainee and their trainers.";
      const access = await accessTo(c, taskId, privacy);
      if (!access.abilities.panels.includes("gold_score")) throw forbidden(privacy);
      const score = await latestGoldScore(db, taskId);
      if (!score) throw notFound("This task has no gold score.");
      return c.json(score);
    })
    .get("/tasks/:id/exam-feedback", requireUser, async (c) => {
      const taskId = idParam(c.req.param("id"));
      const privacy = "Exam feedback is private to the trainee and their trainers.";
      const access = await accessTo(c, taskId, privacy);
      if (!access.abilities.panels.includes("gold_score")) throw forbidden(privacy);
      const body: ExamFeedback = await examFeedback(db, taskId);
      return c.json(body);
    })
    .post("/exams", requireRole("lead", "admin"), async (c) => {
      const body = await readJson(c, CreateExamRequest);
      return c.json(await createExam(db, currentUser(c), body), 201);
    })
    .get("/exams", requireRole(...TRAINING_STAFF), async (c) => c.json(await listExams(db)))
    .get("/exams/:id", requireRole(...TRAINING_STAFF), async (c) => c.json(await examDetail(db, idParam(c.req.param("id")))))
    .post("/exams/:id/assign", requireRole(...TRAINING_STAFF), async (c) => {
      const examId = idParam(c.req.param("id"));
      const body = await readJson(c, AssignExamRequest);
      return c.json(await assignExam(db, currentUser(c), examId, body.traineeId), 201);
    })
    .post("/users/:id/promote", requireRole(...TRAINING_STAFF), async (c) => {
      return c.json(await promoteTrainee(db, currentUser(c), idParam(c.req.param("id"))));
    })
    .get("/trainer/home", requireRole(...TRAINING_STAFF), async (c) => {
      const [live, trainees, exams, results] = await Promise.all([liveTrainees(db, deps.rooms), traineeOverview(db), listExams(db), examResults(db, {})]);
      const body: TrainerHome = { live, trainees, exams, results };
      return c.json(body);
    })
    .get("/gold-tasks", requireRole(...TRAINING_STAFF), async (c) => c.json(await listGoldTasks(db)))
    .get("/training/mine", requireUser, async (c) => c.json(await examResults(db, { traineeId: currentUser(c).id })));
}
