import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { taskRoom } from "../../../shared/collab/protocol";
import { openDatabase, type Database } from "../../db/index";
import { startServer, type RunningServer } from "../../server";
import { addNote, stockProvider, waitFor, type TrackedProvider } from "../../testing/collabClients";
import { seedTask, seedUser, type SeededUser } from "../../testing/collabFixtures";
import { testConfig } from "../../testing/testConfig";
import { canRunThrowawayPostgres, startThrowawayPostgres, type ThrowawayPostgres } from "../../testing/throwawayPostgres";
import { createLogger } from "../../observability/logger";
import type { ReadyBody } from "./route";

/** A WebSocket join as a browser makes it; the HTTP status and Retry-After it was refused with, or "open". */
function join(baseUrl: string, room: string, cookie: string): Promise<{ status: number; retryAfter: string | undefined; body: string } | "open"> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/collab/${room}`, { headers: { cookie, origin: baseUrl } });
    ws.once("open", () => {
      ws.close();
      resolve("open");
    });
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"], body }));
    });
    ws.once("error", reject);
  });
}

/** Everything the server logs (its JSON lines, at level error as in production with LOG_LEVEL=error). */
function captureLogs() {
  let lines: string[] = [];
  const logger = createLogger({ level: "error", destination: { write: (line: string) => void lines.push(line.trimEnd()) } });
  return {
    logger,
    reset: () => (lines = []),
    text: () => lines.join("\n"),
    messages: () => lines.map((l) => String((JSON.parse(l) as { msg?: unknown }).msg)),
    bytes: () => Buffer.byteLength(lines.join("\n")),
  };
}

const MARKER = "ROOM-CONTENT-MARKER-7f3a";

describe.skipIf(!canRunThrowawayPostgres())("a database outage (a throwaway PostgreSQL of this test, never the shared one)", () => {
  let pg: ThrowawayPostgres;
  let database: Database;
  let server: RunningServer;
  let annotator: SeededUser;
  let room: string;
  let live: TrackedProvider | undefined;
  let logs: ReturnType<typeof captureLogs>;

  beforeAll(async () => {
    pg = await startThrowawayPostgres();
    database = await openDatabase({ kind: "postgres", url: pg.url, max: 4 });
    // Logging on, as in production, so that what the outage writes to the log is measured.
    logs = captureLogs();
    server = await startServer(testConfig({ port: 0, host: "127.0.0.1", databaseUrl: pg.url, logLevel: "error" }), { database, logger: logs.logger });
    annotator = await seedUser(database.db, "annotator");
    room = taskRoom(await seedTask(database.db, { annotatorId: annotator.id, stage: "critiquing" }));
  }, 120_000);

  afterAll(async () => {
    live?.destroy();
    await server?.close();
    await database?.close();
    await pg?.destroy();
  }, 120_000);

  it("while up: ready, and a room holds content", async () => {
    expect((await fetch(`${server.url}/api/ready`)).status).toBe(200);
    live = stockProvider(server.url, room, { cookie: annotator.cookie, origin: server.url }, { acks: true });
    await waitFor(() => live!.provider.synced, "synced");
    addNote(live.doc, annotator.id, `${MARKER} first note`);
    await server.collab.flush();
    await waitFor(() => Math.max(0, ...live!.savedBySocket.values()) > 0, "saved");
  });

  it("while down: REST 503 with Retry-After, readiness 503 naming the database, liveness 200, a new room join refused with 503", async () => {
    logs.reset();
    await pg.stop();

    const headers = { cookie: annotator.cookie };
    const me = await fetch(`${server.url}/api/me`, { headers });
    expect(me.status).toBe(503);
    expect(Number(me.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await me.json()).toMatchObject({ error: { code: "unavailable", message: expect.stringMatching(/database/) } });

    const login = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: JSON.stringify({ email: "someone@test.local", password: "whatever" }),
    });
    expect(login.status).toBe(503);
    expect(login.headers.get("retry-after")).not.toBeNull();

    const many = await Promise.all(Array.from({ length: 30 }, () => fetch(`${server.url}/api/tasks`, { headers }).then((r) => r.status)));
    expect(new Set(many)).toEqual(new Set([503]));

    const ready = await fetch(`${server.url}/api/ready`);
    expect(ready.status).toBe(503);
    expect(Number(ready.headers.get("retry-after"))).toBeGreaterThan(0);
    const readyBody = (await ready.json()) as ReadyBody;
    expect(readyBody).toMatchObject({ ready: false, down: ["database"] });
    expect(readyBody.message).toMatch(/cannot reach database/);

    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ databaseOk: false });

    for (let i = 0; i < 5; i++) {
      const refused = await join(server.url, room, annotator.cookie);
      expect(refused).not.toBe("open");
      if (refused === "open") return;
      expect(refused.status).toBe(503);
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      expect(JSON.parse(refused.body)).toMatchObject({ error: { code: "unavailable" } });
    }

    // The participant already in the room keeps editing; it cannot be stored yet.
    addNote(live!.doc, annotator.id, `${MARKER} written during the outage`);
    await new Promise((r) => setTimeout(r, 1500));
  });

  it("the log of the outage carries counts and codes, never room content, and stays small", () => {
    const text = logs.text();
    expect(text).not.toContain(MARKER);
    expect(text).not.toContain(Buffer.from(MARKER).toString("hex"));
    process.stdout.write(`outage log: ${logs.bytes()} bytes, ${text.split("\n").length} lines\n`);
    // About 40 failed requests and joins: one short line per burst, not a dump per failure.
    const httpLines = logs.messages().filter((m) => m.startsWith("[http]") || m.startsWith("collab: join"));
    expect(httpLines.length).toBeGreaterThanOrEqual(1);
    expect(httpLines.length).toBeLessThanOrEqual(3);
    for (const line of httpLines) expect(line.length).toBeLessThan(200);
    // The whole outage (the write queue's retries included) stays small.
    expect(logs.bytes()).toBeLessThan(16 * 1024);
  });

  it("back up: ready again, REST answers, the room takes joins", async () => {
    await pg.start();
    await waitFor(async () => (await fetch(`${server.url}/api/ready`)).status === 200, "ready again", 60_000);
    expect((await fetch(`${server.url}/api/me`, { headers: { cookie: annotator.cookie } })).status).toBe(200);
    // A pooled connection the restart cut may fail its first query (57P01) with one more retryable 503: the stock
    // client simply retries, as here.
    await waitFor(async () => (await join(server.url, room, annotator.cookie)) === "open", "a join taken again", 15_000);
  });
});
