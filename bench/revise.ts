/**
 * `npm run bench:revise [-- --pglite] [--runs N] [--tokens T] [--revisions R]`: instant revisions, end to end.
 *
 * Starts the real server in a child process (on a fresh database of the real PostgreSQL, dropped at the end, or
 * with --pglite on an embedded one in a temporary folder) with MODEL_PROVIDER=openai pointed at a local
 * OpenAI-compatible streaming server started here. An annotator and a reviewer join the task's room with the stock
 * y-websocket provider (ws + session cookie); the annotator writes the draft and a critique item as the room's
 * client would. Then it measures:
 *   1. token → participant: from the fake provider writing a token to its SSE stream, to that text arriving in the
 *      reviewer's Y.Doc (T tokens × N runs; target p99 ≤ 100 ms);
 *   2. revise → full revision: with the rules provider (a project setting), from POST /revise to the finished
 *      post-caption (revision status idle with the round's id) at the reviewer (R revisions; target p99 ≤ 200 ms).
 * The provider, the participants and the clock live in this process; the server's work is all in the child.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import * as Y from "yjs";
import { createSession, SESSION_COOKIE } from "../server/auth/sessions";
import { openDatabase, type Database } from "../server/db";
import { projects, tasks, users, videos } from "../server/db/schema";
import { stockProvider, waitFor, type TrackedProvider } from "../server/testing/collabClients";
import { adminUrl, withDatabase } from "../server/testing/pgUrls";
import { taskRoom } from "../shared/collab/protocol";
import { anchorFromTextRange, draftText, postText, putCritiqueItem, readRevision, setDraftText } from "../shared/room/document";

const GAP_MS = 5;

function args() {
  const argv = process.argv.slice(2);
  const num = (name: string, dflt: number) => {
    const i = argv.indexOf(`--${name}`);
    const v = i >= 0 ? Number(argv[i + 1]) : dflt;
    if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive whole number`);
    return v;
  };
  return { pglite: argv.includes("--pglite"), runs: num("runs", 5), tokens: num("tokens", 200), revisions: num("revisions", 60) };
}

const pct = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const now = () => performance.timeOrigin + performance.now();

// ---------- the fake model server: OpenAI chat-completions SSE, one token every GAP_MS, emit times recorded

type FakeModel = { url: string; emits: number[]; close(): Promise<void> };

async function startFakeModel(tokens: number): Promise<FakeModel> {
  const model: FakeModel = { url: "", emits: [], close: async () => {} };
  const stream = async (res: ServerResponse) => {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const emits: number[] = [];
    model.emits = emits;
    for (let i = 0; i < tokens; i++) {
      const chunk = { choices: [{ index: 0, delta: { content: `t${i} ` }, finish_reason: null }] };
      emits.push(now());
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      await new Promise((r) => setTimeout(r, GAP_MS));
    }
    // A real server ends with a finish chunk; a stream without one is treated as cut (server/pipeline/revise.ts).
    res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`);
    res.write("data: [DONE]\n\n");
    res.end();
  };
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => void stream(res));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  model.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  model.close = () => new Promise((r) => server.close(() => r()));
  return model;
}

// ---------- database and seeding

type Target = { env: Record<string, string>; open(): Promise<Database>; drop(): Promise<void> };

async function target(pglite: boolean): Promise<Target> {
  if (pglite) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-bench-revise-"));
    return {
      env: { DATA_DIR: dir },
      open: () => openDatabase({ kind: "pglite", dataDir: path.join(dir, "pglite") }),
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = adminUrl();
  const name = `chai_bench_revise_${randomBytes(4).toString("hex")}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database "${name}"`);
  await sql.end();
  const url = withDatabase(admin, name);
  return {
    env: { DATABASE_URL: url, DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "chai-bench-revise-")) },
    open: () => openDatabase({ kind: "postgres", url }),
    drop: async () => {
      const d = postgres(admin, { max: 1, onnotice: () => {} });
      await d.unsafe(`drop database if exists "${name}" with (force)`);
      await d.end();
    },
  };
}

type Seeded = { streamTask: string; rulesTask: string; annotator: string; reviewer: string };

async function seed(database: Database): Promise<Seeded> {
  const db = database.db;
  const person = async (role: "annotator" | "reviewer") => {
    const [u] = await db
      .insert(users)
      .values({ email: `${role}-${randomBytes(3).toString("hex")}@bench.test`, displayName: `Bench ${role}`, role, passwordHash: "x" })
      .returning({ id: users.id });
    return { id: u!.id, cookie: `${SESSION_COOKIE}=${await createSession(db, u!.id)}` };
  };
  const annotator = await person("annotator");
  const reviewer = await person("reviewer");
  const task = async (settings: { provider?: string }) => {
    const tag = randomBytes(6).toString("hex");
    const [p] = await db.insert(projects).values({ name: `bench-revise-${tag}`, settings }).returning({ id: projects.id });
    const [v] = await db
      .insert(videos)
      .values({ projectId: p!.id, title: "bench", storage: "data", path: `${tag}.webm`, mimeType: "video/webm", sizeBytes: 1, sha256: tag })
      .returning({ id: videos.id });
    const [t] = await db
      .insert(tasks)
      .values({
        projectId: p!.id,
        videoId: v!.id,
        aspect: "camera",
        stage: "critiquing",
        score: 3,
        annotatorId: annotator.id,
        reviewerId: reviewer.id,
        specVersion: "bench",
      })
      .returning({ id: tasks.id });
    return t!.id;
  };
  return { streamTask: await task({}), rulesTask: await task({ provider: "rules" }), annotator: annotator.cookie, reviewer: reviewer.cookie };
}

// ---------- server process

async function spawnServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "reviseServer.ts")], {
    env: childEnv,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once("line", (line) => resolve({ child, url: (JSON.parse(line) as { url: string }).url }));
    child.once("exit", (code) => reject(new Error(`server process exited with ${code}`)));
  });
}

// ---------- the room

async function joinRoom(url: string, taskId: string, annotatorCookie: string, reviewerCookie: string) {
  const room = taskRoom(taskId);
  const annotator = stockProvider(url, room, { cookie: annotatorCookie });
  const reviewer = stockProvider(url, room, { cookie: reviewerCookie });
  await waitFor(() => annotator.provider.synced && reviewer.provider.synced, "both participants synced");
  // What the room's client does: the draft (here written by hand) and one critique item anchored on a word of it.
  const draft = "The camera is static at eye level. The camera zooms in toward the man. The shot ends on a close-up.";
  setDraftText(annotator.doc, draft);
  const from = draft.indexOf("zooms in");
  putCritiqueItem(annotator.doc, {
    id: "bench-item",
    errorType: "wrong_term",
    primitiveId: null,
    what: "The camera moves; the lens does not zoom.",
    fix: 'write "dollies in"',
    anchor: anchorFromTextRange(annotator.doc, from, from + "zooms in".length),
    timeStart: 1,
    timeEnd: 3,
    createdBy: "bench",
    createdAt: new Date().toISOString(),
  });
  await waitFor(() => draftText(reviewer.doc) === draft && reviewer.doc.getMap("critique").size === 1, "the critique at the reviewer");
  return { annotator, reviewer };
}

async function revise(url: string, taskId: string, cookie: string): Promise<{ roundId: string; n: number }> {
  const res = await fetch(`${url}/api/tasks/${taskId}/revise`, { method: "POST", headers: { cookie } });
  const body = (await res.json()) as { roundId: string; n: number; error?: { message: string } };
  if (res.status !== 202) throw new Error(`revise answered ${res.status}: ${body.error?.message ?? ""}`);
  return body;
}

/** Arrival time at this participant of each finished round (status idle with its id). */
function finishedRounds(doc: Y.Doc): Map<string, number> {
  const arrived = new Map<string, number>();
  doc.on("update", () => {
    const r = readRevision(doc);
    if (r.status !== "idle" && r.status !== "failed") return;
    if (r.roundId && !arrived.has(r.roundId)) arrived.set(r.roundId, now());
  });
  return arrived;
}

async function main() {
  const opts = args();
  const model = await startFakeModel(opts.tokens);
  const db = await target(opts.pglite);
  let server: ChildProcess | undefined;
  const clients: TrackedProvider[] = [];
  try {
    // Seed first: PGlite is one process per folder, so the bench closes it before the server opens it.
    const database = await db.open();
    const seeded = await seed(database);
    await database.close();
    const started = await spawnServer({
      ...db.env,
      PORT: "0",
      HOST: "127.0.0.1",
      DEMO: "0",
      LOG_LEVEL: "error",
      REDIS_URL: "",
      MODEL_PROVIDER: "openai",
      MODEL: "fake-stream",
      OPENAI_BASE_URL: model.url,
      OPENAI_API_KEY: "bench",
    });
    server = started.child;
    const url = started.url;

    // 1. token → participant, through the openai provider.
    const stream = await joinRoom(url, seeded.streamTask, seeded.annotator, seeded.reviewer);
    clients.push(stream.annotator, stream.reviewer);
    const tokenLatency: number[] = [];
    let seen = 0;
    const post = postText(stream.reviewer.doc);
    post.observe(() => {
      const at = now();
      const text = post.toString();
      const count = text ? text.trim().split(/\s+/).length : 0;
      if (count < seen) seen = 0; // a new revision cleared the post-caption
      for (; seen < count; seen++) {
        const emitted = model.emits[seen];
        if (emitted !== undefined) tokenLatency.push(at - emitted);
      }
    });
    const streamDone = finishedRounds(stream.reviewer.doc);
    for (let run = 0; run < opts.runs; run++) {
      const r = await revise(url, seeded.streamTask, seeded.annotator);
      await waitFor(() => streamDone.has(r.roundId), `stream round ${r.n}`, 60_000);
      seen = 0;
    }

    // 2. revise → full revision, with the rules provider.
    const rules = await joinRoom(url, seeded.rulesTask, seeded.annotator, seeded.reviewer);
    clients.push(rules.annotator, rules.reviewer);
    const rulesDone = finishedRounds(rules.reviewer.doc);
    const reviseLatency: number[] = [];
    for (let i = 0; i < opts.revisions; i++) {
      const t0 = now();
      const r = await revise(url, seeded.rulesTask, seeded.annotator);
      await waitFor(() => rulesDone.has(r.roundId), `rules round ${r.n}`, 30_000);
      reviseLatency.push(rulesDone.get(r.roundId)! - t0);
      if (i === 0 && !postText(rules.reviewer.doc).toString().includes("dollies in")) {
        throw new Error(`the rules revision did not apply the fix: ${postText(rules.reviewer.doc).toString()}`);
      }
    }

    // Let the last round finish its bookkeeping (round row, stage) before the server is stopped.
    for (const taskId of [seeded.streamTask, seeded.rulesTask]) {
      await waitFor(async () => {
        const res = await fetch(`${url}/api/tasks/${taskId}`, { headers: { cookie: seeded.annotator } });
        return ((await res.json()) as { stage?: string }).stage === "refining";
      }, "the task back in refining");
    }

    const row = (what: string, v: number[], target: number) =>
      `| ${what.padEnd(44)} | ${String(v.length).padStart(7)} | ${pct(v, 50).toFixed(1).padStart(7)} | ${pct(v, 99).toFixed(1).padStart(7)} | ${Math.max(...v).toFixed(1).padStart(7)} | ${`≤ ${target}`.padStart(7)} | ${pct(v, 99) <= target ? "ok  " : "MISS"} |`;
    console.log(`\nbench:revise — ${opts.pglite ? "PGlite" : "PostgreSQL"}, ${os.cpus().length} cores, Node ${process.version}\n`);
    console.log("| measure (ms)                                 | samples |     p50 |     p99 |     max |  target |      |");
    console.log("| -------------------------------------------- | ------- | ------- | ------- | ------- | ------- | ---- |");
    console.log(row(`token → reviewer's Y.Doc (openai SSE, ${opts.runs}×${opts.tokens})`, tokenLatency, 100));
    console.log(row(`POST revise → full revision at reviewer (rules)`, reviseLatency, 200));
  } finally {
    for (const c of clients) c.destroy();
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server!.once("exit", r));
    }
    await model.close();
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
