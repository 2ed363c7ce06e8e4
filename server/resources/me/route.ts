import { Hono } from "hono";
import { currentUser, requireUser } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import { toMe } from "../users/presenter";

/** GET /api/me: who the session cookie belongs to. */
export function meRoutes(_deps: AppDeps) {
  return new Hono<AppEnv>().get("/", requireUser, (c) => c.json(toMe(currentUser(c))));
}
