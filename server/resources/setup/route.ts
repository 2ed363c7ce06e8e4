import { Hono } from "hono";
import { sql } from "drizzle-orm";
import { audit } from "../../audit";
import { hashPassword } from "../../auth/password";
import { signIn } from "../../auth/signIn";
import type { AppDeps, AppEnv } from "../../context";
import type { Db } from "../../db";
import { users } from "../../db/schema";
import { conflict } from "../../errors";
import { SetupRequest, type SetupStatus } from "../../../shared/api/people";
import { toMe } from "../users/presenter";
import { readInput } from "../users/input";

export const SETUP_DONE = "Setup is done: an account already exists. Sign in instead.";

async function anyUser(db: Db): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).limit(1);
  return rows.length > 0;
}

/**
 * First run, mounted at /api/setup (no session needed): GET says whether the first admin account is still to be
 * made; POST makes it and signs them in, only while no user exists. The check and the insert run in one
 * transaction that holds a lock on the users table, so two simultaneous calls cannot both make an admin.
 */
export function setupRoutes(deps: AppDeps) {
  const { db } = deps.database;
  return new Hono<AppEnv>()
    .get("/", async (c) => {
      const body: SetupStatus = { needed: !(await anyUser(db)) };
      return c.json(body);
    })
    .post("/", async (c) => {
      // A cheap refusal before reading the body or hashing: after the first run this route is closed for good.
      if (await anyUser(db)) throw conflict(SETUP_DONE);
      const input = await readInput(c, SetupRequest);
      const passwordHash = await hashPassword(input.password);
      const admin = await db.transaction(async (tx) => {
        // SHARE ROW EXCLUSIVE conflicts with itself and with inserts: the second caller waits, then sees the admin.
        await tx.execute(sql`lock table ${users} in share row exclusive mode`);
        if ((await tx.select({ id: users.id }).from(users).limit(1)).length > 0) throw conflict(SETUP_DONE);
        const [row] = await tx
          .insert(users)
          .values({ email: input.email, displayName: input.displayName, role: "admin", passwordHash })
          .returning({ id: users.id, email: users.email, displayName: users.displayName, role: users.role });
        if (!row) throw conflict(SETUP_DONE);
        await audit(tx, { actorId: row.id, action: "setup.first_admin", entityType: "user", entityId: row.id, data: { email: row.email } });
        return row;
      });
      await signIn(c, db, admin.id);
      return c.json(toMe(admin), 201);
    });
}
