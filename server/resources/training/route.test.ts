import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { createApp, createServices } from "../../app";
import type { TestUser } from "../../testing/seed";
import { auditLog, goldScores, tasks, users } from "../../db/schema/index";
import { describeEachDb } from "../../testing/db";
import { testConfig } from "../../testing/testConfig";
import { applyTransition } from "../../loop/transitions";
import { scoreGoldAttempt } from "../../training/scoring";
import { GOLD_ITEMS, addVersion, critiqueItem, taskWithVersion, trainingPeople, type TrainingPeople } from "../../testing/trainingFixtures";
import { clip } from "../../testing/seed";
import type { AssignExamResponse, ExamDetail, ExamSummary, GoldScoreRow, TrainerHome } from "../../../shared/api/training";

describeEachDb("training API: gold, exams, scoring, promotion", (db) => {
  let people: TrainingPeople;
  let app: ReturnType<typeof createApp>;
  let goldTaskId = "";
  let goldTask2 = "";
  let notApproved = "";

  const call = (user: TestUser | null, method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { ...(user ? { cookie: user.cookie } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    const d = db().db;
    app = createApp({ config: testConfig(), database: db() });
    people = await trainingPeople(d);
    const where = await clip(d);
    goldTaskId = await taskWithVersion(d, where, { annotatorId: people.ann.id, aspect: "camera" });
    goldTask2 = await taskWithVersion(d, where, { annotatorId: people.ann.id, aspect: "motion", items: [] });
    notApproved = await taskWithVersion(d, where, { annotatorId: people.ann.id, aspect: "scene", stage: "in_review" });
  });

  it("only a lead or admin marks gold, and only an approved task", async () => {
    for (const u of [people.trainer, people.ann, people.rev, people.trainee]) {
      expect((await call(u, "POST", `/api/tasks/${goldTaskId}/gold`)).status).toBe(403);
    }
    expect((await call(null, "POST", `/api/tasks/${goldTaskId}/gold`)).status).toBe(401);
    expect((await call(people.lead, "POST", `/api/tasks/${notApproved}/gold`)).status).toBe(409);
    const res = await call(people.lead, "POST", `/api/tasks/${goldTaskId}/gold`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ taskId: goldTaskId, isGold: true, goldItems: 2 });
    expect((await call(people.admin, "POST", `/api/tasks/${goldTask2}/gold`)).status).toBe(200);
    const [row] = await db().db.select({ isGold: tasks.isGold }).from(tasks).where(eq(tasks.id, goldTaskId));
    expect(row?.isGold).toBe(true);
  });

  it("exams: leads create, trainers list and assign, trainees get tasks on the same clip and aspect; scored on submit", async () => {
    const d = db().db;
    expect((await call(people.trainer, "POST", "/api/exams", { name: "X", goldTaskIds: [goldTaskId], passThreshold: 0.5 })).status).toBe(403);
    expect((await call(people.lead, "POST", "/api/exams", { name: "X", goldTaskIds: [notApproved], passThreshold: 0.5 })).status).toBe(400);
    expect((await call(people.lead, "POST", "/api/exams", { name: "X", goldTaskIds: [goldTaskId], passThreshold: 2 })).status).toBe(400);
    const created = await call(people.lead, "POST", "/api/exams", { name: "Camera basics", goldTaskIds: [goldTaskId, goldTask2], passThreshold: 0.7 });
    expect(created.status).toBe(201);
    const exam = (await created.json()) as ExamSummary;
    expect(exam.goldTasks.map((g) => g.taskId).sort()).toEqual([goldTaskId, goldTask2].sort());

    const listed = await call(people.trainer, "GET", "/api/exams");
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as ExamSummary[]).some((e) => e.id === exam.id)).toBe(true);
    expect((await call(people.ann, "GET", "/api/exams")).status).toBe(403);

    expect((await call(people.trainer, "POST", `/api/exams/${exam.id}/assign`, { traineeId: people.ann.id })).status).toBe(409);
    const assigned = await call(people.trainer, "POST", `/api/exams/${exam.id}/assign`, { traineeId: people.trainee.id });
    expect(assigned.status).toBe(201);
    const a = (await assigned.json()) as AssignExamResponse;
    expect(a.tasks).toHaveLength(2);
    const camera = a.tasks.find((t) => t.goldTaskId === goldTaskId)?.taskId ?? "";
    const motion = a.tasks.find((t) => t.goldTaskId === goldTask2)?.taskId ?? "";
    const [attemptRow] = await d.select().from(tasks).where(eq(tasks.id, camera));
    const [goldRow] = await d.select().from(tasks).where(eq(tasks.id, goldTaskId));
    expect(attemptRow).toMatchObject({ videoId: goldRow?.videoId, aspect: "camera", annotatorId: people.trainee.id, isGold: false, stage: "labelling" });
    // Assigning again reuses the same tasks.
    const again = (await (await call(people.trainer, "POST", `/api/exams/${exam.id}/assign`, { traineeId: people.trainee.id })).json()) as AssignExamResponse;
    expect(again.tasks.map((t) => t.taskId).sort()).toEqual(a.tasks.map((t) => t.taskId).sort());

    // Not yet submitted: nothing to score.
    await expect(scoreGoldAttempt(d, camera)).rejects.toThrow(/not been submitted/);
    // The trainee submits: one gold item found exactly, one false flag.
    await d.update(tasks).set({ stage: "submitted" }).where(eq(tasks.id, camera));
    await addVersion(d, camera, people.trainee.id, {
      items: [critiqueItem("t-zoom", { quote: "zooms in" }), critiqueItem("t-false", { quote: "red coat", errorType: "hallucination", timeStart: 0, timeEnd: 5 })],
    });
    const score = await scoreGoldAttempt(d, camera);
    expect(score).toMatchObject({ taskId: camera, goldTaskId, traineeId: people.trainee.id, examId: exam.id, precision: 0.5, recall: 0.5, passed: false });
    expect(score?.details.missed.map((m) => m.id)).toEqual(["g-dir"]);
    expect(score?.details.falseItems.map((m) => m.id)).toEqual(["t-false"]);
    // Scoring the same version again stores nothing new.
    expect((await scoreGoldAttempt(d, camera))?.id).toBe(score?.id);
    expect(await d.select().from(goldScores).where(eq(goldScores.taskId, camera))).toHaveLength(1);
    // Gold tasks and ordinary annotators' tasks are not attempts.
    expect(await scoreGoldAttempt(d, goldTaskId)).toBeNull();

    // The trainee reads their own score; other annotators and reviewers may not.
    expect((await call(people.trainee, "GET", `/api/tasks/${camera}/gold-score`)).status).toBe(200);
    expect((await call(people.ann, "GET", `/api/tasks/${camera}/gold-score`)).status).toBe(403);
    expect((await call(people.rev, "GET", `/api/tasks/${camera}/gold-score`)).status).toBe(403);
    expect((await call(people.trainee, "POST", `/api/tasks/${camera}/gold-score`)).status).toBe(403);

    // Promotion needs a passed exam.
    expect((await call(people.trainer, "POST", `/api/users/${people.trainee.id}/promote`)).status).toBe(409);

    // A redo that finds both gold items, then the motion clip (no gold items) with no critique: a pass.
    await addVersion(d, camera, people.trainee.id, { items: GOLD_ITEMS.map((g) => ({ ...g, id: `t-${g.id}` })) });
    const manual = await call(people.trainer, "POST", `/api/tasks/${camera}/gold-score`);
    expect(manual.status).toBe(200);
    expect((await manual.json()) as GoldScoreRow).toMatchObject({ precision: 1, recall: 1, passed: true });
    // The motion attempt goes through the real loop: the trainee scores the draft 5 (the perfect path, no
    // critique), which submits it — and the submission is scored against gold at once, with no manual trigger.
    await d.update(tasks).set({ stage: "critiquing", score: 5 }).where(eq(tasks.id, motion));
    expect(await d.select().from(goldScores).where(eq(goldScores.taskId, motion))).toHaveLength(0);
    const submitted = await applyTransition(createServices({ config: testConfig(), database: db() }).loop.deps, motion, "score_perfect", {
      kind: "user",
      user: { id: people.trainee.id, email: people.trainee.email, displayName: people.trainee.displayName, role: "trainee" },
    });
    expect(submitted.to).toBe("submitted");
    expect(await d.select().from(goldScores).where(eq(goldScores.taskId, motion))).toHaveLength(1);

    const detail = (await (await call(people.trainer, "GET", `/api/exams/${exam.id}`)).json()) as ExamDetail;
    expect(detail.results).toHaveLength(1);
    expect(detail.results[0]).toMatchObject({ status: "passed", attempted: 2, total: 2, meanF1: 1, trainee: { id: people.trainee.id } });

    const home = (await (await call(people.trainer, "GET", "/api/trainer/home")).json()) as TrainerHome;
    expect(home.trainees.find((t) => t.id === people.trainee.id)).toMatchObject({ eligible: true, passedExamIds: [exam.id] });
    expect(home.live).toEqual([]);
    expect((await call(people.ann, "GET", "/api/trainer/home")).status).toBe(403);

    // Promotion: not by an annotator or reviewer; by the trainer, audited; only once.
    expect((await call(people.ann, "POST", `/api/users/${people.trainee.id}/promote`)).status).toBe(403);
    expect((await call(people.rev, "POST", `/api/users/${people.trainee.id}/promote`)).status).toBe(403);
    const promoted = await call(people.trainer, "POST", `/api/users/${people.trainee.id}/promote`);
    expect(promoted.status).toBe(200);
    const [u] = await d.select({ role: users.role }).from(users).where(eq(users.id, people.trainee.id));
    expect(u?.role).toBe("annotator");
    const log = await d.select().from(auditLog).where(and(eq(auditLog.action, "user.promote"), eq(auditLog.entityId, people.trainee.id)));
    expect(log).toHaveLength(1);
    expect(log[0]?.actorId).toBe(people.trainer.id);
    expect((await call(people.trainer, "POST", `/api/users/${people.trainee.id}/promote`)).status).toBe(409);
  });

  it("validates ids and bodies", async () => {
    expect((await call(people.lead, "POST", "/api/tasks/not-a-uuid/gold")).status).toBe(400);
    expect((await call(people.lead, "POST", "/api/exams", { name: "", goldTaskIds: [], passThreshold: 0.5 })).status).toBe(400);
    expect((await call(people.lead, "GET", "/api/exams/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });
});
