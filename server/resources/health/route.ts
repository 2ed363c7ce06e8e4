import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../../context";
import { outageGateFor } from "../../http/outageGate";
import { UNAVAILABLE_RETRY_AFTER_SEC } from "../../http/unavailable";
import type { Drain } from "../../observability/drain";
import { probeDatabase, probeRedis, type ProbeResult } from "./probes";

/**
 * GET /api/health is liveness: the process answers (200), with the database's state for people reading it, so an
 * orchestrator does not restart a healthy process during a database outage. GET /api/ready is readiness: 503 with
 * Retry-After and what is down while a dependency (database; Redis when configured) cannot be reached, or
 * "draining" from the moment the process starts shutting down (so a balancer stops sending it work at once).
 */
export function healthRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get("/", async (c) => {
    const database = await probeDatabase(deps.database);
    const body = {
      ok: true,
      database: deps.database.kind,
      databaseOk: database.ok,
      databaseLatencyMs: database.latencyMs,
      uptimeSec: Math.round(process.uptime()),
    };
    return c.json(body, 200);
  });
}

export type ReadyBody = {
  ready: boolean;
  /** What is not ready: dependencies that cannot be reached, e.g. ["database"], and "draining" while shutting down. */
  down: string[];
  /** The process is shutting down (SIGTERM): it finishes what it has and takes nothing new. */
  draining: boolean;
  message: string;
  checks: { database: ProbeResult; redis?: ProbeResult };
};

export function readyRoutes(deps: AppDeps, drain?: Drain) {
  return new Hono<AppEnv>().get("/", async (c) => {
    const [database, redis] = await Promise.all([
      probeDatabase(deps.database),
      deps.config.redisUrl ? probeRedis(deps.config.redisUrl) : Promise.resolve(undefined),
    ]);
    // Readiness and the API agree: once the database answers here, requests stop being turned away.
    if (database.ok) outageGateFor(deps.database).markUp();
    const checks = redis ? { database, redis } : { database };
    const unreachable = Object.entries(checks)
      .filter(([, r]) => !r.ok)
      .map(([name]) => name);
    const draining = drain?.draining ?? false;
    const down = draining ? ["draining", ...unreachable] : unreachable;
    const reasons = [
      ...(draining ? ["shutting down (draining)"] : []),
      ...(unreachable.length > 0 ? [`cannot reach ${unreachable.join(" and ")}`] : []),
    ];
    const body: ReadyBody = {
      ready: down.length === 0,
      down,
      draining,
      message: down.length === 0 ? "Ready." : `Not ready: ${reasons.join("; ")}. Try again shortly.`,
      checks,
    };
    if (down.length === 0) return c.json(body, 200);
    return c.json(body, 503, { "Retry-After": String(UNAVAILABLE_RETRY_AFTER_SEC) });
  });
}
