import { Hono } from "hono";
import { ZodError } from "zod";
import type { AppDeps, AppEnv } from "./context";
import { HttpError, type ErrorBody } from "./http/errors";
import { healthRoutes } from "./routes/health";

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

  app.route("/api/health", healthRoutes(deps));
  // Resource routes are mounted here, one line each.

  app.all("/api/*", (c) => {
    const body: ErrorBody = { error: { code: "not_found", message: `No API route ${c.req.method} ${c.req.path}.` } };
    return c.json(body, 404);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
