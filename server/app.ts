import { Hono } from "hono";
import { ZodError } from "zod";
import type { AppBase, AppDeps, AppEnv } from "./context";
import { PgStorage } from "./collab/pgStorage";
import { RoomRegistry } from "./collab/rooms";
import { createLoop, loopDepsFrom, RevisionService, type LoopDeps } from "./loop";
import { REVISION_LEASE, type RevisionSharing } from "./loop/revisions";
import { CoachingHub } from "./training/coachingHub";
import { clusterFor, taskLocksFor } from "./cluster";
import { toHttpError, type ErrorBody } from "./http/errors";
import { describeIssues } from "./http/issues";
import { securityHeaders } from "./http/securityHeaders";
import { UNAVAILABLE_RETRY_AFTER_SEC, outageLogger, unavailableCode } from "./http/unavailable";
import { UNAVAILABLE_BODY, outageGateFor, outageGateMiddleware } from "./http/outageGate";
import { healthRoutes, readyRoutes } from "./resources/health/route";
import { clientMiddleware, originMiddleware, sessionMiddleware } from "./auth/middleware";
import { authRoutes } from "./resources/auth/route";
import { meRoutes } from "./resources/me/route";
import { tasksRoutes } from "./resources/tasks/route";
import { nextTaskRoutes } from "./resources/tasks/nextRoute";
import { videosRoutes } from "./resources/videos/route";
import { projectsRoutes } from "./resources/projects/route";
import { usersRoutes } from "./resources/users/route";
import { specRoutes } from "./resources/spec/route";
import { labelsRoutes } from "./resources/labels/route";
import { loopRoutes } from "./resources/loop/route";
import { reviewRoutes } from "./resources/review/route";
import { catchesRoutes } from "./resources/catches/route";
import { rewardsRoutes } from "./resources/rewards/route";
import { figuresRoutes } from "./resources/figures/route";
import { trainingRoutes } from "./resources/training/route";
import { coachingRoutes } from "./resources/coaching/route";
import { dashboardRoutes } from "./resources/dashboard/route";
import { exportsRoutes } from "./resources/exports/route";
import { draftBatchesRoutes } from "./resources/draftBatches/route";
import { setupRoutes } from "./resources/setup/route";
import { adminUsersRoutes } from "./resources/users/adminRoute";
import { invitesRoutes } from "./resources/users/invitesRoute";
import { auditRoutes } from "./resources/audit/route";
import { uploadsRoutes } from "./resources/uploads/route";
import { metricsRoutes } from "./resources/metrics/route";
import { describeError } from "./collab/logSafe";
import { loggerFor, type Logger } from "./observability/logger";
import { httpObservability } from "./observability/http";
import type { Drain } from "./observability/drain";
import { requestIdOf } from "./observability/requestId";

/**
 * The composition root: builds every service of one process once (the rooms when the WebSocket server gave none,
 * the loop with its provider registry and spec, the coaching hub) and hands them out explicitly. Without rooms (an
 * API-only test) a registry on the same database is made: the documents are the same rows, only nobody is live.
 * `loop` overrides the loop's deps (tests pass a spec or a provider; the demo seed the rules provider);
 * `revisionLease` the revision lease's timing (tests of a killed process shorten it).
 *
 * What processes share (server/cluster) goes through the rooms' cluster: Redis when REDIS_URL is set and the rooms
 * were given (their owner closes them, and the cluster with them), this process alone otherwise. Revisions are one
 * per task across processes on PostgreSQL whatever the Redis setting (their locks and leases are in the database).
 */
export function createServices(
  base: AppBase,
  overrides: { loop?: Partial<LoopDeps>; revisionLease?: Partial<RevisionSharing["lease"]> } = {},
): AppDeps {
  const rooms = base.rooms ?? new RoomRegistry({ storage: new PgStorage(base.database.db) });
  const log = loggerFor(base.config).child({ component: "cluster" });
  const onError = (err: unknown) => log.error({ err: describeError(err) }, "cluster: a shared service failed");
  const cluster = clusterFor(rooms, { redisUrl: base.rooms ? base.config.redisUrl : undefined }, { onError });
  const loopDeps = loopDepsFrom({ db: base.database.db, config: base.config, rooms, ...overrides.loop });
  const lease = { ...REVISION_LEASE, ...overrides.revisionLease };
  const revisions = new RevisionService(loopDeps, { bus: cluster.bus, locks: taskLocksFor(base.database, "revision"), lease });
  const loop = { ...createLoop(loopDeps), revisions };
  // Revisions whose process died are ended by whichever process looks first (never for rooms nobody closes).
  if (base.rooms) cluster.every(lease.ttlMs, () => revisions.recoverExpired());
  return { config: base.config, database: base.database, rooms, loop, coaching: new CoachingHub(cluster.bus, onError), cluster };
}

/**
 * The HTTP app: every API resource is mounted here under /api. Static client files and the WebSocket upgrade are
 * attached by server.ts, so tests can drive the API with app.request() and no socket. Given only the base, it
 * builds the services itself (tests that never reach into them). `logger` defaults to the configuration's; `drain`
 * (server.ts) turns readiness to 503 while the process shuts down.
 */
export function createApp(input: AppBase | AppDeps, opts: { logger?: Logger; drain?: Drain } = {}) {
  const deps = "loop" in input ? input : createServices(input);
  const app = new Hono<AppEnv>();
  const logger = (opts.logger ?? loggerFor(deps.config)).child({ component: "http" });
  const logOutage = outageLogger((line) => logger.error(line));
  const outageGate = outageGateFor(deps.database);

  app.onError((err, c) => {
    // The database (or its connection) is down: a retryable 503, logged as one short line (never the query's values).
    const outage = unavailableCode(err);
    if (outage) {
      logOutage(`${c.req.method} ${c.req.path}`, outage);
      outageGate.markDown();
      return c.json(UNAVAILABLE_BODY, 503, { "Retry-After": String(UNAVAILABLE_RETRY_AFTER_SEC) });
    }
    const known = toHttpError(err);
    if (known) {
      const body: ErrorBody = { error: { code: known.code, message: known.message, details: known.details } };
      return c.json(body, known.status);
    }
    if (err instanceof ZodError) {
      const body: ErrorBody = { error: { code: "bad_request", message: describeIssues(err.issues), details: err.issues } };
      return c.json(body, 400);
    }
    // The error in words (never a driver's repeated query values) and where it was thrown.
    const stack = err.stack?.split("\n").slice(1, 8).map((l) => l.trim()).join(" | ");
    logger.error({ reqId: requestIdOf(c.req.raw), method: c.req.method, err: describeError(err), stack }, "unhandled error");
    const body: ErrorBody = { error: { code: "internal", message: "Something went wrong on the server." } };
    return c.json(body, 500);
  });

  // Every answer, pages included (server.ts adds them later): request id, access log and duration first; who the
  // client is (proxies trusted only when configured), then the security headers.
  app.use("*", httpObservability(logger, opts.drain));
  app.use("*", clientMiddleware(deps.config));
  app.use("*", securityHeaders());
  // Liveness, readiness and metrics need no session, so a database outage cannot turn them into errors.
  app.route("/api/health", healthRoutes(deps));
  app.route("/api/ready", readyRoutes(deps, opts.drain));
  app.route("/api/metrics", metricsRoutes(deps.config));
  // While the database is known to be down, 503 at once rather than queueing behind the driver's reconnection.
  app.use("/api/*", outageGateMiddleware(outageGate));
  // Before every route: refuse cross-site writes, then load the session's user (c.var.user, null when none).
  app.use("/api/*", originMiddleware(deps.config));
  app.use("/api/*", sessionMiddleware(deps.database.db));
  // Resource routes are mounted here, one line each.
  app.route("/api/auth", authRoutes(deps));
  app.route("/api/me", meRoutes(deps));
  app.route("/api/tasks", nextTaskRoutes(deps));
  app.route("/api/tasks", tasksRoutes(deps));
  app.route("/api/videos", videosRoutes(deps));
  app.route("/api/projects", projectsRoutes(deps));
  app.route("/api/users", usersRoutes(deps));
  app.route("/api/spec", specRoutes(deps));
  app.route("/api", labelsRoutes(deps));
  app.route("/api/tasks", loopRoutes(deps));
  app.route("/api/tasks", reviewRoutes(deps));
  app.route("/api", catchesRoutes(deps));
  app.route("/api/reward-rules", rewardsRoutes(deps));
  app.route("/api", figuresRoutes(deps));
  app.route("/api", trainingRoutes(deps));
  app.route("/api/tasks", coachingRoutes(deps));
  app.route("/api", dashboardRoutes(deps));
  app.route("/api/exports", exportsRoutes(deps));
  app.route("/api/draft-batches", draftBatchesRoutes(deps));
  app.route("/api/setup", setupRoutes(deps));
  app.route("/api/admin/users", adminUsersRoutes(deps));
  app.route("/api/invites", invitesRoutes(deps));
  app.route("/api/audit", auditRoutes(deps));
  app.route("/api/uploads", uploadsRoutes(deps));

  app.all("/api/*", (c) => {
    const body: ErrorBody = { error: { code: "not_found", message: `No API route ${c.req.method} ${c.req.path}.` } };
    return c.json(body, 404);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
