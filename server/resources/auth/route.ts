import { Hono } from "hono";
import { deleteCookie, getCookie } from "hono/cookie";
import { eq } from "drizzle-orm";
import { audit } from "../../audit";
import { clientAddress, isHttps } from "../../auth/middleware";
import { dummyPasswordHash, verifyPassword } from "../../auth/password";
import { LoginLimits, retryInWords } from "../../auth/loginLimits";
import { SESSION_COOKIE, deleteSession } from "../../auth/sessions";
import { signIn } from "../../auth/signIn";
import type { AppDeps, AppEnv } from "../../context";
import { users } from "../../db/schema/index";
import type { ErrorBody } from "../../http/errors";
import { HttpError } from "../../http/errors";
import { readJson } from "../../http/readJson";
import { toMe } from "../users/presenter";
import { LoginRequest, type LogoutResponse } from "../../../shared/api/auth";

const BAD_CREDENTIALS = "Email or password is wrong.";
const DEACTIVATED = "This account is deactivated. Ask an admin to reactivate it.";

/** POST /api/auth/login and /api/auth/logout. The login limits' counters are in the database, shared by processes. */
export function authRoutes(deps: AppDeps) {
  const { db } = deps.database;
  const limits = new LoginLimits(db);

  return new Hono<AppEnv>()
    .post("/login", async (c) => {
      const { email, password } = await readJson(c, LoginRequest, 8 * 1024);
      const ipKey = clientAddress(c);
      // Reserved before the password is verified, so concurrent guesses cannot all pass a check made before any failed.
      const attempt = await limits.reserve(email, ipKey);
      if (!attempt.allowed) {
        const wait = attempt.retryAfterSec;
        const body: ErrorBody = {
          error: { code: "rate_limited", message: `Too many failed sign-in attempts. Try again in ${retryInWords(wait)}.` },
        };
        return c.json(body, 429, { "Retry-After": String(wait) });
      }

      const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
      // Unknown accounts still pay for a hash, so timing does not reveal which emails exist.
      const ok = await verifyPassword(password, user ? user.passwordHash : await dummyPasswordHash());
      if (!user || !user.active || !ok) {
        await attempt.failed();
        await audit(db, {
          // No actor: whoever typed the password is not known to be the account's owner.
          actorId: null,
          action: "auth.login_failed",
          entityType: "user",
          entityId: user?.id ?? email,
          data: { ip: ipKey },
        });
        // Only someone who knows the password learns that the account is deactivated, and what to do about it.
        if (user && ok && !user.active) throw new HttpError(401, "account_deactivated", DEACTIVATED);
        throw new HttpError(401, "unauthorized", BAD_CREDENTIALS);
      }

      await attempt.succeeded();
      await signIn(c, db, user.id);
      await audit(db, { actorId: user.id, action: "auth.login", entityType: "user", entityId: user.id, data: { ip: ipKey } });
      return c.json(toMe({ id: user.id, email: user.email, displayName: user.displayName, role: user.role }));
    })
    .post("/logout", async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) await deleteSession(db, token);
      const user = c.get("user");
      if (user) await audit(db, { actorId: user.id, action: "auth.logout", entityType: "user", entityId: user.id });
      deleteCookie(c, SESSION_COOKIE, { path: "/", secure: isHttps(c) });
      const body: LogoutResponse = { ok: true };
      return c.json(body);
    });
}
