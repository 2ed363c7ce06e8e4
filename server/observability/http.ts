import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import type { AppEnv } from "../context";
import type { Drain } from "./drain";
import type { Logger } from "./logger";
import { httpDuration } from "./metrics";
import { REQUEST_ID_HEADER, requestIdFrom, setRequestId } from "./requestId";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** Probes every few seconds: their lines are debug, so an info log is the traffic of people. */
const PROBES = new Set(["/api/health", "/api/ready", "/api/metrics"]);

/**
 * First middleware of every answer: the request id (a sane incoming X-Request-Id, else a new one; echoed in the
 * response), one access log line after the answer, and the request-duration histogram. The route is the matched
 * pattern ("/api/tasks/:id"), never the URL itself, which may carry ids and query secrets. With a `drain`
 * (server.ts), requests are counted in and out for shutdown, and answers while draining carry Connection: close.
 */
export function httpObservability(logger: Logger, drain?: Drain) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    const reqId = requestIdFrom(c.req.header(REQUEST_ID_HEADER));
    setRequestId(c.req.raw, reqId);
    drain?.enter();
    try {
      await next();
    } finally {
      drain?.leave();
    }
    c.header(REQUEST_ID_HEADER, reqId);
    if (drain?.draining) c.header("Connection", "close");
    const ms = performance.now() - started;
    const route = routePath(c) || "unmatched";
    const method = METHODS.has(c.req.method) ? c.req.method : "OTHER";
    const status = c.res.status;
    httpDuration.observe({ method, route, status: String(status) }, ms / 1000);
    const user = c.get("user");
    const line = { reqId, method, route, status, ms: Math.round(ms * 10) / 10, userId: user?.id };
    if (PROBES.has(route)) logger.debug(line, "request");
    else logger.info(line, "request");
  });
}
