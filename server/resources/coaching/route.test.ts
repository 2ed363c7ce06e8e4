import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { createApp, createServices } from "../../app";
import type { TestUser } from "../../testing/seed";
import { coachingNotes, tasks } from "../../db/schema/index";
import { describeEachDb } from "../../testing/db";
import { testConfig } from "../../testing/testConfig";
import type { AppDeps } from "../../context";
import { trainingPeople, type TrainingPeople } from "../../testing/trainingFixtures";
import { clip } from "../../testing/seed";
import type { CoachingNote } from "../../../shared/api/training";
import { collectSse } from "../../testing/sseEvents";

describeEachDb("coaching notes and spotlights: private to trainer and trainee", (db) => {
  let people: TrainingPeople;
  let services: AppDeps;
  let app: ReturnType<typeof createApp>;
  let traineeTask = "";
  let annotatorTask = "";

  const call = (user: TestUser, method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { cookie: user.cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    const d = db().db;
    services = createServices({ config: testConfig(), database: db() });
    app = createApp(services);
    people = await trainingPeople(d);
    const where = await clip(d);
    const rows = await d
      .insert(tasks)
      .values([
        // In the review queue, so a reviewer may see the task itself: coaching must still be closed to them.
        { ...where, aspect: "camera", stage: "submitted", annotatorId: people.trainee.id, specVersion: "1" },
        { ...where, aspect: "scene", stage: "critiquing", annotatorId: people.ann.id, specVersion: "1" },
      ])
      .returning({ id: tasks.id });
    traineeTask = rows[0]!.id;
    annotatorTask = rows[1]!.id;
  });

  it("a note and a spotlight reach the trainee's and trainer's streams; others get 403 and nothing", async () => {
    const path = `/api/tasks/${traineeTask}/coaching/stream`;
    const traineeRes = await call(people.trainee, "GET", path);
    const trainerRes = await call(people.trainer, "GET", path);
    expect(traineeRes.status).toBe(200);
    expect(traineeRes.headers.get("content-type")).toMatch(/text\/event-stream/);
    expect(trainerRes.status).toBe(200);
    const outsiders = [people.ann, people.rev];
    for (const u of outsiders) {
      const res = await call(u, "GET", path);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    }
    const trainee = collectSse(traineeRes);
    const trainer = collectSse(trainerRes);
    await expect.poll(() => trainee.events.some((e) => e.event === "ready")).toBe(true);
    await expect.poll(() => trainer.events.some((e) => e.event === "ready")).toBe(true);
    const hub = services.coaching;
    expect(hub.subscribers(traineeTask)).toBe(2);

    // Only the trainer writes.
    for (const u of [people.trainee, people.ann, people.rev, people.lead]) {
      expect((await call(u, "POST", `/api/tasks/${traineeTask}/coaching`, { body: "x" })).status).toBe(403);
    }
    const posted = await call(people.trainer, "POST", `/api/tasks/${traineeTask}/coaching`, {
      body: "Check the camera: it moves, it does not zoom.",
      quote: "zooms in",
      timeStart: 2,
      timeEnd: 3,
    });
    expect(posted.status).toBe(201);
    const note = (await posted.json()) as CoachingNote;
    expect(note).toMatchObject({ traineeId: people.trainee.id, trainer: { id: people.trainer.id }, quote: "zooms in", timeStart: 2 });

    expect((await call(people.trainer, "POST", `/api/tasks/${traineeTask}/spotlight`, { timeStart: 4.5, message: "Look here" })).status).toBe(201);
    expect((await call(people.trainer, "POST", `/api/tasks/${traineeTask}/spotlight`, {})).status).toBe(400);
    expect((await call(people.ann, "POST", `/api/tasks/${traineeTask}/spotlight`, { timeStart: 1 })).status).toBe(403);

    await expect.poll(() => trainee.events.map((e) => e.event)).toEqual(["ready", "note", "spotlight"]);
    await expect.poll(() => trainer.events.map((e) => e.event)).toEqual(["ready", "note", "spotlight"]);
    expect((JSON.parse(trainee.events[1]!.data) as CoachingNote).body).toBe(note.body);
    expect(JSON.parse(trainee.events[2]!.data)).toMatchObject({ timeStart: 4.5, message: "Look here", from: { id: people.trainer.id } });

    await trainee.close();
    await trainer.close();
    await expect.poll(() => hub.subscribers(traineeTask)).toBe(0);
  });

  it("lists notes to the trainee, trainer and lead only; stores them outside the room", async () => {
    for (const u of [people.trainee, people.trainer, people.lead]) {
      const res = await call(u, "GET", `/api/tasks/${traineeTask}/coaching`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as CoachingNote[]).map((n) => n.quote)).toEqual(["zooms in"]);
    }
    for (const u of [people.ann, people.ann2, people.rev]) expect((await call(u, "GET", `/api/tasks/${traineeTask}/coaching`)).status).toBe(403);
    expect(await db().db.select().from(coachingNotes).where(eq(coachingNotes.taskId, traineeTask))).toHaveLength(1);
  });

  it("coaching is for trainees' tasks only, and bodies are validated", async () => {
    expect((await call(people.trainer, "POST", `/api/tasks/${annotatorTask}/coaching`, { body: "hi" })).status).toBe(403);
    expect((await call(people.trainer, "POST", `/api/tasks/${traineeTask}/coaching`, { body: "" })).status).toBe(400);
    expect((await call(people.trainer, "POST", `/api/tasks/${traineeTask}/coaching`, { body: "ok", timeStart: 3, timeEnd: 1 })).status).toBe(400);
    expect((await call(people.trainer, "POST", `/api/tasks/${traineeTask}/coaching`, { body: "x".repeat(5000) })).status).toBe(400);
    expect((await call(people.trainer, "GET", `/api/tasks/00000000-0000-4000-8000-000000000000/coaching`)).status).toBe(404);
  });
});
