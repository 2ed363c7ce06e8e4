import { Hono } from "hono";
import { asc, eq } from "drizzle-orm";
import { requireRole } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import { users } from "../../db/schema/index";
import { toUserSummary } from "./presenter";
import type { UserListResponse } from "../../../shared/api/auth";

/** GET /api/users (lead/admin): active people for filter dropdowns. */
export function usersRoutes(deps: AppDeps) {
  const { db } = deps.database;
  return new Hono<AppEnv>().get("/", requireRole("lead", "admin"), async (c) => {
    const rows = await db
      .select({ id: users.id, displayName: users.displayName, role: users.role })
      .from(users)
      .where(eq(users.active, true))
      .orderBy(asc(users.displayName));
    const body: UserListResponse = rows.map(toUserSummary);
    return c.json(body);
  });
}
