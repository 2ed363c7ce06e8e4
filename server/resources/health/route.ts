import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../../context";

export function healthRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get("/", async (c) => {
    const started = performance.now();
    const databaseOk = await deps.database.ping();
    const body = {
      ok: databaseOk,
      database: deps.database.kind,
      databaseOk,
      databaseLatencyMs: Math.round((performance.now() - started) * 100) / 100,
      uptimeSec: Math.round(process.uptime()),
    };
    return c.json(body, databaseOk ? 200 : 503);
  });
}
