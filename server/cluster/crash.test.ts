import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rounds, tasks } from "../db/schema";
import { createTestDatabase } from "../testing/db";
import { person, seedProject, seedTask, type Person } from "../testing/seed";
import { exited, spawnServer } from "../testing/spawnServer";
import { rawConnect } from "../testing/collabClients";
import type { TrainerHome } from "../../shared/api/training";
import { taskRoom } from "../../shared/collab/protocol";
import { readPostText, readRevision, setPostText } from "../../shared/room/document";
import type { ReviseResponse } from "../../shared/api/loop";
import { STOPPED_ERROR } from "../loop/revisions";
import { HELD_CHUNK, instantProvider, readyForRevision, startInstance, until, type Instance } from "./testing/instances";

const HOLDER = path.resolve(import.meta.dirname, "testing/revisionHolder.ts");
/** The killed process's lease: short, so the test waits seconds rather than the production quarter minute. */
const LEASE = { ttlMs: 2_000, renewMs: 400 };

/**
 * A process holding a running revision is killed with -9: the task is not stuck. Its lease stops being renewed;
 * once it has run out, a request through another process takes the task over (the dead round fails), or, with no
 * request, any process's sweep ends the dead round and gives the room its text back. Real PostgreSQL and Redis, a
 * real second process.
 */
describe("a process killed while revising [postgres]", () => {
  const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let annotator: Person;
  let ids: { projectId: string; videoId: string };
  let survivor: Instance;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    annotator = await person(database.db, "annotator", "Ann Notator");
    ids = await seedProject(database.db);
    // The process that stays: its own revisions finish at once; it sweeps for dead ones as often as the lease lasts.
    survivor = await startInstance({
      databaseUrl: database.url!,
      redisUrl,
      provider: instantProvider("The camera pans right."),
      revisionLease: LEASE,
      limits: { maxConnectionsPerUser: 1 },
    });
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    await survivor?.close();
    await database?.dispose();
  });

  /** Starts the holder on the task and resolves once its round streams; the child is killed by the test. */
  function holdRevision(taskId: string): Promise<{ child: ChildProcess; roundId: string; n: number }> {
    const child = spawn(process.execPath, ["--import", "tsx", HOLDER], {
      env: {
        ...process.env,
        DATABASE_URL: database.url!,
        REDIS_URL: redisUrl,
        TASK_ID: taskId,
        USER_ID: annotator.id,
        LEASE_TTL_MS: String(LEASE.ttlMs),
        LEASE_RENEW_MS: String(LEASE.renewMs),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).once("line", (line) => {
        const { roundId, n } = JSON.parse(line) as { roundId: string; n: number };
        resolve({ child, roundId, n });
      });
      child.once("exit", (code) => reject(new Error(`the holder exited with ${code}`)));
    });
  }

  const task = async () => {
    const id = await seedTask(database.db, { ...ids, aspect: "camera", annotatorId: annotator.id, specVersion: "1", stage: "critiquing" });
    await readyForRevision(survivor.services, id, annotator.id);
    await survivor.services.rooms.flush();
    return id;
  };
  const revise = async (taskId: string) => {
    const res = await survivor.call(annotator.cookie, "POST", `/api/tasks/${taskId}/revise`);
    expect(res.status).toBe(202);
    return (await res.json()) as ReviseResponse;
  };
  const roundRows = (taskId: string) =>
    database.db.select({ n: rounds.n, status: rounds.status, error: rounds.error }).from(rounds).where(eq(rounds.taskId, taskId)).orderBy(asc(rounds.n));
  const stageOf = async (taskId: string) => (await database.db.select({ stage: tasks.stage }).from(tasks).where(eq(tasks.id, taskId)))[0]?.stage;
  const post = (taskId: string) => survivor.services.rooms.withDoc(taskRoom(taskId), readPostText);

  it("a request after the dead process's lease ran out starts a new round; before, it joins the running one", async () => {
    const taskId = await task();
    const held = await holdRevision(taskId);
    await until("the held chunk in this process's room", async () => ((await post(taskId)) === HELD_CHUNK ? true : null));
    // Alive: the same critique joins the round the other process runs.
    expect(await revise(taskId)).toMatchObject({ roundId: held.roundId, joined: true });

    held.child.kill("SIGKILL");
    await exited(held.child);
    const killedAt = Date.now();
    const taken = await until("a new round once the lease ran out", async () => {
      const r = await revise(taskId);
      return r.joined ? null : r;
    });
    expect(Date.now() - killedAt).toBeLessThan(LEASE.ttlMs + 5_000);
    expect(taken).toMatchObject({ n: 2, joined: false });
    await until("the stage to move on after round 2", async () => ((await stageOf(taskId)) === "refining" ? true : null));
    expect(await roundRows(taskId)).toEqual([
      { n: 1, status: "failed", error: STOPPED_ERROR },
      { n: 2, status: "done", error: null },
    ]);
    await until("round 2's text in the room", async () => ((await post(taskId)) === "The camera pans right." ? true : null));
  }, 60_000);

  it("with no request, a surviving process's sweep ends the dead round and gives the room its text back", async () => {
    const taskId = await task();
    await survivor.services.rooms.withDoc(taskRoom(taskId), (doc) => setPostText(doc, "The text before the revision."));
    await survivor.services.rooms.flush();
    const held = await holdRevision(taskId);
    await until("the held chunk in this process's room", async () => ((await post(taskId)) === HELD_CHUNK ? true : null));
    expect(await stageOf(taskId)).toBe("revising");

    held.child.kill("SIGKILL");
    await exited(held.child);
    await until("the sweep to end the dead round", async () => ((await roundRows(taskId))[0]?.status === "failed" ? true : null), 15_000);
    expect(await roundRows(taskId)).toEqual([{ n: 1, status: "failed", error: STOPPED_ERROR }]);
    // Back where a failed first revision leaves a task, with the room as it was and the reason shown.
    await until("the stage back to critiquing", async () => ((await stageOf(taskId)) === "critiquing" ? true : null));
    await until("the previous text back", async () => ((await post(taskId)) === "The text before the revision." ? true : null));
    expect(await survivor.services.rooms.withDoc(taskRoom(taskId), readRevision)).toMatchObject({ status: "failed", roundId: held.roundId, error: STOPPED_ERROR });
  }, 60_000);

  it("a killed server's connections stop counting against the bounds, and its people leave the lists, within its lease", async () => {
    const trainee = await person(database.db, "trainee");
    const trainer = await person(database.db, "trainer");
    const taskId = await seedTask(database.db, { ...ids, aspect: "camera", annotatorId: trainee.id, specVersion: "1", stage: "critiquing" });
    // A real server process, as `npm start` runs it, with the same bound.
    const server = await spawnServer({ DATABASE_URL: database.url!, REDIS_URL: redisUrl, COLLAB_OPTIONS: JSON.stringify({ limits: { maxConnectionsPerUser: 1 } }) });
    children.push(server.child);
    const url = (base: string) => `${base.replace(/^http/, "ws")}/collab/${taskRoom(taskId)}`;
    const there = await rawConnect(url(server.url), { cookie: trainee.cookie, origin: server.url });
    expect("ws" in there).toBe(true);
    const live = async () => {
      const res = await survivor.call(trainer.cookie, "GET", "/api/trainer/home");
      return ((await res.json()) as TrainerHome).live.filter((l) => l.taskId === taskId);
    };
    await until("the trainee listed by this process", async () => ((await live()).length === 1 ? true : null));
    // The trainee's one connection is on the other process: here, a second is refused.
    const refused = await rawConnect(url(survivor.url), { cookie: trainee.cookie, origin: survivor.url });
    expect("status" in refused && refused.status).toBe(429);

    server.child.kill("SIGKILL");
    await exited(server.child);
    await until("the dead process's people gone from the list", async () => ((await live()).length === 0 ? true : null), 30_000);
    const joined = await until("a connection here once the dead one stopped counting", async () => {
      const r = await rawConnect(url(survivor.url), { cookie: trainee.cookie, origin: survivor.url });
      return "ws" in r ? r.ws : null;
    });
    joined.close();
  }, 60_000);
});
