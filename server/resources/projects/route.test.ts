import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp, createServices } from "../../app";
import { startServer, type RunningServer } from "../../server";
import { auditLog, projects, tasks, videos } from "../../db/schema/index";
import type { Db } from "../../db";
import { describeEachDb } from "../../testing/db";
import { createTestUser, type TestUser } from "../../testing/seed";
import { testConfig } from "../../testing/testConfig";
import { waitFor, stockProvider, type TrackedProvider } from "../../testing/collabClients";
import { taskAccess } from "../tasks/policy";
import { CLOSE } from "../../../shared/collab/closeCodes";
import { taskRoom } from "../../../shared/collab/protocol";
import { AssignResponse, GenerateTasksResponse, ProjectDetail, ProjectTaskList } from "../../../shared/api/projects";

/** A project with `n` clips (titles clip-01 …), straight in the database. */
async function projectWithClips(db: Db, n: number, settings: Record<string, unknown> = {}): Promise<string> {
  const [p] = await db.insert(projects).values({ name: `proj-${randomUUID()}`, settings }).returning({ id: projects.id });
  if (!p) throw new Error("no project");
  for (let i = 1; i <= n; i++) {
    await db.insert(videos).values({
      projectId: p.id,
      title: `clip-${String(i).padStart(2, "0")}`,
      storage: "data",
      path: `${randomUUID()}.webm`,
      mimeType: "video/webm",
      sizeBytes: 1,
      sha256: randomUUID(),
    });
  }
  return p.id;
}

const countBy = <T,>(xs: readonly T[], key: (x: T) => string) => {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
};

describeEachDb("projects admin and task assignment", (db) => {
  let server: RunningServer;
  let app: ReturnType<typeof createApp>;
  let admin: TestUser;
  let lead: TestUser;
  let annotators: TestUser[];
  let trainee: TestUser;
  const providers: TrackedProvider[] = [];

  const call = (user: TestUser | null, method: string, url: string, body?: unknown) =>
    app.request(url, {
      method,
      headers: { ...(user ? { cookie: user.cookie } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const message = async (res: Response) => ((await res.json()) as { error: { message: string } }).error.message;
  const generate = async (id: string) => GenerateTasksResponse.parse(await (await call(lead, "POST", `/api/projects/${id}/tasks/generate`)).json());
  const assign = async (id: string, body: unknown) => {
    const res = await call(lead, "POST", `/api/projects/${id}/assign`, body);
    expect(res.status, await res.clone().text()).toBe(200);
    return AssignResponse.parse(await res.json());
  };
  const projectTasks = async (id: string) => ProjectTaskList.parse(await (await call(lead, "GET", `/api/projects/${id}/tasks`)).json());

  beforeAll(async () => {
    // A real server, so a room client can be connected; the app shares its rooms (revalidation reaches them).
    server = await startServer(testConfig({ port: 0, host: "127.0.0.1" }), { database: db(), collab: { unloadDelayMs: 50 } });
    app = createApp(createServices({ config: testConfig(), database: db(), rooms: server.collab }));
    const d = db().db;
    admin = await createTestUser(d, "admin");
    lead = await createTestUser(d, "lead");
    annotators = [await createTestUser(d, "annotator", { name: "Ann A" }), await createTestUser(d, "annotator", { name: "Ann B" }), await createTestUser(d, "annotator", { name: "Ann C" })];
    trainee = await createTestUser(d, "trainee");
  });

  afterAll(async () => {
    for (const p of providers) p.destroy();
    await server.close();
  });

  it("creates a project (admin only) and says in words what is wrong with bad settings", async () => {
    expect((await call(null, "POST", "/api/projects", { name: "x" })).status).toBe(401);
    expect((await call(annotators[0]!, "POST", "/api/projects", { name: "x" })).status).toBe(403);
    expect((await call(lead, "POST", "/api/projects", { name: "x" })).status).toBe(403);
    const cases: [unknown, string][] = [
      [{ name: "  " }, "Give the project a name."],
      [{ name: "P", settings: { bestOfN: 9 } }, "Best-of-N must be between 1 and 8."],
      [{ name: "P", settings: { overlapShare: 120 } }, "The overlap share must be between 0 and 100 %."],
      [{ name: "P", settings: { goldShare: 2.5 } }, "The gold share must be a whole percent."],
      [{ name: "P", settings: { provider: "claude" } }, "The model provider must be rules, openai or gemini."],
      [{ name: "P", settings: { inputMode: "audio" } }, "The input mode must be video, frames or text."],
      [{ name: "P", settings: { aspects: [] } }, "Choose at least one aspect."],
      [{ name: "P", settings: { aspects: ["subject", "subject"] } }, "Each aspect may appear only once."],
      [{ name: "P", settings: { rewardRulesVersion: "1999-01-01" } }, "There is no reward rules version starting 1999-01-01."],
      [{ name: "P", colour: "red" }, "Unknown field: colour."],
    ];
    for (const [body, words] of cases) {
      const res = await call(admin, "POST", "/api/projects", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await message(res)).toBe(words);
    }
    const bad = await call(admin, "POST", "/api/projects", { name: "P", settings: { specVersion: "0.0.1+old" } });
    expect(await message(bad)).toMatch(/^The spec version can only be pinned to the current one/);

    const name = `Proj ${randomUUID()}`;
    const res = await call(admin, "POST", "/api/projects", { name, settings: { aspects: ["motion", "camera"], bestOfN: 3, provider: "gemini", model: "gemini-2.5-flash", inputMode: "video", overlapShare: 20, goldShare: 10, testShare: 15 } });
    expect(res.status).toBe(201);
    const created = ProjectDetail.parse(await res.json());
    expect(created.settings).toMatchObject({ aspects: ["motion", "camera"], bestOfN: 3, provider: "gemini", overlapShare: 20, testShare: 15 });
    expect(created.settings.specVersion).toBe(created.options.currentSpecVersion);
    expect(created.warnings).toEqual([expect.stringMatching(/^Motion reads Subject/)]);
    expect((await call(admin, "POST", "/api/projects", { name })).status).toBe(409);
    const [row] = await db().db.select().from(auditLog).where(and(eq(auditLog.action, "project.create"), eq(auditLog.entityId, created.id)));
    expect(row?.actorId).toBe(admin.id);

    // A lead may look, not change; an admin's change is audited as before → after.
    expect((await call(lead, "GET", `/api/projects/${created.id}`)).status).toBe(200);
    expect((await call(lead, "PATCH", `/api/projects/${created.id}`, { settings: { bestOfN: 2 } })).status).toBe(403);
    const edited = await call(admin, "PATCH", `/api/projects/${created.id}`, { settings: { bestOfN: 5, aspects: ["subject", "motion"] } });
    expect(edited.status).toBe(200);
    const after = ProjectDetail.parse(await edited.json());
    expect(after.settings).toMatchObject({ bestOfN: 5, aspects: ["subject", "motion"], provider: "gemini" });
    expect(after.warnings).toEqual([]);
    const [upd] = await db().db.select().from(auditLog).where(and(eq(auditLog.action, "project.update"), eq(auditLog.entityId, created.id)));
    expect(upd?.data).toEqual({ changes: { bestOfN: { from: 3, to: 5 }, aspects: { from: ["motion", "camera"], to: ["subject", "motion"] } } });
    expect(await message(await call(admin, "PATCH", `/api/projects/${created.id}`, { settings: { bestOfN: 0 } }))).toBe("Best-of-N must be between 1 and 8.");
  });

  it("generates one task per clip × aspect in the project's order, and only the missing ones", async () => {
    const id = await projectWithClips(db().db, 3, { aspects: ["scene", "subject"] });
    expect(await generate(id)).toEqual({ created: 6, total: 6 });
    expect(await generate(id)).toEqual({ created: 0, total: 6 });
    const list = await projectTasks(id);
    expect(list.map((t) => `${t.videoTitle}/${t.aspect}`)).toEqual([
      "clip-01/scene", "clip-01/subject", "clip-02/scene", "clip-02/subject", "clip-03/scene", "clip-03/subject",
    ]);
    expect(list.every((t) => t.annotator === null && t.stage === "labelling")).toBe(true);
    expect((await call(annotators[0]!, "POST", `/api/projects/${id}/tasks/generate`)).status).toBe(403);
  });

  it("round robin deals the tasks in turn: exact counts", async () => {
    const id = await projectWithClips(db().db, 7, { aspects: ["subject"] });
    await generate(id);
    const out = await assign(id, { mode: "round_robin", annotatorIds: annotators.map((a) => a.id) });
    expect(out).toEqual({ changed: 7, overlapCreated: 0, goldCreated: 0 });
    const counts = countBy(await projectTasks(id), (t) => t.annotator?.name ?? "-");
    expect(Object.fromEntries(counts)).toEqual({ "Ann A": 3, "Ann B": 2, "Ann C": 2 });
  });

  it("by workload fills whoever has the fewest open tasks first", async () => {
    // Ann A already has two open tasks elsewhere.
    const other = await projectWithClips(db().db, 2, { aspects: ["camera"] });
    await generate(other);
    const otherTasks = await projectTasks(other);
    await assign(other, { mode: "manual", taskIds: otherTasks.map((t) => t.id), annotatorId: annotators[0]!.id });
    const id = await projectWithClips(db().db, 4, { aspects: ["subject"] });
    await generate(id);
    await assign(id, { mode: "workload", annotatorIds: [annotators[0]!.id, annotators[1]!.id] });
    const counts = countBy(await projectTasks(id), (t) => t.annotator?.name ?? "-");
    expect(Object.fromEntries(counts)).toEqual({ "Ann A": 1, "Ann B": 3 });
  });

  it("gives the overlap share of clips to a second annotator: pairs the agreement figures read", async () => {
    const id = await projectWithClips(db().db, 4, { aspects: ["subject", "scene"], overlapShare: 50 });
    await generate(id);
    const out = await assign(id, { mode: "round_robin", annotatorIds: [annotators[0]!.id, annotators[1]!.id] });
    expect(out).toMatchObject({ changed: 8, overlapCreated: 4 });
    const list = await projectTasks(id);
    expect(list).toHaveLength(12);
    // Exactly as server/eval/agreement.ts and the "two annotators" diff find them: two tasks on one clip and aspect.
    const pairs = [...countBy(list, (t) => `${t.videoId}|${t.aspect}`).entries()].filter(([, n]) => n === 2).map(([k]) => k);
    expect(pairs).toHaveLength(4);
    for (const key of pairs) {
      const two = list.filter((t) => `${t.videoId}|${t.aspect}` === key);
      expect(new Set(two.map((t) => t.annotator?.id)).size).toBe(2);
    }
    expect(new Set(pairs.map((k) => k.split("|")[0])).size).toBe(2); // 50 % of 4 clips
    // Running it again adds no third annotator.
    expect(await assign(id, { mode: "round_robin", annotatorIds: [annotators[0]!.id, annotators[1]!.id] })).toEqual({ changed: 0, overlapCreated: 0, goldCreated: 0 });
  });

  it("mixes gold attempts into a trainee's queue per the gold share", async () => {
    const id = await projectWithClips(db().db, 5, { aspects: ["subject"], goldShare: 50 });
    await generate(id);
    const [goldTask] = await projectTasks(id);
    await db().db.update(tasks).set({ isGold: true, stage: "approved" }).where(eq(tasks.id, goldTask!.id));
    const out = await assign(id, { mode: "round_robin", annotatorIds: [trainee.id] });
    // Four ordinary tasks; 50 % would be two attempts, but the project has one gold task.
    expect(out).toEqual({ changed: 4, overlapCreated: 0, goldCreated: 1 });
    const mine = (await projectTasks(id)).filter((t) => t.annotator?.id === trainee.id);
    expect(mine).toHaveLength(5);
    const attempt = mine.find((t) => t.videoId === goldTask!.videoId);
    expect(attempt).toMatchObject({ aspect: goldTask!.aspect, isGold: false });
    // An annotator (not a trainee) gets no gold attempts.
    const id2 = await projectWithClips(db().db, 2, { aspects: ["subject"], goldShare: 100 });
    await generate(id2);
    expect((await assign(id2, { mode: "round_robin", annotatorIds: [annotators[2]!.id] })).goldCreated).toBe(0);
  });

  it("refuses people who cannot annotate and tasks of another project, in words", async () => {
    const id = await projectWithClips(db().db, 1, { aspects: ["subject"] });
    await generate(id);
    const res = await call(lead, "POST", `/api/projects/${id}/assign`, { mode: "round_robin", annotatorIds: [lead.id] });
    expect(res.status).toBe(400);
    expect(await message(res)).toMatch(/is a lead; everyone chosen must be annotator or trainee\.$/);
    expect(await message(await call(lead, "POST", `/api/projects/${id}/assign`, { mode: "round_robin", annotatorIds: [] }))).toBe("Choose at least one annotator.");
    expect(await message(await call(lead, "POST", `/api/projects/${id}/assign`, { mode: "shuffle" }))).toBe("Say how to assign: manual, round_robin or workload.");
    expect((await call(annotators[0]!, "POST", `/api/projects/${id}/assign`, { mode: "round_robin", annotatorIds: [annotators[0]!.id] })).status).toBe(403);
  });

  it("reassigning closes the old annotator's room connection (revoked) and takes their write access at once", async () => {
    const id = await projectWithClips(db().db, 1, { aspects: ["subject"] });
    await generate(id);
    const [task] = await projectTasks(id);
    const [oldOne, newOne] = [annotators[0]!, annotators[1]!];
    await assign(id, { mode: "manual", taskIds: [task!.id], annotatorId: oldOne.id });
    await db().db.update(tasks).set({ stage: "critiquing" }).where(eq(tasks.id, task!.id));
    const asUser = (u: TestUser) => ({ id: u.id, email: u.email, displayName: u.displayName, role: u.role });
    expect((await taskAccess(db().db, asUser(oldOne), task!.id))?.abilities.roomWrites.length).toBeGreaterThan(0);

    const p = stockProvider(server.url, taskRoom(task!.id), { cookie: oldOne.cookie, origin: server.url }, { acks: true });
    providers.push(p);
    await waitFor(() => p.provider.synced, "old annotator synced");
    const codes: number[] = [];
    p.provider.on("connection-close", (ev) => {
      if (ev) codes.push(ev.code);
    });

    expect(await assign(id, { mode: "manual", taskIds: [task!.id], annotatorId: newOne.id })).toMatchObject({ changed: 1 });
    // The old annotator has no part in the task any more: the room closes their connection as revoked.
    await waitFor(() => codes.includes(CLOSE.ACCESS_REVOKED), "closed with ACCESS_REVOKED");
    expect(await taskAccess(db().db, asUser(oldOne), task!.id)).toBeNull();
    expect((await taskAccess(db().db, asUser(newOne), task!.id))?.abilities.roomWrites.length).toBeGreaterThan(0);
    const [row] = await db().db.select().from(auditLog).where(and(eq(auditLog.action, "task.assign"), eq(auditLog.entityId, task!.id))).orderBy(auditLog.id);
    expect(row?.actorId).toBe(lead.id);

    // Unassigning is audited too; nobody holds the task afterwards.
    expect(await assign(id, { mode: "manual", taskIds: [task!.id], annotatorId: null })).toMatchObject({ changed: 1 });
    expect((await projectTasks(id))[0]?.annotator).toBeNull();
    const un = await db().db.select().from(auditLog).where(and(eq(auditLog.action, "task.unassign"), eq(auditLog.entityId, task!.id)));
    expect(un).toHaveLength(1);
  });
});

