import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { taskRoom } from "../../../shared/collab/protocol";
import { createApp } from "../../app";
import { buildRevisionPrompt } from "../../pipeline/prompts";
import type { ModelProvider } from "../../pipeline/providers/types";
import { runPrompt } from "../../pipeline/revise";
import { registerJobQueueDepth } from "../../observability/metrics";
import { startServer, type RunningServer } from "../../server";
import { addNote, stockProvider, waitFor, type TrackedProvider } from "../../testing/collabClients";
import { seedTask, seedUser } from "../../testing/collabFixtures";
import { createTestDatabase } from "../../testing/db";
import { testConfig } from "../../testing/testConfig";
import { tokenMatches } from "./route";

const TOKEN = "metrics-token-of-this-test-H12";

/** The value of one series in the Prometheus text format (labels matched as written, in any order); undefined if absent. */
function metric(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe("GET /api/metrics: off without a token, 401 with a wrong one", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase("pglite");
  });
  afterAll(() => database?.dispose());

  it("404 when METRICS_TOKEN is not set, whatever is sent", async () => {
    const app = createApp({ config: testConfig(), database });
    const res = await app.request("/api/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("401 without a token, with a wrong one, or with another scheme; 200 text format with the right one", async () => {
    const app = createApp({ config: testConfig({ metricsToken: TOKEN }), database });
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, "Bearer short", `Basic ${TOKEN}`, TOKEN]) {
      const res = await app.request("/api/metrics", { headers: authorization ? { authorization } : {} });
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await res.text()).not.toContain("chai_");
    }
    const ok = await app.request("/api/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await ok.text();
    for (const name of ["process_cpu_user_seconds_total", "nodejs_eventloop_lag_seconds", "chai_collab_connections", "chai_collab_write_queue_depth"]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it("compares tokens in constant time over their hashes (any lengths)", () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches("", TOKEN)).toBe(false);
    expect(tokenMatches(`${TOKEN}${TOKEN}`, TOKEN)).toBe(false);
  });

  it("METRICS_TOKEN shorter than 16 characters stops start-up", async () => {
    const { loadConfig } = await import("../../config");
    expect(() => loadConfig({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
  });
});

describe("metrics follow a room edit, HTTP traffic, provider calls and the job queue [postgres]", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: RunningServer;
  let client: TrackedProvider | undefined;
  const scrape = async () => {
    const res = await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    server = await startServer(testConfig({ port: 0, host: "127.0.0.1", databaseUrl: database.url, metricsToken: TOKEN }), { database });
  });
  afterAll(async () => {
    client?.destroy();
    await server?.close();
    await database?.dispose();
  });

  it("connections, rooms, updates received and relayed, save latency, HTTP durations", async () => {
    const annotator = await seedUser(database.db, "annotator");
    const room = taskRoom(await seedTask(database.db, { annotatorId: annotator.id, stage: "critiquing" }));
    const before = await scrape();
    const applied0 = metric(before, "chai_collab_updates_received_total", { outcome: "applied" }) ?? 0;
    const saved0 = metric(before, "chai_collab_save_latency_seconds_count") ?? 0;
    const loads0 = metric(before, "chai_collab_room_loads_total") ?? 0;
    expect(metric(before, "chai_collab_connections")).toBe(0);

    const c = stockProvider(server.url, room, { cookie: annotator.cookie, origin: server.url }, { acks: true });
    client = c;
    await waitFor(() => c.provider.synced, "synced");
    const watcher = stockProvider(server.url, room, { cookie: annotator.cookie, origin: server.url });
    try {
      await waitFor(() => watcher.provider.synced, "second client synced");
      const relayed0 = metric(await scrape(), "chai_collab_updates_relayed_total", { to: "clients" }) ?? 0;
      for (let i = 0; i < 3; i++) addNote(c.doc, annotator.id, `note ${i}`);
      // Message 1 was the sync step 2; the three notes are 2, 3 and 4.
      await waitFor(() => Math.max(0, ...c.savedBySocket.values()) >= 4, "the notes saved");
      await server.collab.flush();

      const after = await scrape();
      expect(metric(after, "chai_collab_connections")).toBe(2);
      expect(metric(after, "chai_collab_rooms_loaded")).toBeGreaterThanOrEqual(1);
      expect(metric(after, "chai_collab_room_loads_total")).toBe(loads0 + 1);
      expect(metric(after, "chai_collab_updates_received_total", { outcome: "applied" })).toBeGreaterThanOrEqual(applied0 + 1);
      expect(metric(after, "chai_collab_updates_relayed_total", { to: "clients" })).toBeGreaterThan(relayed0);
      expect(metric(after, "chai_collab_save_latency_seconds_count")).toBeGreaterThan(saved0);
      expect(metric(after, "chai_collab_save_latency_seconds_bucket", { le: "+Inf" })).toBe(metric(after, "chai_collab_save_latency_seconds_count"));
      expect(metric(after, "chai_collab_write_queue_depth")).toBe(0);
      // The scrapes themselves: a route pattern and a status, never a room or user id as a label.
      expect(metric(after, "chai_http_request_duration_seconds_count", { method: "GET", route: "/api/metrics", status: "200" })).toBeGreaterThanOrEqual(2);
      expect(after).not.toContain(room);
      expect(after).not.toContain(annotator.id);
    } finally {
      watcher.destroy();
    }
  });

  it("provider latency and errors by provider and code; job queue depth from a registered reader", async () => {
    const failing: ModelProvider = {
      name: "metricsprobe",
      model: "m",
      reportsFinish: true,
      async *generate() {
        yield { type: "text", text: "half" };
      },
    };
    const prompt = buildRevisionPrompt({ draft: "The camera pans.", items: [] });
    const before = await scrape();
    const errors0 = metric(before, "chai_model_request_errors_total", { provider: "metricsprobe", code: "incomplete" }) ?? 0;
    // The server's own durable job queue (server/jobs), one series per job name.
    expect(metric(before, "chai_job_queue_depth", { queue: "export" })).toBe(0);
    expect(metric(before, "chai_job_queue_depth", { queue: "draft-batch" })).toBe(0);
    await expect(runPrompt(failing, prompt)).rejects.toThrow();
    const unregister = registerJobQueueDepth(() => ({ "dataset-export": 3, "batch-draft": 1 }));
    try {
      const after = await scrape();
      expect(metric(after, "chai_model_request_errors_total", { provider: "metricsprobe", code: "incomplete" })).toBe(errors0 + 1);
      expect(metric(after, "chai_model_request_duration_seconds_count", { provider: "metricsprobe", outcome: "error" })).toBeGreaterThanOrEqual(1);
      expect(metric(after, "chai_job_queue_depth", { queue: "dataset-export" })).toBe(3);
      expect(metric(after, "chai_job_queue_depth", { queue: "batch-draft" })).toBe(1);
    } finally {
      unregister();
    }
    expect(metric(await scrape(), "chai_job_queue_depth", { queue: "dataset-export" })).toBeUndefined();
  });
});
