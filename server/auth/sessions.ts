import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt, sql, type SQL } from "drizzle-orm";
import type { SessionUser } from "./sessionUser";
import type { Db } from "../db";
import { sessions, users } from "../db/schema";
import { textArray } from "../db/arrayParam";

export const SESSION_COOKIE = "chai_session";
export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;
/** Max length of a token we will bother hashing; real tokens are 43 characters. */
const MAX_TOKEN_LEN = 128;

/** The database keeps only the SHA-256 of a token: a leaked table does not hand out live sessions. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates a session for a user and returns the cookie token (random 32 bytes, base64url). */
export async function createSession(db: Db, userId: string): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const now = Date.now();
  await db.insert(sessions).values({ tokenHash: hashToken(token), userId, expiresAt: new Date(now + SESSION_TTL_MS) });
  // Opportunistic clean-up of this user's expired sessions keeps the table from growing without a cron job.
  await db.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, new Date(now))));
  return token;
}

/** Reads one cookie's value from a Cookie header (RFC 6265 pairs separated by ";"). */
export function readCookie(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const eqAt = part.indexOf("=");
    if (eqAt === -1) continue;
    if (part.slice(0, eqAt).trim() === name) return part.slice(eqAt + 1).trim();
  }
  return undefined;
}

/** A token worth looking up: present and not absurdly long. */
export const plausibleToken = (token: string | undefined): token is string => !!token && token.length <= MAX_TOKEN_LEN;

const sessionUserColumns = { id: users.id, email: users.email, displayName: users.displayName, role: users.role };
/** A session that signs someone in: these token hashes, not expired, its user active. */
const liveSessions = (tokenHashes: SQL) => and(tokenHashes, gt(sessions.expiresAt, new Date()), eq(users.active, true));

/** The signed-in user for a session token, or null when it is unknown, expired or the user is inactive. */
export async function userFromToken(db: Db, token: string | undefined): Promise<SessionUser | null> {
  if (!plausibleToken(token)) return null;
  const rows = await db
    .select(sessionUserColumns)
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(liveSessions(eq(sessions.tokenHash, hashToken(token))))
    .limit(1);
  return rows[0] ?? null;
}

/** userFromToken for many token hashes in one statement (auth/sessionBatch.ts); unknown hashes are absent. */
export async function usersForTokenHashes(db: Db, tokenHashes: readonly string[]): Promise<Map<string, SessionUser>> {
  const rows = await db
    .select({ tokenHash: sessions.tokenHash, ...sessionUserColumns })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(liveSessions(sql`${sessions.tokenHash} = any(${textArray(tokenHashes)})`));
  return new Map(rows.map(({ tokenHash, ...user }) => [tokenHash, user]));
}

/** The signed-in user for a request's Cookie header (HTTP routes and the WebSocket upgrade both use this). */
export function userFromCookieHeader(db: Db, cookieHeader: string | undefined): Promise<SessionUser | null> {
  return userFromToken(db, readCookie(cookieHeader, SESSION_COOKIE));
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}
