import { beforeAll, expect, it } from "vitest";
import { createApp } from "../../app";
import { describeEachDb } from "../../testing/db";
import { createTestUser, seedProject, seedTask, type TestUser } from "../../testing/seed";
import { testConfig } from "../../testing/testConfig";
import type { NextTaskResponse } from "../../../shared/api/tasks";
import type { Aspect } from "../../../shared/domain";
import type { Stage } from "../../../shared/domain/stages";

describeEachDb("GET /api/tasks/next", (db) => {
  const app = () => createApp({ config: testConfig(), database: db() });
  let ann: TestUser, other: TestUser, rev: TestUser, rev2: TestUser;
  const ids: Record<string, string> = {};

  async function next(user: TestUser, after?: string): Promise<string | null> {
    const res = await app().request(`/api/tasks/next${after ? `?after=${after}` : ""}`, { headers: { cookie: user.cookie } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as NextTaskResponse;
    return body.task ? (Object.entries(ids).find(([, id]) => id === body.task?.id)?.[0] ?? body.task.id) : null;
  }

  beforeAll(async () => {
    const d = db().db;
    ann = await createTestUser(d, "annotator");
    other = await createTestUser(d, "annotator");
    rev = await createTestUser(d, "reviewer");
    rev2 = await createTestUser(d, "reviewer");
    const { projectId, videoId } = await seedProject(d);
    const add = async (name: string, aspect: Aspect, stage: Stage, annotatorId: string, reviewerId: string | null = null) => {
      ids[name] = await seedTask(d, { projectId, videoId, aspect, stage, annotatorId, reviewerId, specVersion: "1.0.0+000000000000" });
    };
    // Created in this order: the oldest first.
    await add("newLabelling", "subject", "labelling", ann.id);
    await add("halfCritiqued", "scene", "critiquing", ann.id);
    await add("beingDrafted", "motion", "drafting", ann.id);
    await add("handedIn", "spatial", "submitted", ann.id);
    await add("othersWork", "camera", "labelling", other.id);
    await add("openReview", "subject", "submitted", other.id);
    await add("takenByRev2", "scene", "in_review", other.id, rev2.id);
  });

  it("gives the annotator's own work waiting on them, work under way first", async () => {
    expect(await next(ann)).toBe("halfCritiqued");
    expect(await next(ann, ids.halfCritiqued)).toBe("newLabelling");
  });

  it("gives a reviewer an untaken submission, never one another reviewer took", async () => {
    // The oldest untaken submission first.
    expect(await next(rev)).toBe("handedIn");
    expect(await next(rev, ids.handedIn)).toBe("openReview");
    // A review already taken comes before new ones.
    expect(await next(rev2)).toBe("takenByRev2");
    expect(await next(rev2, ids.takenByRev2)).toBe("handedIn");
  });

  it("answers null when nothing waits, and a bad id in words", async () => {
    expect(await next(other, ids.othersWork)).toBeNull();
    const res = await app().request("/api/tasks/next?after=nope", { headers: { cookie: ann.cookie } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/after/);
  });
});
