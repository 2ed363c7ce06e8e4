import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import { taskRoom } from "../../shared/collab/protocol";
import { draftText } from "../../shared/room/document";
import { PgStorage } from "../collab/pgStorage";
import { rawConnect, stockProvider, storedDoc, typeInDraft, waitFor, type TrackedProvider } from "../testing/collabClients";
import { seedTask, seedUser } from "../testing/collabFixtures";
import { createTestDatabase } from "../testing/db";
import type { ReadyBody } from "../resources/health/route";

const ROOT = path.resolve(import.meta.dirname, "../..");

type Main = { child: ChildProcess; url: string; logs: Record<string, unknown>[]; exit: Promise<number | null> };

/**
 * `npm start` (server/main.ts) as a real process on a test database: what a service manager sends SIGTERM to. Resolves
 * once it prints where it listens; its JSON log lines are collected.
 */
function startMain(env: Record<string, string>): Promise<Main> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-shutdown-"));
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DEMO: "0", DATA_DIR: dataDir, LOG_LEVEL: "info", LOG_FORMAT: "json", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = "";
  child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("{")) logs.push(JSON.parse(line) as Record<string, unknown>);
      const url = /CHAI Studio on (http:\/\/\S+)/.exec(line)?.[1];
      if (url) resolve({ child, url, logs, exit });
    });
    void exit.then((code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
}

async function ready(url: string): Promise<{ status: number; body: ReadyBody } | "refused"> {
  try {
    const res = await fetch(`${url}/api/ready`);
    return { status: res.status, body: (await res.json()) as ReadyBody };
  } catch {
    return "refused";
  }
}

describe("graceful shutdown on SIGTERM [postgres]", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  const children: ChildProcess[] = [];
  const clients: TrackedProvider[] = [];

  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await database?.dispose();
  });

  it("readiness 503 while draining, joins refused, room sockets closed with 1012, every acknowledged edit stored, exit 0", async () => {
    database = await createTestDatabase("postgres");
    const lead = await seedUser(database.db, "lead");
    const taskId = await seedTask(database.db, { annotatorId: null, stage: "critiquing" });
    const room = taskRoom(taskId);
    const main = await startMain({ DATABASE_URL: database.url!, REDIS_URL: process.env.REDIS_URL ?? "", SHUTDOWN_DRAIN_DELAY_MS: "1500" });
    children.push(main.child);

    // A stock client typing steadily; SAVED(n) on a socket covers every token typed before its n-th document message.
    const tokens: string[] = [];
    let acked = 0;
    const countAt = new Map<WebSocket, number[]>();
    const codes: number[] = [];
    const client = stockProvider(main.url, room, { cookie: lead.cookie, origin: main.url }, {
      acks: true,
      onDocumentMessage: (socket, n) => {
        const at = countAt.get(socket) ?? [];
        at[n] = tokens.length;
        countAt.set(socket, at);
      },
      onSaved: (socket, n) => (acked = Math.max(acked, countAt.get(socket)?.[n] ?? 0)),
    });
    clients.push(client);
    client.provider.on("connection-close", (ev) => ev && codes.push(ev.code));
    await waitFor(() => client.provider.synced, "synced");
    const typing = setInterval(() => {
      const token = `<t${tokens.length}>`;
      tokens.push(token);
      typeInDraft(client.doc, token);
    }, 10);

    let sawDraining = false;
    let code: number | null;
    try {
      await waitFor(() => acked >= 20, "acknowledged edits before the signal");
      expect((await ready(main.url)) as { status: number }).toMatchObject({ status: 200 });
      main.child.kill("SIGTERM");

      // During the drain delay: readiness says draining (so a balancer stops sending work), liveness still answers,
      // a new room join is refused with a retryable 503, and the open room keeps working.
      await waitFor(async () => {
        const r = await ready(main.url);
        if (r !== "refused" && r.status === 503) {
          expect(r.body).toMatchObject({ ready: false, draining: true });
          expect(r.body.down).toContain("draining");
          sawDraining = true;
        }
        return sawDraining;
      }, "readiness draining", 5_000);
      expect((await fetch(`${main.url}/api/health`)).status).toBe(200);
      const join = await rawConnect(`${main.url.replace(/^http/, "ws")}/collab/${room}`, { cookie: lead.cookie, origin: main.url });
      expect(join).toMatchObject({ status: 503 });
      expect(JSON.parse((join as { body: string }).body)).toMatchObject({ error: { code: "restarting" } });

      await waitFor(() => codes.includes(1012), "the room socket closed with 1012 (service restart)", 10_000);
      code = await main.exit;
    } finally {
      clearInterval(typing);
    }
    client.provider.disconnect();

    expect(sawDraining).toBe(true);
    expect(codes[0]).toBe(1012);
    expect(code).toBe(0);

    // Every acknowledged token is in the database, once.
    const stored = draftText(await storedDoc(new PgStorage(database.db), room));
    expect(acked).toBeGreaterThanOrEqual(20);
    for (const t of tokens.slice(0, acked)) expect(stored.split(t).length - 1).toBe(1);

    // The log: JSON lines, the room's join with its ids, the shutdown's steps; never what was typed.
    const messages = main.logs.map((l) => l.msg);
    expect(messages).toEqual(expect.arrayContaining(["listening", "shutdown: signal received", "shutdown: draining", "shutdown: done"]));
    const join1 = main.logs.find((l) => l.msg === "collab: join");
    expect(join1).toMatchObject({ level: "info", component: "collab", room, userId: lead.id });
    expect(typeof join1!.conn).toBe("string");
    expect(main.logs.find((l) => l.msg === "shutdown: done")).toMatchObject({ unwritten: 0 });
    expect(JSON.stringify(main.logs)).not.toContain("<t1>");
  }, 90_000);

  it("a second signal exits at once", async () => {
    database ??= await createTestDatabase("postgres");
    const main = await startMain({ DATABASE_URL: database.url!, REDIS_URL: "", SHUTDOWN_DRAIN_DELAY_MS: "60000" });
    children.push(main.child);
    main.child.kill("SIGTERM");
    await waitFor(async () => {
      const r = await ready(main.url);
      return r !== "refused" && r.status === 503;
    }, "draining");
    const t0 = Date.now();
    main.child.kill("SIGTERM");
    expect(await main.exit).toBe(143);
    expect(Date.now() - t0).toBeLessThan(5_000);
  }, 60_000);
});
