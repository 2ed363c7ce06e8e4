import { expect, it } from "vitest";
import { createApp } from "../../app";
import { describeEachDb } from "../../testing/db";
import { testConfig } from "../../testing/testConfig";

describeEachDb("GET /api/health", (db, kind) => {
  it("reports the database in use and that it answers", async () => {
    const app = createApp({ config: testConfig(), database: db() });
    const res = await app.request("/api/health");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; database: string; databaseOk: boolean };
    expect(body).toMatchObject({ ok: true, database: kind, databaseOk: true });
  });

  it("answers unknown API paths with a JSON 404", async () => {
    const app = createApp({ config: testConfig(), database: db() });
    const res = await app.request("/api/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
