import { beforeAll, expect, it } from "vitest";
import { createApp } from "../../app";
import type { TestUser } from "../../testing/seed";
import { auditLog, catches } from "../../db/schema/index";
import { describeEachDb } from "../../testing/db";
import { testConfig } from "../../testing/testConfig";
import { GOLD_DRAFT, GOLD_POST, addVersion, critiqueItem, taskWithVersion, trainingPeople, type TrainingPeople } from "../../testing/trainingFixtures";
import { clip } from "../../testing/seed";
import type { DashboardData, TaskDiff } from "../../../shared/api/training";

describeEachDb("leads' diffs and dashboard", (db) => {
  let people: TrainingPeople;
  let app: ReturnType<typeof createApp>;
  let taskId = "";
  let otherId = "";

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
  });

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
    const data = await get<DashboardData>(people.lead, "/api/dashboard");
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
});
