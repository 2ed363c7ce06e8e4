import { expect, it } from "vitest";
import { createApp } from "../../app";
import { describeEachDb } from "../../testing/db";
import { testConfig } from "../../testing/testConfig";
import { Drain } from "../../observability/drain";
import type { ReadyBody } from "./route";

describeEachDb("GET /api/health", (db, kind) => {
  it("reports the database in use and that it answers", async () => {
    const app = createApp({ config: testConfig(), database: db() });
    const res = await app.request("/api/health");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; database: string; databaseOk: boolean };
    expect(body).toMatchObject({ ok: true, database: kind, databaseOk: true });
  });

  it("readiness: 200 while up; 503 naming \"draining\" once shutdown starts, while liveness stays 200", async () => {
    const drain = new Drain();
    const app = createApp({ config: testConfig(), database: db() }, { drain });
    const up = await app.request("/api/ready");
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ ready: true, down: [], draining: false });
    drain.start();
    const draining = await app.request("/api/ready");
    expect(draining.status).toBe(503);
    expect(draining.headers.get("retry-after")).not.toBeNull();
    const body = (await draining.json()) as ReadyBody;
    expect(body).toMatchObject({ ready: false, down: ["draining"], draining: true });
    expect(body.message).toMatch(/shutting down/);
    expect((await app.request("/api/health")).status).toBe(200);
    // Answers while draining ask the client to let its keep-alive connection go.
    expect(draining.headers.get("connection")).toBe("close");
  });

  it("answers unknown API paths with a JSON 404", async () => {
    const app = createApp({ config: testConfig(), database: db() });
    const res = await app.request("/api/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
