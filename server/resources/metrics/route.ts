import { createHash, timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import type { AppEnv } from "../../context";
import type { ErrorBody } from "../../http/errors";
import { metricsRegistry } from "../../observability/metrics";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Compares the presented token with the configured one in constant time (hashes first: equal lengths). */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * GET /api/metrics: the Prometheus text format, for a scraper holding `Authorization: Bearer $METRICS_TOKEN`.
 * Without METRICS_TOKEN the endpoint does not exist (404, like any unknown path); a missing or wrong token is 401.
 */
export function metricsRoutes(config: { metricsToken: string | undefined }) {
  return new Hono<AppEnv>().get("/", async (c) => {
    const expected = config.metricsToken;
    if (!expected) {
      const body: ErrorBody = { error: { code: "not_found", message: `No API route ${c.req.method} ${c.req.path}.` } };
      return c.json(body, 404);
    }
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (!presented || !tokenMatches(presented, expected)) {
      const body: ErrorBody = { error: { code: "unauthorized", message: "A valid metrics token is required." } };
      return c.json(body, 401, { "WWW-Authenticate": 'Bearer realm="metrics"' });
    }
    return c.body(await metricsRegistry.metrics(), 200, { "Content-Type": metricsRegistry.contentType, "Cache-Control": "no-store" });
  });
}
