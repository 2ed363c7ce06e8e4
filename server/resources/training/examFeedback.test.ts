import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { createApp } from "../../app";
import type { TestUser } from "../../testing/seed";
import { clip } from "../../testing/seed";
import { tasks } from "../../db/schema/index";
import { describeEachDb } from "../../testing/db";
import { testConfig } from "../../testing/testConfig";
import { scoreGoldAttempt } from "../../training/scoring";
import { addVersion, critiqueItem, taskWithVersion, trainingPeople, type TrainingPeople } from "../../testing/trainingFixtures";
import type { AssignExamResponse, ExamFeedback, ExamSummary } from "../../../shared/api/training";
import type { NextTaskResponse, TaskDetail, TaskSummary } from "../../../shared/api/tasks";

describeEachDb("exam attempts: the exam on the task, the instant feedback", (db) => {
  let people: TrainingPeople;
  let app: ReturnType<typeof createApp>;
  let exam: ExamSummary;
  let goldTaskId = "";
  let attempt = "";
  let ordinary = "";

  const call = async <T>(user: TestUser, path: string, method = "GET", body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await app.request(path, {
      method,
      headers: { cookie: user.cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };

  beforeAll(async () => {
    const d = db().db;
    app = createApp({ config: testConfig(), database: db() });
    people = await trainingPeople(d);
    const where = await clip(d);
    goldTaskId = await taskWithVersion(d, where, { annotatorId: people.ann.id, aspect: "camera" });
    expect((await call(people.lead, `/api/tasks/${goldTaskId}/gold`, "POST")).status).toBe(200);
    exam = (await call<ExamSummary>(people.lead, "/api/exams", "POST", { name: "Camera basics", goldTaskIds: [goldTaskId], passThreshold: 0.6 })).body;
    const assigned = await call<AssignExamResponse>(people.trainer, `/api/exams/${exam.id}/assign`, "POST", { traineeId: people.trainee.id });
    attempt = assigned.body.tasks[0]?.taskId ?? "";
    // The trainee's ordinary task on another aspect: no exam.
    const [t] = await d.insert(tasks).values({ ...where, aspect: "scene", annotatorId: people.trainee.id, specVersion: "1.0.0+000000000000" }).returning({ id: tasks.id });
    ordinary = t?.id ?? "";
  });

  it("the task list, the task and the next task say which exam a task is an attempt at", async () => {
    const list = await call<TaskSummary[]>(people.trainee, "/api/tasks");
    expect(list.status).toBe(200);
    expect(list.body.find((t) => t.id === attempt)?.exam).toEqual({ id: exam.id, name: "Camera basics" });
    expect(list.body.find((t) => t.id === ordinary)?.exam).toBeNull();

    const detail = await call<TaskDetail>(people.trainee, `/api/tasks/${attempt}`);
    expect(detail.body.exam).toEqual({ id: exam.id, name: "Camera basics" });
    expect((await call<TaskDetail>(people.trainee, `/api/tasks/${ordinary}`)).body.exam).toBeNull();
    // The gold task itself answers no exam: it is the key.
    expect((await call<TaskDetail>(people.lead, `/api/tasks/${goldTaskId}`)).body.exam).toBeNull();

    const next = await call<NextTaskResponse>(people.trainee, `/api/tasks/next?after=${ordinary}`);
    expect(next.body.task).toMatchObject({ id: attempt, exam: { id: exam.id, name: "Camera basics" } });
  });

  it("feedback: private, 'not scored' until scored, then each item matched, missed or falsely flagged", async () => {
    const d = db().db;
    // Only the trainee and training staff read it; not another annotator; an ordinary task has none.
    expect((await call(people.ann, `/api/tasks/${attempt}/exam-feedback`)).status).toBe(403);
    expect((await call(people.rev, `/api/tasks/${attempt}/exam-feedback`)).status).toBe(403);
    expect((await call(people.trainee, `/api/tasks/${ordinary}/exam-feedback`)).status).toBe(404);
    expect((await call(people.trainee, "/api/tasks/not-a-uuid/exam-feedback")).status).toBe(400);

    const before = await call<ExamFeedback>(people.trainee, `/api/tasks/${attempt}/exam-feedback`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      taskId: attempt,
      stage: "labelling",
      exam: { id: exam.id, name: "Camera basics", passThreshold: 0.6 },
      score: null,
      standing: { status: "not_started", attempted: 0, total: 1 },
    });

    // The trainee hands in one item that matches the key's "zooms in" and one the key does not have.
    await d.update(tasks).set({ stage: "submitted" }).where(eq(tasks.id, attempt));
    await addVersion(d, attempt, people.trainee.id, {
      items: [critiqueItem("t-zoom", { quote: "zooms in", what: "It is a dolly." }), critiqueItem("t-coat", { quote: "red coat", errorType: "hallucination", timeStart: 0, timeEnd: 5 })],
    });
    await scoreGoldAttempt(d, attempt);

    for (const reader of [people.trainee, people.trainer, people.lead]) {
      const after = await call<ExamFeedback>(reader, `/api/tasks/${attempt}/exam-feedback`);
      expect(after.status).toBe(200);
      const s = after.body.score;
      expect(s).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5, passed: false, goldCount: 2, itemCount: 2 });
      expect(s?.matched).toHaveLength(1);
      expect(s?.matched[0]).toMatchObject({ sameType: true, gold: { id: "g-zoom", quote: "zooms in" }, mine: { id: "t-zoom", quote: "zooms in", what: "It is a dolly." } });
      expect(s?.missed.map((m) => m.id)).toEqual(["g-dir"]);
      expect(s?.falseItems.map((m) => m.id)).toEqual(["t-coat"]);
      expect(after.body.standing).toMatchObject({ status: "failed", attempted: 1, total: 1, meanF1: 0.5 });
    }
  });
});
