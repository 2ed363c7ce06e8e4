import type { Database } from "../../db";
import { newRedis } from "../../cluster/redisClient";

/** What one readiness check found. */
export type ProbeResult = { ok: boolean; latencyMs: number; error?: string };

const PROBE_TIMEOUT_MS = 2_000;

async function timed(check: () => Promise<boolean>, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
  const outcome = await Promise.race([check().catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))), timeout]);
  clearTimeout(timer);
  const latencyMs = Math.round((performance.now() - started) * 100) / 100;
  if (outcome === true) return { ok: true, latencyMs };
  // Only a short reason: the probe's error may name hosts, never anything a user wrote.
  const error = outcome === "timeout" ? `no answer within ${timeoutMs} ms` : outcome === false ? "did not answer" : outcome.message.slice(0, 200);
  return { ok: false, latencyMs, error };
}

/** The database answers a trivial query. */
export function probeDatabase(database: Database, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  return timed(() => database.ping(), timeoutMs);
}

/**
 * Redis answers PING, over a short-lived connection of its own (the relay's connections belong to the collaboration
 * server; a probe every few seconds is cheap). No retries: a readiness check must answer quickly.
 */
export function probeRedis(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  return timed(async () => {
    const redis = newRedis(url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    redis.on("error", () => {}); // reported through the rejected connect/ping instead
    try {
      await redis.connect();
      return (await redis.ping()) === "PONG";
    } finally {
      redis.disconnect();
    }
  }, timeoutMs);
}
