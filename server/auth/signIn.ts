import type { Context } from "hono";
import { setCookie } from "hono/cookie";
import { eq } from "drizzle-orm";
import type { AppEnv } from "../context";
import type { Db } from "../db";
import { sessions, users } from "../db/schema";
import { isHttps } from "./middleware";
import { SESSION_COOKIE, SESSION_TTL_MS, createSession } from "./sessions";

/**
 * Starts a session for a user and sets its cookie (login, first-run setup and accepted invitations all sign in the
 * same way), and notes when they were last seen for the people page.
 */
export async function signIn(c: Context<AppEnv>, db: Db, userId: string): Promise<void> {
  const token = await createSession(db, userId);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(c),
    path: "/",
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
  await db.update(users).set({ lastSeenAt: new Date() }).where(eq(users.id, userId));
}

/** Ends every session of a user (deactivation, password reset): their cookies stop working at once. */
export async function endAllSessions(db: Db, userId: string): Promise<number> {
  const gone = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ tokenHash: sessions.tokenHash });
  return gone.length;
}
