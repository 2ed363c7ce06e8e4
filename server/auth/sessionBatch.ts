import type { SessionUser } from "./sessionUser";
import type { Db } from "../db";
import { batchLookups, perObject } from "../db/batch";
import { hashToken, plausibleToken, readCookie, SESSION_COOKIE, usersForTokenHashes } from "./sessions";

/**
 * Session lookups for the collaboration upgrade: concurrent upgrades (a connection storm) share statements
 * (server/db/batch.ts). Nothing is cached: each lookup reads the sessions table after it was asked.
 */
const lookupFor = perObject((db: Db) => batchLookups((hashes: readonly string[]) => usersForTokenHashes(db, hashes)));

/** userFromCookieHeader (auth/sessions.ts), batched: the same answer for the same cookie and table. */
export async function batchedUserFromCookieHeader(db: Db, cookieHeader: string | undefined): Promise<SessionUser | null> {
  const token = readCookie(cookieHeader, SESSION_COOKIE);
  if (!plausibleToken(token)) return null;
  return (await lookupFor(db)(hashToken(token))) ?? null;
}
