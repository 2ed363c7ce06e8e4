import { Hono } from "hono";
import { ZodError } from "zod";
import type { AppDeps, AppEnv } from "./context";
import { HttpError, type ErrorBody } from "./http/errors";
import { healthRoutes } from "./resources/health/route";
import { originMiddleware, sessionMiddleware } from "./auth/middleware";
import { authRoutes } from "./resources/auth/route";
import { meRoutes } from "./resources/me/route";
import { tasksRoutes } from "./resources/tasks/route";
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

/**
 * The HTTP app: every API resource is mounted here under /api. Static client files and the WebSocket upgrade are
 * attached by main.ts, so tests can drive the API with app.request() and no socket.
 */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.onError((err, c) => {
    if (err instanceof HttpError) {
      const body: ErrorBody = { error: { code: err.code, message: err.message, details: err.details } };
      return c.json(body, err.status);
    }
    if (err instanceof ZodError) {
      const body: ErrorBody = { error: { code: "bad_request", message: "Invalid request.", details: err.issues } };
      return c.json(body, 400);
    }
    console.error("[http] unhandled error", c.req.method, c.req.path, err);
    const body: ErrorBody = { error: { code: "internal", message: "Something went wrong on the server." } };
    return c.json(body, 500);
  });

  // Before every route: refuse cross-site writes, then load the session's user (c.var.user, null when none).
  app.use("/api/*", originMiddleware(deps.config));
  app.use("/api/*", sessionMiddleware(deps.database.db));
  app.route("/api/health", healthRoutes(deps));
  // Resource routes are mounted here, one line each.
  app.route("/api/auth", authRoutes(deps));
  app.route("/api/me", meRoutes(deps));
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

  app.all("/api/*", (c) => {
    const body: ErrorBody = { error: { code: "not_found", message: `No API route ${c.req.method} ${c.req.path}.` } };
    return c.json(body, 404);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
