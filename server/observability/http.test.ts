import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app";
import { seedTask, seedUser, type SeededUser } from "../testing/collabFixtures";
import { createTestDatabase } from "../testing/db";
import { testConfig } from "../testing/testConfig";
import { createLogger, prettyLine } from "./logger";

type Line = Record<string, unknown>;

/** A logger whose JSON lines are kept, as pino writes them. */
function capturedLogger(level: "info" | "debug" = "info") {
  const lines: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Line) };
}

describe("request ids and the access log", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let user: SeededUser;
  let taskId: string;

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    user = await seedUser(database.db, "annotator");
    taskId = await seedTask(database.db, { annotatorId: user.id });
  });
  afterAll(() => database?.dispose());

  it("echoes a sane incoming X-Request-Id and writes one JSON line for the request: route pattern, status, ms, user", async () => {
    const log = capturedLogger();
    const app = createApp({ config: testConfig({ logLevel: "info" }), database }, { logger: log.logger });
    const res = await app.request(`/api/tasks/${taskId}?token=SECRET-QUERY-1`, { headers: { cookie: user.cookie, "x-request-id": "lb-7f3a:42" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("lb-7f3a:42");

    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]!.endsWith("\n")).toBe(true);
    const [line] = log.parsed();
    expect(line).toMatchObject({
      level: "info",
      msg: "request",
      component: "http",
      reqId: "lb-7f3a:42",
      method: "GET",
      route: "/api/tasks/:id",
      status: 200,
      userId: user.id,
    });
    expect(typeof line!.ms).toBe("number");
    expect(typeof line!.time).toBe("string");
    // Never the URL itself: no ids of the path, nothing of the query.
    expect(log.lines[0]).not.toContain("SECRET-QUERY-1");
    expect(log.lines[0]).not.toContain(taskId);
  });

  it("generates an id when none (or an insane one) came, and logs failures with their status and no user", async () => {
    const log = capturedLogger();
    const app = createApp({ config: testConfig(), database }, { logger: log.logger });
    const none = await app.request("/api/me");
    const weird = await app.request("/api/nope/at/all", { headers: { "x-request-id": `bad id "with" spaces ${"x".repeat(200)}` } });
    expect(none.status).toBe(401);
    expect(weird.status).toBe(404);
    const ids = [none.headers.get("x-request-id"), weird.headers.get("x-request-id")];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);

    const lines = log.parsed();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ reqId: ids[0], route: "/api/me", status: 401 });
    expect(lines[0]!.userId).toBeUndefined();
    expect(lines[1]).toMatchObject({ reqId: ids[1], route: "/api/*", status: 404 });
  });

  it("probes are logged at debug only; LOG_LEVEL silent writes nothing", async () => {
    const info = capturedLogger("info");
    const debug = capturedLogger("debug");
    await createApp({ config: testConfig(), database }, { logger: info.logger }).request("/api/health");
    await createApp({ config: testConfig(), database }, { logger: debug.logger }).request("/api/health");
    expect(info.lines).toHaveLength(0);
    expect(debug.parsed()).toMatchObject([{ level: "debug", route: "/api/health", status: 200 }]);

    let written = 0;
    const silent = createLogger({ level: "silent", destination: { write: () => void written++ } });
    await createApp({ config: testConfig(), database }, { logger: silent }).request("/api/me");
    expect(written).toBe(0);
  });

  it("LOG_FORMAT=pretty: one short human line", () => {
    const json = JSON.stringify({ level: "info", time: "2025-01-02T03:04:05.678Z", pid: 1, hostname: "h", msg: "request", route: "/api/me", status: 401 });
    expect(prettyLine(json)).toBe("03:04:05.678 INFO  request  route=/api/me status=401");
  });
});
