import fs from "node:fs";
import path from "node:path";
import { and, count, eq } from "drizzle-orm";
import { Redis } from "ioredis";
import postgres from "postgres";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import { LOGIN_LIMITS } from "../../server/auth/loginLimits";
import { loadConfig } from "../../server/config";
import { PgStorage } from "../../server/collab/pgStorage";
import { auditLog, jobs, rounds, tasks } from "../../server/db/schema/index";
import { stockProvider, storedDoc, typeInDraft, waitFor, type TrackedProvider } from "../../server/testing/collabClients";
import { seedTask, seedUser, type SeededUser } from "../../server/testing/collabFixtures";
import { seedExportFixture } from "../../server/testing/datasetFixture";
import { createTestUser } from "../../server/testing/seed";
import { taskRoom } from "../../shared/collab/protocol";
import { COACHING_EVENTS } from "../../shared/api/training";
import type { ExportJob } from "../../shared/api/exports";
import { anchorFromTextRange, draftText, putCritiqueItem, setDraftText } from "../../shared/room/document";
import { SERVED_BY, startCluster, type Cluster } from "./cluster";
import { DEPLOY_CONFIG, checkConfig, haproxyBinary, haproxyRequired } from "./haproxy";
import { startSlowModel, type SlowModel } from "./slowModel";
import { collectSse } from "../../server/testing/sseEvents";

/**
 * The whole product scaled out: three real server processes on one PostgreSQL database and the machine's Redis,
 * behind HAProxy with plain round-robin and no stickiness (deploy/haproxy.cfg itself). Every check talks to the
 * balancer only; which process answered is HAProxy's X-Served-By header (on WebSocket upgrades too). The database
 * is read to count what happened (rounds, verified passwords, job attempts).
 */

const REQUIRED = haproxyRequired();
const INSTALLED = haproxyBinary() !== undefined;
if (!INSTALLED && !REQUIRED) {
  console.warn("[scaleout] skipped: haproxy is not installed (apt-get install haproxy). CI installs it (.ci/run) and runs these checks.");
}
const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
/** The slow model: a revision streams for about two seconds, long enough for a second press to meet it. */
const MODEL_TOKENS = 40;
const MODEL_GAP_MS = 50;

/** A stock provider whose every connection's serving process is recorded (HAProxy's header on the 101 answer). */
type Client = TrackedProvider & { servedBy: string[] };

function client(cluster: Cluster, room: string, user: SeededUser, opts: Parameters<typeof stockProvider>[3] = {}): Client {
  const t = stockProvider(cluster.url, room, { cookie: user.cookie, origin: cluster.url }, opts);
  const servedBy: string[] = [];
  const watch = () => {
    const ws = t.provider.ws as unknown as WebSocket | null;
    ws?.once("upgrade", (res) => servedBy.push(String(res.headers[SERVED_BY] ?? "")));
  };
  // The provider makes a socket per connection: the first now, later ones as it reports "connecting".
  watch();
  t.provider.on("status", ({ status }: { status: string }) => {
    if (status === "connecting") watch();
  });
  // The same object (its counters are updated in place), with the serving processes added.
  return Object.assign(t, { servedBy });
}

describe.skipIf(!INSTALLED && !REQUIRED)("three processes behind HAProxy, round-robin without stickiness", () => {
  let cluster: Cluster;
  let model: SlowModel;
  const clients: TrackedProvider[] = [];
  const db = () => cluster.database.db;

  beforeAll(async () => {
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    try {
      await redis.connect();
      await redis.ping();
    } catch (err) {
      throw new Error(`Redis at ${REDIS_URL} is not reachable (${String(err)}): the processes relay rooms and events through it.`);
    } finally {
      redis.disconnect();
    }
    model = await startSlowModel(MODEL_TOKENS, MODEL_GAP_MS);
    cluster = await startCluster({
      processes: 3,
      label: "chai_scaleout",
      redisUrl: REDIS_URL,
      env: {
        MODEL_PROVIDER: "openai",
        MODEL: "slow-fake",
        OPENAI_BASE_URL: model.url,
        OPENAI_API_KEY: "scaleout",
        // Readiness says "draining" this long before the listener closes: HAProxy's checks (2 × 2 s) see it first.
        SHUTDOWN_DRAIN_DELAY_MS: "8000",
      },
    });
  }, 120_000);

  afterEach((ctx) => {
    if (ctx.task.result?.state === "fail" && cluster) console.error(`[scaleout] logs:\n${cluster.logTail()}`);
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await cluster?.close();
    await model?.close();
  }, 60_000);

  it("deploy/haproxy.cfg is valid for the installed HAProxy, and round-robin spreads requests over every process", async () => {
    expect(checkConfig(DEPLOY_CONFIG)).toMatch(/valid/i);
    const served = [];
    for (let i = 0; i < 6; i++) served.push((await cluster.call("GET", "/api/health")).servedBy);
    expect(new Set(served)).toEqual(new Set(cluster.names));
  });

  it("(a) two stock y-websocket clients on different processes converge", async () => {
    const a = await seedUser(db(), "lead");
    const b = await seedUser(db(), "lead");
    const taskId = await seedTask(db(), { annotatorId: null, stage: "critiquing" });
    const room = taskRoom(taskId);
    const first = client(cluster, room, a);
    clients.push(first);
    await waitFor(() => first.provider.synced, "the first client synced");
    // Round-robin sends the next connection elsewhere; the loop only guards against a stray request in between.
    let second = client(cluster, room, b);
    clients.push(second);
    await waitFor(() => second.provider.synced, "the second client synced");
    for (let i = 0; i < 3 && second.servedBy[0] === first.servedBy[0]; i++) {
      second.destroy();
      second = client(cluster, room, b);
      clients.push(second);
      await waitFor(() => second.provider.synced, "the second client synced");
    }
    expect(first.servedBy[0]).toMatch(/^chai\d$/);
    expect(second.servedBy[0]).toMatch(/^chai\d$/);
    expect(second.servedBy[0]).not.toBe(first.servedBy[0]);

    const tokens: string[] = [];
    for (let i = 0; i < 20; i++) {
      for (const [c, tag] of [[first, "a"], [second, "b"]] as const) {
        const token = `<${tag}${i}>`;
        tokens.push(token);
        typeInDraft(c.doc, token);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await waitFor(() => tokens.every((t) => draftText(first.doc).includes(t) && draftText(second.doc).includes(t)), "both clients hold every edit");
    expect(draftText(first.doc)).toBe(draftText(second.doc));
    await waitFor(async () => draftText(await storedDoc(new PgStorage(db()), room)) === draftText(first.doc), "the stored room equals the clients'");
    first.destroy();
    second.destroy();
  });

  it("(b) revise pressed twice at once through two processes starts one revision", async () => {
    const annotator = await seedUser(db(), "annotator");
    const taskId = await seedTask(db(), { annotatorId: annotator.id, stage: "critiquing" });
    await db().update(tasks).set({ score: 3 }).where(eq(tasks.id, taskId));
    const room = taskRoom(taskId);
    // A lead puts the draft in the room (the model's, in the product); the annotator writes one critique item on it.
    const lead = client(cluster, room, await seedUser(db(), "lead"));
    const writer = client(cluster, room, annotator);
    clients.push(lead, writer);
    await waitFor(() => lead.provider.synced && writer.provider.synced, "the lead and the annotator synced");
    const draft = "The camera is static at eye level. The camera zooms in toward the man.";
    setDraftText(lead.doc, draft);
    await waitFor(() => draftText(writer.doc) === draft, "the draft at the annotator");
    const from = draft.indexOf("zooms in");
    putCritiqueItem(writer.doc, {
      id: "scaleout-item",
      errorType: "wrong_term",
      primitiveId: null,
      what: "The camera moves; the lens does not zoom.",
      fix: 'Write "dollies in".',
      anchor: anchorFromTextRange(writer.doc, from, from + "zooms in".length),
      timeStart: 1,
      timeEnd: 3,
      createdBy: annotator.id,
      createdAt: new Date().toISOString(),
    });
    await waitFor(async () => {
      const stored = await storedDoc(new PgStorage(db()), room);
      return draftText(stored) === draft && stored.getMap("critique").size === 1;
    }, "the critique stored");

    const modelCallsBefore = model.requests;
    const press = () => cluster.call("POST", `/api/tasks/${taskId}/revise`, { cookie: annotator.cookie });
    const [one, two] = await Promise.all([press(), press()]);
    expect(one.servedBy).not.toBe(two.servedBy);
    expect([one.status, two.status], JSON.stringify([one.body, two.body])).toEqual([202, 202]);
    const bodies = [one.body, two.body] as { roundId: string; joined: boolean }[];
    expect(bodies[0]!.roundId).toBe(bodies[1]!.roundId);
    expect(bodies.filter((b) => b.joined)).toHaveLength(1);
    const countRounds = async () => (await db().select({ n: count() }).from(rounds).where(eq(rounds.taskId, taskId)))[0]!.n;
    expect(await countRounds()).toBe(1);

    // The one revision finishes; the stage moves on once, whichever process ran it.
    await waitFor(async () => {
      const res = await cluster.call("GET", `/api/tasks/${taskId}`, { cookie: annotator.cookie });
      return (res.body as { stage?: string }).stage === "refining";
    }, "the task in refining after the revision", 30_000);
    expect(await countRounds()).toBe(1);
    const [round] = await db().select().from(rounds).where(eq(rounds.taskId, taskId));
    expect(round?.status).toBe("done");
    // One revision: the model was asked once.
    expect(model.requests - modelCallsBefore).toBe(1);
    lead.destroy();
    writer.destroy();
  });

  it("(c) a coaching note sent through one process reaches the trainee's stream on every other process", async () => {
    const trainer = await createTestUser(db(), "trainer");
    const trainee = await createTestUser(db(), "trainee");
    const taskId = await seedTask(db(), { annotatorId: trainee.id, stage: "critiquing" });
    const streamPath = `/api/tasks/${taskId}/coaching/stream`;
    // One stream of the trainee's on each process (three tabs): round-robin puts them on three processes.
    const streams = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${cluster.url}${streamPath}`, { headers: { cookie: trainee.cookie } });
      expect(res.status).toBe(200);
      streams.push({ servedBy: res.headers.get(SERVED_BY) ?? "", events: collectSse(res) });
    }
    try {
      expect(new Set(streams.map((s) => s.servedBy))).toEqual(new Set(cluster.names));
      for (const s of streams) await waitFor(() => s.events.events.some((e) => e.event === COACHING_EVENTS.ready), "the stream ready");
      const posted = await cluster.call("POST", `/api/tasks/${taskId}/coaching`, {
        cookie: trainer.cookie,
        body: { body: "Check the camera: it moves, it does not zoom." },
      });
      expect(posted.status).toBe(201);
      const elsewhere = streams.filter((s) => s.servedBy !== posted.servedBy);
      expect(elsewhere).toHaveLength(2);
      for (const s of streams) {
        await waitFor(
          () => s.events.events.some((e) => e.event === COACHING_EVENTS.note && e.data.includes("it does not zoom")),
          `the note (sent through ${posted.servedBy}) on the trainee's stream on ${s.servedBy}`,
          10_000,
        );
      }
    } finally {
      for (const s of streams) await s.events.close();
    }
  });

  it("(d) the login limit holds across processes: a burst spread round-robin gets exactly the limit verified, then 429", async () => {
    const victim = await createTestUser(db(), "annotator");
    const limit = LOGIN_LIMITS.accountAddress.failures;
    const guesses = await Promise.all(
      Array.from({ length: 3 * limit }, (_, i) => cluster.call("POST", "/api/auth/login", { body: { email: victim.email, password: `guess ${i}` } })),
    );
    expect(new Set(guesses.map((g) => g.servedBy))).toEqual(new Set(cluster.names));
    const statuses = guesses.map((g) => g.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2 * limit);
    // Each password verified and found wrong leaves one audit row, whichever process checked it.
    const [verified] = await db()
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.login_failed"), eq(auditLog.entityId, victim.id)));
    expect(verified?.n).toBe(limit);
    // The address stays locked out of the account on every process, even with the right password.
    for (let i = 0; i < 3; i++) {
      expect((await cluster.call("POST", "/api/auth/login", { body: { email: victim.email, password: victim.password } })).status).toBe(429);
    }
  });

  it("(e) an export finishes after the process running it is killed with -9; any process serves its files", async () => {
    const lead = await createTestUser(db(), "lead");
    const config = loadConfig({ DATA_DIR: cluster.dataDir, DEMO: "0", LOG_LEVEL: "silent" });
    await seedExportFixture(db(), config, 2, "Scale-out export");
    // Hold the export mid-run: its read of task_versions waits behind this lock, in the process that took the job.
    const holder = postgres(cluster.databaseUrl, { max: 1, onnotice: () => {} });
    const probe = postgres(cluster.databaseUrl, { max: 1, onnotice: () => {} });
    let worker = "";
    let release = () => {};
    const released = new Promise<void>((r) => (release = r));
    let locked = () => {};
    const isLocked = new Promise<void>((r) => (locked = r));
    const holding = holder.begin(async (tx) => {
      await tx`lock table task_versions in access exclusive mode`;
      locked();
      await released;
    });
    try {
      await isLocked;
      const started = await cluster.call("POST", "/api/exports", { cookie: lead.cookie, body: { format: "chai", project: "Scale-out export" } });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      const { id } = started.body as { id: string };
      // The worker's waiting query names its process (PGAPPNAME per process).
      await waitFor(async () => {
        const rows = await probe`select application_name from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and application_name like 'chai-scaleout-%'`;
        worker = String(rows[0]?.application_name ?? "").replace("chai-scaleout-", "");
        return worker !== "";
      }, "a process running the export", 20_000);
      const running = await cluster.call("GET", `/api/exports/${id}`, { cookie: lead.cookie });
      expect((running.body as ExportJob).state).toBe("running");
      console.log(`[scaleout] export started through ${started.servedBy}, run by ${worker}: killing ${worker} with -9`);
      await cluster.kill(worker);
      release();
      await holding;

      let done: ExportJob | undefined;
      await waitFor(async () => {
        const res = await cluster.call("GET", `/api/exports/${id}`, { cookie: lead.cookie });
        done = res.body as ExportJob;
        return done.state === "done" || done.state === "failed";
      }, "the export finished by another process", 60_000);
      expect(done?.state, done?.error ?? "").toBe("done");
      expect(done?.manifest?.tasks).toBe(4);
      const [job] = await db().select({ attempts: jobs.attempts }).from(jobs).where(eq(jobs.id, id));
      expect(job?.attempts).toBe(2);

      // Its files are in the shared DATA_DIR: every live process serves the same bytes.
      const name = done!.manifest!.files[0]!.name;
      const downloads = [];
      for (let i = 0; i < 4; i++) downloads.push(await cluster.call("GET", `/api/exports/${id}/files/${name}`, { cookie: lead.cookie }));
      expect(downloads.map((d) => d.status)).toEqual([200, 200, 200, 200]);
      expect(new Set(downloads.map((d) => d.servedBy)).size).toBe(2);
      expect(new Set(downloads.map((d) => JSON.stringify(d.body))).size).toBe(1);
      expect(fs.existsSync(path.join(cluster.dataDir, "exports", id, name))).toBe(true);
    } finally {
      release();
      await holding.catch(() => undefined);
      await holder.end();
      await probe.end();
    }
    // Back to three for the next checks.
    await cluster.start(worker);
  }, 120_000);

  it("(f) a process killed with -9 mid-session: its clients reconnect through the balancer and lose no acknowledged edit", async () => {
    const taskId = await seedTask(db(), { annotatorId: null, stage: "critiquing" });
    const room = taskRoom(taskId);
    type Writer = { tag: string; tokens: string[]; acked: number; countAt: Map<WebSocket, number[]>; c: Client };
    const writer = async (tag: string, avoid?: string): Promise<Writer> => {
      const user = await seedUser(db(), "lead");
      for (let attempt = 0; ; attempt++) {
        const w: Writer = { tag, tokens: [], acked: 0, countAt: new Map(), c: undefined as unknown as Client };
        w.c = client(cluster, room, user, {
          acks: true,
          // As in server/collab/crash.test.ts: the n-th document message on a socket carries every token typed
          // before it was sent, so SAVED(n) covers that many.
          onDocumentMessage: (socket, n) => {
            const at = w.countAt.get(socket) ?? [];
            at[n] = w.tokens.length;
            w.countAt.set(socket, at);
          },
          onSaved: (socket, n) => {
            const covered = w.countAt.get(socket)?.[n];
            if (covered !== undefined) w.acked = Math.max(w.acked, covered);
          },
        });
        clients.push(w.c);
        await waitFor(() => w.c.provider.synced, `${tag} synced`);
        if (w.c.servedBy[0] !== avoid || attempt >= 3) return w;
        w.c.destroy();
      }
    };
    const a = await writer("a");
    const b = await writer("b", a.c.servedBy[0]);
    const victim = a.c.servedBy[0]!;
    expect(b.c.servedBy[0]).not.toBe(victim);

    const type = (w: Writer) => {
      const token = `<${w.tag}${w.tokens.length}>`;
      w.tokens.push(token);
      typeInDraft(w.c.doc, token);
    };
    const burst = setInterval(() => {
      type(a);
      type(b);
    }, 12);
    try {
      await waitFor(() => a.acked >= 30 && b.acked >= 30, "acknowledged edits before the kill");
      await cluster.kill(victim);
      const ackedA = a.acked;
      const ackedB = b.acked;
      // Everything acknowledged before the kill is in the database.
      const afterKill = draftText(await storedDoc(new PgStorage(db()), room));
      for (const t of a.tokens.slice(0, ackedA)) expect(afterKill).toContain(t);
      for (const t of b.tokens.slice(0, ackedB)) expect(afterKill).toContain(t);
      // The killed process's client reconnects through the balancer, to another process, while typing goes on.
      await waitFor(() => a.c.servedBy.length >= 2 && a.c.provider.wsconnected, "the client reconnected through the balancer", 20_000);
      expect(a.c.servedBy.at(-1)).not.toBe(victim);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      clearInterval(burst);
    }
    await waitFor(() => a.acked === a.tokens.length && b.acked === b.tokens.length, "every edit acknowledged after the reconnect", 20_000);
    await waitFor(() => draftText(a.c.doc) === draftText(b.c.doc), "convergence");
    const final = draftText(a.c.doc);
    expect(draftText(await storedDoc(new PgStorage(db()), room))).toBe(final);
    for (const t of [...a.tokens, ...b.tokens]) expect(final.split(t).length - 1).toBe(1);
    a.c.destroy();
    b.c.destroy();
    await cluster.start(victim);
  }, 90_000);

  it("a draining process (SIGTERM) leaves the rotation while it still answers; its room clients move to another process", async () => {
    const user = await seedUser(db(), "lead");
    const taskId = await seedTask(db(), { annotatorId: null, stage: "critiquing" });
    const c = client(cluster, taskRoom(taskId), user);
    clients.push(c);
    await waitFor(() => c.provider.synced, "synced");
    const draining = c.servedBy[0]!;
    const p = cluster.terminate(draining);
    const exited = new Promise<number | null>((r) => p.child.once("exit", (code) => r(code)));
    await cluster.balancer.waitFor(draining, "DOWN", 7_500);
    // Out of the rotation before its listener closed (SHUTDOWN_DRAIN_DELAY_MS), so no request met a closed port.
    expect(p.child.exitCode).toBeNull();
    for (let i = 0; i < 4; i++) {
      const res = await cluster.call("GET", "/api/ready");
      expect(res.status).toBe(200);
      expect(res.servedBy).not.toBe(draining);
    }
    expect(await exited).toBe(0);
    // Its room socket was closed with 1012; the client reconnected through the balancer.
    await waitFor(() => c.servedBy.length >= 2 && c.provider.wsconnected, "the client reconnected elsewhere", 15_000);
    expect(c.servedBy.at(-1)).not.toBe(draining);
    typeInDraft(c.doc, "after the drain");
    await waitFor(async () => draftText(await storedDoc(new PgStorage(db()), taskRoom(taskId))).includes("after the drain"), "an edit after the move stored");
    c.destroy();
    await cluster.start(draining);
  }, 60_000);
});
