import { beforeAll, expect, it } from "vitest";
import { createApp } from "../../app";
import type { TestUser } from "../../testing/seed";
import { auditLog, catches, taskLabels, taskVersions } from "../../db/schema/index";
import { eq } from "drizzle-orm";
import { describeEachDb } from "../../testing/db";
import { testConfig } from "../../testing/testConfig";
import { GOLD_DRAFT, GOLD_POST, addVersion, critiqueItem, taskWithVersion, trainingPeople, type TrainingPeople } from "../../testing/trainingFixtures";
import { clip, seedProject } from "../../testing/seed";
import type { TaskDiff } from "../../../shared/api/training";
import { addDays, dayOf, type DashboardData } from "../../../shared/api/dashboard";
import type { TaskSummary } from "../../../shared/api/tasks";

describeEachDb("leads' diffs and dashboard", (db) => {
  let people: TrainingPeople;
  let app: ReturnType<typeof createApp>;
  let taskId = "";
  let otherId = "";
  /** A second project: one task of Ada's, with a hallucination and a non-constructive catch. */
  let p1 = "";
  let p2 = "";
  let p2Task = "";
  /** Ada's task frozen 200 days ago: outside the default 90 days. */
  let oldTask = "";

  const get = async <T>(user: TestUser, path: string, status = 200): Promise<T> => {
    const res = await app.request(path, { headers: { cookie: user.cookie } });
    expect(res.status).toBe(status);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    const d = db().db;
    app = createApp({ config: testConfig(), database: db() });
    people = await trainingPeople(d);
    const where = await clip(d);
    p1 = where.projectId;
    // Annotator's version rejected, then the reviewer's redo.
    taskId = await taskWithVersion(d, where, { annotatorId: people.ann.id, negative: "rejected", items: [critiqueItem("a1", { quote: "zooms in" })] });
    await addVersion(d, taskId, people.rev.id, { authorRole: "reviewer" });
    otherId = await taskWithVersion(d, where, { annotatorId: people.ann2.id, post: "A man walks. The camera zooms in." });
    await d.insert(catches).values([
      { taskId, reviewerId: people.rev.id, kind: "missed_error", note: "left/right missed", requestKey: "k1", quote: "left to right", timeStart: 0, timeEnd: 1 },
      { taskId, reviewerId: people.rev.id, kind: "false_flag", itemId: "a1", note: "x", requestKey: "k2", status: "overturned" },
    ]);
    const t0 = new Date(Date.now() - 3_600_000);
    await d.insert(auditLog).values([
      { at: t0, action: "task.stage", entityType: "task", entityId: taskId, data: { from: "labelling", to: "drafting" } },
      { at: new Date(t0.getTime() + 6 * 60_000), action: "task.stage", entityType: "task", entityId: taskId, data: { from: "drafting", to: "critiquing" } },
      { at: new Date(t0.getTime() + 16 * 60_000), action: "task.stage", entityType: "task", entityId: taskId, data: { from: "critiquing", to: "submitted" } },
    ]);

    const second = await seedProject(d);
    p2 = second.projectId;
    p2Task = await taskWithVersion(d, second, { annotatorId: people.ann.id, aspect: "scene", items: [critiqueItem("h1", { errorType: "hallucination" })] });
    await d.insert(catches).values({ taskId: p2Task, reviewerId: people.rev.id, kind: "non_constructive", itemId: "h1", note: "vague", requestKey: "k3" });
    oldTask = await taskWithVersion(d, second, { annotatorId: people.ann.id, aspect: "motion", items: [critiqueItem("o1", { errorType: "temporal_order" })] });
    await d.update(taskVersions).set({ createdAt: new Date(Date.now() - 200 * 86_400_000) }).where(eq(taskVersions.taskId, oldTask));
    // Both annotators labelled the first clip's camera: the agreement sample.
    const label = (t: string, by: string) => ({ taskId: t, primitiveId: "camera.movement.dolly_in", value: { kind: "selected" }, labelledBy: by });
    await d.insert(taskLabels).values([label(taskId, people.ann.id), label(otherId, people.ann2.id), label(p2Task, people.ann.id)]);
  });

  /** GET /api/tasks as the lead: the ids listed, sorted. */
  const behind = async (query: string, user = people.lead) => (await get<TaskSummary[]>(user, `/api/tasks?${query}`)).map((t) => t.id).sort();
  const sorted = (...ids: string[]) => [...ids].sort();

  it("is for leads and admins only", async () => {
    for (const u of [people.ann, people.rev, people.trainer, people.trainee]) {
      await get(u, `/api/tasks/${taskId}/diffs`, 403);
      await get(u, "/api/dashboard", 403);
    }
    await get(people.admin, "/api/dashboard");
    await get(people.lead, `/api/tasks/${taskId}/diffs?kind=nonsense`, 400);
  });

  it("serves the sides of each comparison with items and catches", async () => {
    const pp = await get<TaskDiff>(people.lead, `/api/tasks/${taskId}/diffs?kind=pre_post`);
    expect(pp.left.text).toBe(GOLD_DRAFT);
    expect(pp.right.text).toBe(GOLD_POST);
    expect(pp.left.items.map((i) => i.id)).toEqual(["g-zoom", "g-dir"]);
    expect(pp.left.catches.map((c) => c.kind).sort()).toEqual(["false_flag", "missed_error"]);
    expect(pp.options.map((o) => o.kind)).toEqual(["pre_post", "versions", "annotators"]);
    expect(pp.video.url).toMatch(/\/api\/videos\/.+\/file$/);

    const versions = await get<TaskDiff>(people.lead, `/api/tasks/${taskId}/diffs?kind=versions`);
    expect(versions.left.author).toBe("Ada Annotator");
    expect(versions.right.author).toBe("Rex Reviewer");
    expect(versions.left.items.map((i) => i.id)).toEqual(["a1"]);

    const two = await get<TaskDiff>(people.lead, `/api/tasks/${taskId}/diffs?kind=annotators&other=${otherId}`);
    expect(two.right.text).toBe("A man walks. The camera zooms in.");
    expect(two.right.author).toBe("Ann Two");
    await get(people.lead, `/api/tasks/${taskId}/diffs?kind=rounds`, 404);
  });

  it("computes the dashboard's figures", async () => {
    const data = await get<DashboardData>(people.lead, `/api/dashboard?projectId=${p1}`);
    // Final versions: the reviewer's redo (2 items) and the other annotator's (2 items), both camera.
    expect(data.errorTypesPerAspect).toEqual([
      { aspect: "camera", errorType: "left_right", count: 2 },
      { aspect: "camera", errorType: "wrong_term", count: 2 },
    ]);
    // The overturned false flag is left out.
    expect(data.catchesOverTime.map((c) => [c.kind, c.count])).toEqual([["missed_error", 1]]);
    const ada = data.annotatorTrends.find((t) => t.userId === people.ann.id);
    expect(ada).toMatchObject({ precision: 1, recall: 0.5, tasks: 1 });
    expect(data.throughput.tasksPerHour.reduce((n, h) => n + h.count, 0)).toBe(1);
    const minutes = Object.fromEntries(data.throughput.minutesPerStage.map((s) => [s.stage, Math.round(s.minutes)]));
    expect(minutes).toEqual({ drafting: 6, critiquing: 10 });
  });
  it("narrows every figure by project, person and days; the default is the last 90 days", async () => {
    const all = await get<DashboardData>(people.lead, "/api/dashboard");
    const today = dayOf(new Date());
    expect(all.filter).toEqual({ projectId: null, personId: null, from: addDays(today, -89), to: today });
    const types = (d: DashboardData) => d.errorTypesPerAspect.map((e) => `${e.aspect}:${e.errorType}:${e.count}`);
    // The old task (200 days ago) is outside the default range.
    expect(types(all)).toEqual(["camera:left_right:2", "camera:wrong_term:2", "scene:hallucination:1"]);

    const second = await get<DashboardData>(people.lead, `/api/dashboard?projectId=${p2}`);
    expect(types(second)).toEqual(["scene:hallucination:1"]);
    expect(second.catchesOverTime.map((c) => c.kind)).toEqual(["non_constructive"]);
    expect(second.throughput.tasksPerHour).toEqual([]);
    expect(second.agreement).toEqual([]);

    const ann2 = await get<DashboardData>(people.lead, `/api/dashboard?personId=${people.ann2.id}`);
    expect(types(ann2)).toEqual(["camera:left_right:1", "camera:wrong_term:1"]);
    expect(ann2.annotatorTrends.map((t) => t.userId)).toEqual([people.ann2.id]);
    expect(ann2.catchesOverTime).toEqual([]);
    expect(ann2.throughput.minutesPerStage).toEqual([]);
    // Agreement of a person: the clips they labelled, against the others who labelled them too.
    expect(ann2.agreement.map((a) => [a.subAspect, a.units])).toEqual([["camera.movement", 1]]);
    const trainee = await get<DashboardData>(people.lead, `/api/dashboard?personId=${people.trainee.id}`);
    expect(trainee.agreement).toEqual([]);

    const long = `from=${addDays(today, -250)}&to=${addDays(today, -150)}`;
    expect(types(await get<DashboardData>(people.lead, `/api/dashboard?${long}`))).toEqual(["motion:temporal_order:1"]);
    const lastHalfYear = await get<DashboardData>(people.lead, `/api/dashboard?from=${addDays(today, -250)}&projectId=${p2}`);
    expect(types(lastHalfYear)).toEqual(["motion:temporal_order:1", "scene:hallucination:1"]);
    expect(lastHalfYear.filter).toMatchObject({ projectId: p2, from: addDays(today, -250), to: today });
  });

  it("lists the projects and the people who annotate, for the filter bar", async () => {
    const { choices } = await get<DashboardData>(people.lead, "/api/dashboard");
    expect(choices.projects.map((p) => p.id)).toEqual(expect.arrayContaining([p1, p2]));
    const ids = choices.people.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining([people.ann.id, people.ann2.id, people.trainee.id]));
    expect(ids).not.toContain(people.lead.id);
    expect(ids).not.toContain(people.rev.id);
  });

  it("answers bad filters with a 400 in words", async () => {
    const cases: [string, RegExp][] = [
      ["from=2026-13-01", /^from: is not a day of the calendar\.$/],
      ["to=yesterday", /^to: must be a date written YYYY-MM-DD, like 2026-03-01\.$/],
      ["from=2026-03-02&to=2026-03-01", /starts \(2026-03-02\) after it ends \(2026-03-01\)/],
      ["from=2024-01-01&to=2025-06-01", /at most 366 days; 2024-01-01 to 2025-06-01 covers 518/],
      ["projectId=42", /projectId/],
      ["sort=evil", /sort/],
    ];
    for (const [q, message] of cases) {
      const body = await get<{ error: { code: string; message: string } }>(people.lead, `/api/dashboard?${q}`, 400);
      expect(body.error.message, q).toMatch(message);
    }
  });

  it("a click on a figure lists the tasks behind it, each filter narrowing the list", async () => {
    const gold = "gold=false";
    expect(await behind(`event=final&errorType=left_right&${gold}`)).toEqual(sorted(taskId, otherId));
    expect(await behind(`event=final&errorType=left_right&annotatorId=${people.ann2.id}`)).toEqual([otherId]);
    expect(await behind(`event=final&errorType=hallucination`)).toEqual([p2Task]);
    expect(await behind(`event=final&errorType=hallucination&projectId=${p1}`)).toEqual([]);
    const today = dayOf(new Date());
    expect(await behind(`event=final&from=${addDays(today, -250)}&to=${addDays(today, -150)}`)).toEqual([oldTask]);
    expect(await behind(`event=final&errorType=temporal_order&from=${addDays(today, -89)}&to=${today}`)).toEqual([]);
    // A rejected version is not final: its item type alone does not list the task.
    expect(await behind(`event=final&errorType=wrong_term&aspect=camera`)).toEqual(sorted(taskId, otherId));

    expect(await behind(`event=catch&catchKind=missed_error&from=${today}&to=${today}`)).toEqual([taskId]);
    expect(await behind("event=catch&catchKind=false_flag")).toEqual([]); // overturned
    expect(await behind("event=catch")).toEqual(sorted(taskId, p2Task));
    expect(await behind(`event=catch&from=${addDays(today, -10)}&to=${addDays(today, -1)}`)).toEqual([]);

    expect(await behind(`event=annotated&annotatorId=${people.ann.id}`)).toEqual(sorted(taskId, p2Task, oldTask));
    expect(await behind(`event=annotated&from=${today}&to=${today}&annotatorId=${people.ann.id}`)).toEqual(sorted(taskId, p2Task));
    expect(await behind("event=submitted")).toEqual([taskId]);
    expect(await behind("event=left_stage&leftStage=drafting")).toEqual([taskId]);
    expect(await behind("event=left_stage&leftStage=labelling")).toEqual([taskId]);
    expect(await behind("event=left_stage&leftStage=revising")).toEqual([]);
    expect(await behind("overlap=true")).toEqual(sorted(taskId, otherId));
    expect(await behind(`overlap=true&annotatorId=${people.ann.id}`)).toEqual([taskId]);
    expect(await behind("gold=true")).toEqual([]);
  });

  it("keeps the dashboard's task filters for leads and admins; bad ones get a 400 in words", async () => {
    expect(await behind("event=submitted", people.admin)).toEqual([taskId]);
    for (const u of [people.ann, people.rev, people.trainer]) {
      const body = await get<{ error: { message: string } }>(u, "/api/tasks?event=catch&catchKind=missed_error", 403);
      expect(body.error.message).toBe("Only leads and admins may filter tasks by event, catchKind.");
      await get(u, "/api/tasks?gold=false", 403);
      await get(u, "/api/tasks?overlap=true", 403);
    }
    // Their own lists still answer.
    expect((await get<TaskSummary[]>(people.ann, `/api/tasks?annotatorId=${people.ann.id}`)).length).toBeGreaterThan(0);
    const cases: [string, RegExp][] = [
      ["from=2026-03-01", /A date range needs an event to date: event must be one of final, annotated, submitted, left_stage, catch\./],
      ["event=catch&errorType=left_right", /errorType filters only with event=final\./],
      ["event=left_stage", /needs leftStage/],
      ["event=final&from=2026-03-02&to=2026-03-01", /starts \(2026-03-02\) after it ends/],
      ["event=final&from=2026-02-30", /from: is not a day of the calendar\./],
      ["event=sometime", /event/],
      ["gold=maybe", /gold: must be "true" or "false"\./],
      ["limit=5000", /limit/],
    ];
    for (const [q, message] of cases) {
      const body = await get<{ error: { message: string } }>(people.lead, `/api/tasks?${q}`, 400);
      expect(body.error.message, q).toMatch(message);
    }
  });
});
