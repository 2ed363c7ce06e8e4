import { beforeAll, expect, it } from "vitest";
import { createApp } from "../../app";
import { createTestUser, type TestUser } from "../../testing/seed";
import { projects, tasks, videos } from "../../db/schema/index";
import { describeEachDb } from "../../testing/db";
import { testConfig } from "../../testing/testConfig";
import type { TaskDetail, TaskSummary } from "../../../shared/api/tasks";
import type { Aspect } from "../../../shared/domain";
import type { Stage } from "../../../shared/domain/stages";

describeEachDb("tasks API", (db) => {
  const people: Record<"ann" | "ann2" | "rev" | "rev2" | "trainer" | "trainee" | "lead" | "admin", TestUser> = {} as never;
  const ids: Record<string, string> = {};
  let projectId = "";
  let otherProjectId = "";
  const app = () => createApp({ config: testConfig(), database: db() });

  async function list(user: TestUser, query = ""): Promise<TaskSummary[]> {
    const res = await app().request(`/api/tasks${query}`, { headers: { cookie: user.cookie } });
    expect(res.status).toBe(200);
    return (await res.json()) as TaskSummary[];
  }
  const names = (rows: TaskSummary[]) => rows.map((r) => Object.entries(ids).find(([, id]) => id === r.id)?.[0]).sort();

  beforeAll(async () => {
    const d = db().db;
    people.ann = await createTestUser(d, "annotator", { name: "Ann" });
    people.ann2 = await createTestUser(d, "annotator");
    people.rev = await createTestUser(d, "reviewer", { name: "Rev" });
    people.rev2 = await createTestUser(d, "reviewer");
    people.trainer = await createTestUser(d, "trainer");
    people.trainee = await createTestUser(d, "trainee");
    people.lead = await createTestUser(d, "lead");
    people.admin = await createTestUser(d, "admin");
    const [p1, p2] = await d.insert(projects).values([{ name: "P1" }, { name: "P2" }]).returning();
    projectId = p1?.id ?? "";
    otherProjectId = p2?.id ?? "";
    const [video] = await d
      .insert(videos)
      .values({ projectId, title: "Clip A", storage: "data", path: "a.webm", mimeType: "video/webm", sizeBytes: 10, sha256: "a".repeat(64), durationSec: 4, fps: 24 })
      .returning();
    const [video2] = await d
      .insert(videos)
      .values({ projectId: otherProjectId, title: "Clip B", storage: "data", path: "b.webm", mimeType: "video/webm", sizeBytes: 10, sha256: "b".repeat(64) })
      .returning();
    const t = (name: string, v: string, p: string, aspect: Aspect, stage: Stage, annotatorId: string | null, reviewerId: string | null, submittedMinutesAgo?: number) => ({
      name,
      row: {
        projectId: p,
        videoId: v,
        aspect,
        stage,
        annotatorId,
        reviewerId,
        specVersion: "1.0.0+000000000000",
        submittedAt: submittedMinutesAgo === undefined ? null : new Date(Date.now() - submittedMinutesAgo * 60_000),
      },
    });
    const v1 = video?.id ?? "";
    const v2 = video2?.id ?? "";
    const defs = [
      t("annLabelling", v1, projectId, "subject", "labelling", people.ann.id, null),
      t("annSubmittedNew", v1, projectId, "camera", "submitted", people.ann.id, null, 5),
      t("annSubmittedOld", v1, projectId, "motion", "submitted", people.ann.id, null, 50),
      t("ann2Review", v2, otherProjectId, "scene", "in_review", people.ann2.id, people.rev.id, 60),
      t("ann2Approved", v2, otherProjectId, "spatial", "approved", people.ann2.id, people.rev2.id, 90),
      t("traineeDrafting", v2, otherProjectId, "camera", "drafting", people.trainee.id, null),
      t("revOwnSubmitted", v1, projectId, "scene", "submitted", people.rev.id, null, 70),
      t("unassigned", v1, projectId, "spatial", "labelling", null, null),
    ];
    const rows = await d.insert(tasks).values(defs.map((x) => x.row)).returning({ id: tasks.id });
    defs.forEach((x, i) => (ids[x.name] = rows[i]?.id ?? ""));
  });

  it("annotator sees only their own tasks, with the fields of the contract", async () => {
    const rows = await list(people.ann);
    expect(names(rows)).toEqual(["annLabelling", "annSubmittedNew", "annSubmittedOld"]);
    const row = rows.find((r) => r.id === ids.annLabelling);
    expect(row).toMatchObject({
      aspect: "subject",
      stage: "labelling",
      projectId,
      annotator: { id: people.ann.id, name: "Ann" },
      reviewer: null,
      isGold: false,
      score: null,
      specVersion: "1.0.0+000000000000",
      video: { title: "Clip A", durationSec: 4, fps: 24 },
    });
    expect(typeof row?.videoId).toBe("string");
  });

  it("trainee sees their own; trainer sees trainees' tasks only", async () => {
    expect(names(await list(people.trainee))).toEqual(["traineeDrafting"]);
    expect(names(await list(people.trainer))).toEqual(["traineeDrafting"]);
  });

  it("reviewer sees assigned tasks and others' submitted ones (oldest submitted first), never their own submitted work as a reviewer", async () => {
    const rows = await list(people.rev);
    // revOwnSubmitted is theirs as annotator; others' submitted tasks come oldest first.
    expect(rows.map((r) => r.id)).toEqual([ids.revOwnSubmitted, ids.ann2Review, ids.annSubmittedOld, ids.annSubmittedNew]);
    expect(names(await list(people.rev2))).toEqual(["ann2Approved", "annSubmittedNew", "annSubmittedOld", "revOwnSubmitted"]);
  });

  it("lead and admin see everything", async () => {
    expect((await list(people.lead)).length).toBe(8);
    expect((await list(people.admin)).length).toBe(8);
  });

  it("filters by aspect, stage, person and project, combined with visibility", async () => {
    expect(names(await list(people.lead, "?aspect=camera"))).toEqual(["annSubmittedNew", "traineeDrafting"]);
    expect(names(await list(people.lead, "?stage=submitted"))).toEqual(["annSubmittedNew", "annSubmittedOld", "revOwnSubmitted"]);
    expect(names(await list(people.lead, `?annotatorId=${people.ann2.id}`))).toEqual(["ann2Approved", "ann2Review"]);
    expect(names(await list(people.lead, `?reviewerId=${people.rev.id}`))).toEqual(["ann2Review"]);
    expect(names(await list(people.lead, `?projectId=${otherProjectId}&stage=drafting`))).toEqual(["traineeDrafting"]);
    expect(names(await list(people.lead, "?aspect=&stage=drafting"))).toEqual(["traineeDrafting"]);
    // A filter never widens what someone may see.
    expect(await list(people.ann, `?annotatorId=${people.ann2.id}`)).toEqual([]);
    // The review queue view of a lead is oldest submitted first too.
    expect((await list(people.lead, "?stage=submitted")).map((r) => r.id)).toEqual([
      ids.revOwnSubmitted,
      ids.annSubmittedOld,
      ids.annSubmittedNew,
    ]);
  });

  it("400 for bad filter values and unknown parameters; 401 without a session", async () => {
    const a = app();
    for (const q of ["?aspect=colour", "?stage=done", "?annotatorId=42", "?limit=0", "?sort=evil"]) {
      const res = await a.request(`/api/tasks${q}`, { headers: { cookie: people.lead.cookie } });
      expect(res.status, q).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "bad_request" } });
    }
    expect((await a.request("/api/tasks")).status).toBe(401);
  });

  it("GET /api/tasks/:id: detail with video metadata and relation; 403 for others' tasks; 404 for unknown", async () => {
    const a = app();
    const res = await a.request(`/api/tasks/${ids.annLabelling}`, { headers: { cookie: people.ann.cookie } });
    expect(res.status).toBe(200);
    const detail = (await res.json()) as TaskDetail;
    expect(detail).toMatchObject({
      id: ids.annLabelling,
      relation: "annotator",
      projectName: "P1",
      video: { title: "Clip A", mimeType: "video/webm", durationSec: 4, fps: 24 },
    });
    expect(detail.video.fileUrl).toBe(`/api/videos/${detail.videoId}/file`);
    expect(detail.video).not.toHaveProperty("path");
    // The caller's abilities come with the task (tasks/policy.ts): the annotator labels, critiques, asks for a draft.
    expect(detail.abilities).toEqual({
      actions: ["label", "finish_labelling", "request_draft", "critique", "polish"],
      roomWrites: ["critique"],
      readOnlyReason: null,
      panels: ["labelling", "review", "catches", "gold_score"],
    });

    const get = (id: string, u: TestUser) => a.request(`/api/tasks/${id}`, { headers: { cookie: u.cookie } });
    expect((await get(ids.ann2Review ?? "", people.ann)).status).toBe(403);
    expect((await get(ids.traineeDrafting ?? "", people.trainer)).status).toBe(200);
    expect((await get(ids.annLabelling ?? "", people.trainer)).status).toBe(403);
    expect((await get(ids.annSubmittedOld ?? "", people.rev)).status).toBe(200);
    expect((await get(ids.annLabelling ?? "", people.rev)).status).toBe(403);
    const lead = (await (await get(ids.unassigned ?? "", people.lead)).json()) as TaskDetail;
    expect(lead.relation).toBe("lead");
    expect(lead.abilities.roomWrites).toEqual(["draft", "critique"]);
    expect(lead.abilities.panels).toContain("video_description");
    expect((await get("00000000-0000-4000-8000-000000000000", people.lead)).status).toBe(404);
    expect((await get("not-a-uuid", people.lead)).status).toBe(404);
  });

  it("GET /api/projects lists projects for any signed-in user", async () => {
    const res = await app().request("/api/projects", { headers: { cookie: people.ann.cookie } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { name: string }[]).map((p) => p.name)).toEqual(["P1", "P2"]);
  });
});
