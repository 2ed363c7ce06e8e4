import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import { createTestDatabase } from "../testing/db";
import { person, seedProject, seedTask, type Person } from "../testing/seed";
import { rawConnect, rawRoomClient, type RawRoomClient } from "../testing/collabClients";
import { trainingPeople, type TrainingPeople } from "../testing/trainingFixtures";
import { taskRoom } from "../../shared/collab/protocol";
import { CLOSE } from "../../shared/collab/closeCodes";
import { setDraftText } from "../../shared/room/document";
import type { CoachingNote, TrainerHome } from "../../shared/api/training";
import { startInstance, until, type Instance } from "./testing/instances";
import { collectSse } from "../testing/sseEvents";

/**
 * What must be shared between processes besides revisions: coaching events, the "working now" list, stage pushes
 * and the connection bounds. Two server instances in this test process on one PostgreSQL database and one Redis,
 * each with its own pool, rooms, relay, bus and HTTP server.
 */
describe("shared between processes [postgres]", () => {
  const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: Instance;
  let b: Instance;
  let people: TrainingPeople;
  let ids: { projectId: string; videoId: string };
  const sockets: (RawRoomClient | { ws: WebSocket })[] = [];
  /** Tight bounds, so a few connections reach them. */
  const limits = { maxConnectionsPerUser: 2, maxConnectionsPerRoom: 3 };

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    people = await trainingPeople(database.db);
    ids = await seedProject(database.db);
    a = await startInstance({ databaseUrl: database.url!, redisUrl, limits });
    b = await startInstance({ databaseUrl: database.url!, redisUrl, limits });
  });

  afterAll(async () => {
    for (const s of sockets) s.ws.terminate();
    await a?.close();
    await b?.close();
    await database?.dispose();
  });

  const taskOf = (annotatorId: string) =>
    seedTask(database.db, { ...ids, aspect: "camera", annotatorId, specVersion: "1", stage: "critiquing" });
  const join = async (i: Instance, taskId: string, who: { cookie: string }) => {
    const client = await rawRoomClient(i.url, taskRoom(taskId), { cookie: who.cookie, origin: i.url });
    sockets.push(client);
    return client;
  };
  const refusal = async (i: Instance, taskId: string, who: { cookie: string }) => {
    const r = await rawConnect(`${i.url.replace(/^http/, "ws")}/collab/${taskRoom(taskId)}`, { cookie: who.cookie, origin: i.url });
    if ("ws" in r) {
      sockets.push(r);
      return null;
    }
    return { status: r.status, error: (JSON.parse(r.body) as { error: { code: string; message: string } }).error };
  };

  it("a coaching note and a spotlight sent through one process reach the trainee's stream held by another", async () => {
    const taskId = await taskOf(people.trainee.id);
    const stream = await b.call(people.trainee.cookie, "GET", `/api/tasks/${taskId}/coaching/stream`);
    expect(stream.status).toBe(200);
    const trainee = collectSse(stream);
    await until("the stream to open", () => (trainee.events.some((e) => e.event === "ready") ? true : null));
    expect(b.services.coaching.subscribers(taskId)).toBe(1);
    expect(a.services.coaching.subscribers(taskId)).toBe(0);

    const posted = await a.call(people.trainer.cookie, "POST", `/api/tasks/${taskId}/coaching`, { body: "It pans, it does not tilt.", timeStart: 2 });
    expect(posted.status).toBe(201);
    const note = (await posted.json()) as CoachingNote;
    expect((await a.call(people.trainer.cookie, "POST", `/api/tasks/${taskId}/spotlight`, { timeStart: 4, message: "Here" })).status).toBe(201);
    await until("both events on the other process's stream", () => (trainee.events.length >= 3 ? true : null));
    expect(trainee.events.map((e) => e.event)).toEqual(["ready", "note", "spotlight"]);
    expect(JSON.parse(trainee.events[1]!.data)).toEqual(note);
    expect(JSON.parse(trainee.events[2]!.data)).toMatchObject({ taskId, message: "Here", timeStart: 4, from: { id: people.trainer.id } });
    await trainee.close();
  });

  it("the trainer's 'working now' list is the union of every process's rooms", async () => {
    const taskId = await taskOf(people.trainee.id);
    const live = async (i: Instance) => {
      const res = await i.call(people.trainer.cookie, "GET", "/api/trainer/home");
      expect(res.status).toBe(200);
      return ((await res.json()) as TrainerHome).live.filter((l) => l.taskId === taskId);
    };
    expect(await live(b)).toEqual([]);
    // The trainee works through A; the trainer's page is served by B.
    const onA = await join(a, taskId, people.trainee);
    await until("the trainee listed by the other process", async () => ((await live(b)).length === 1 ? true : null));
    expect(await live(b)).toMatchObject([{ trainee: { id: people.trainee.id }, taskId, stage: "critiquing", connections: 1 }]);
    // A second tab through B: one entry, two connections, on either process's page.
    const onB = await join(b, taskId, people.trainee);
    for (const i of [a, b]) await until("two connections counted", async () => ((await live(i))[0]?.connections === 2 ? true : null));
    expect(await live(a)).toHaveLength(1);
    onA.close();
    onB.close();
    for (const i of [a, b]) await until("nobody left", async () => ((await live(i)).length === 0 ? true : null));
  });

  it("a stage changed through one process is pushed to the room's connections on another", async () => {
    const annotator: Person = await person(database.db, "annotator");
    const lead: Person = await person(database.db, "lead");
    const taskId = await taskOf(annotator.id);
    await a.services.rooms.withDoc(taskRoom(taskId), (doc) => setDraftText(doc, "The camera pans left."));
    await a.services.rooms.flush();
    const watcher = await join(b, taskId, lead);
    // (A raw client may miss the frames sent with the handshake; what is pushed after it is what is tested.)
    await until("the lead in B's room", () => (b.services.rooms.participants(taskRoom(taskId)).length === 1 ? true : null));
    // A perfect score through A submits the task.
    expect((await a.call(annotator.cookie, "PUT", `/api/tasks/${taskId}/score`, { score: 5 })).status).toBe(200);
    const pushed = await until("the new stage on B's connection", () =>
      watcher.frames.find((f) => f.type === "abilities" && f.stage === "submitted") ?? null,
    );
    expect(pushed).toMatchObject({ type: "abilities", stage: "submitted" });
    watcher.close();
  });

  it("bounds connections per person and per room over both processes, and frees a slot when a connection ends", async () => {
    const lead = await person(database.db, "lead");
    const t1 = await taskOf(people.ann.id);
    const t2 = await taskOf(people.ann.id);
    const t3 = await taskOf(people.ann.id);
    // Per person: one room through A, one through B; a third anywhere is refused as before, with the same words.
    const first = await join(a, t1, lead);
    await join(b, t2, lead);
    expect(await refusal(a, t3, lead)).toEqual({ status: 429, error: { code: "too_many_connections", message: "too many open rooms for this user" } });
    expect(await refusal(b, t3, lead)).toMatchObject({ status: 429 });
    first.close();
    await until("the slot given back", async () => {
      const r = await refusal(a, t3, lead);
      return r === null ? true : null;
    });

    // Per room: three people through two processes fill it; a fourth is refused on either.
    const room = await taskOf(people.ann.id);
    const others = await Promise.all(["lead", "lead", "lead", "lead"].map(() => person(database.db, "lead")));
    const [p1, p2, p3, p4] = others as [Person, Person, Person, Person];
    const c1 = await join(a, room, p1);
    await join(b, room, p2);
    await join(a, room, p3);
    expect(await refusal(b, room, p4)).toEqual({ status: 503, error: { code: "room_full", message: "this room has too many participants" } });
    expect(await refusal(a, room, p4)).toMatchObject({ status: 503 });
    c1.close();
    await until("a place in the room", async () => ((await refusal(b, room, p4)) === null ? true : null));
  });

  it("a person disconnected through one process (a deactivated account) leaves the rooms of another", async () => {
    const lead = await person(database.db, "lead");
    const taskId = await taskOf(people.ann.id);
    const onB = await join(b, taskId, lead);
    await until("the lead in B's room", () => (b.services.rooms.participants(taskRoom(taskId)).length === 1 ? true : null));
    expect(a.services.rooms.disconnectUser(lead.id)).toBe(0);
    expect(await onB.closed).toBe(CLOSE.ACCESS_REVOKED);
  });
});
