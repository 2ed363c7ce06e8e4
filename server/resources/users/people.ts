import { randomBytes } from "node:crypto";
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { audit } from "../../audit";
import { hashPassword } from "../../auth/password";
import { hashToken } from "../../auth/sessions";
import { endAllSessions } from "../../auth/signIn";
import type { SessionUser } from "../../auth/sessionUser";
import type { RoomRegistry } from "../../collab/rooms";
import type { Db } from "../../db";
import { accountTokens, users, type AccountTokenKind } from "../../db/schema";
import { conflict, invalid, notFound } from "../../errors";
import { accountColumns as columns, insertAccount, nameFromEmail } from "../../auth/accounts";
import { CLOSE } from "../../../shared/collab/closeCodes";
import type { Role } from "../../../shared/domain";
import { invitePagePath, type InviteInfo, type OneTimeLink } from "../../../shared/api/people";
import type { AdminUserRow } from "./adminPresenter";

/**
 * The people admin's services: accounts made by an admin (with a password or an invitation link), role changes,
 * deactivation (which also ends the person's sessions and live room connections) and password resets. Every change
 * is audited with the admin as actor.
 */

export const DUPLICATE_EMAIL = "Someone already uses this email.";
export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
export const RESET_TTL_MS = 24 * 3600 * 1000;
const LINK_GONE = "This link is not valid any more: it was used, it expired, or it never existed. Ask an admin for a new one.";

export function listPeople(db: Db): Promise<AdminUserRow[]> {
  return db.select(columns).from(users).orderBy(asc(users.displayName), asc(users.email));
}

async function findPerson(db: Db, id: string): Promise<AdminUserRow> {
  const [row] = await db.select(columns).from(users).where(eq(users.id, id)).limit(1);
  if (!row) throw notFound("No such person.");
  return row;
}

/** A person as a session knows them (what a sign-in answers with). */
export async function findSessionUser(db: Db, id: string): Promise<SessionUser> {
  const [row] = await db.select({ id: users.id, email: users.email, displayName: users.displayName, role: users.role }).from(users).where(eq(users.id, id)).limit(1);
  if (!row) throw notFound("No such person.");
  return row;
}

/** An account that can sign in at once. */
export async function createPerson(
  db: Db,
  actorId: string | null,
  input: { email: string; displayName?: string; role: Role; password: string },
  action = "user.create",
): Promise<AdminUserRow> {
  const displayName = input.displayName ?? nameFromEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  const row = await insertAccount(db, { email: input.email, displayName, role: input.role, passwordHash }, { actorId, action });
  if (!row) throw conflict(DUPLICATE_EMAIL);
  return row;
}

async function issueLink(
  db: Db,
  kind: AccountTokenKind,
  values: { email: string; role?: Role; userId?: string; createdBy: string },
  ttlMs: number,
): Promise<OneTimeLink> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + ttlMs);
  await db.insert(accountTokens).values({ tokenHash: hashToken(token), kind, expiresAt, ...values });
  return { path: invitePagePath(token), expiresAt: expiresAt.toISOString() };
}

/** An invitation: the person sets their own name and password through the link. */
export async function invitePerson(db: Db, actorId: string, input: { email: string; role: Role }): Promise<OneTimeLink> {
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
  if (existing) throw conflict(DUPLICATE_EMAIL);
  const link = await issueLink(db, "invite", { email: input.email, role: input.role, createdBy: actorId }, INVITE_TTL_MS);
  await audit(db, { actorId, action: "user.invite", entityType: "invite", entityId: input.email, data: { role: input.role, expiresAt: link.expiresAt } });
  return link;
}

/**
 * Changes a person's role and/or whether they may sign in. An admin cannot change their own role or deactivate
 * themselves (so the last admin cannot lock everyone out by a slip). Live connections follow at once: a role change
 * makes them rejoin with the new rights, a deactivation closes them for good.
 */
export async function updatePerson(
  db: Db,
  rooms: RoomRegistry,
  actorId: string,
  id: string,
  change: { role?: Role; active?: boolean },
): Promise<AdminUserRow> {
  const before = await findPerson(db, id);
  if (id === actorId) throw invalid("You cannot change your own role or deactivate yourself; ask another admin.");
  const set: Partial<typeof users.$inferInsert> = {};
  if (change.role !== undefined && change.role !== before.role) set.role = change.role;
  if (change.active !== undefined && change.active !== before.active) {
    set.active = change.active;
    set.deactivatedAt = change.active ? null : new Date();
  }
  if (Object.keys(set).length === 0) return before;
  const [after] = await db.update(users).set(set).where(eq(users.id, id)).returning(columns);
  if (!after) throw notFound("No such person.");
  if (set.role !== undefined) {
    await audit(db, { actorId, action: "user.role", entityType: "user", entityId: id, data: { from: before.role, to: after.role } });
  }
  if (set.active === false) {
    const sessions = await endAllSessions(db, id);
    const connections = rooms.disconnectUser(id, CLOSE.ACCESS_REVOKED);
    await audit(db, { actorId, action: "user.deactivate", entityType: "user", entityId: id, data: { sessions, connections } });
  } else if (set.active === true) {
    await audit(db, { actorId, action: "user.reactivate", entityType: "user", entityId: id });
  }
  if (set.role !== undefined && after.active) rooms.disconnectUser(id, CLOSE.PERMISSIONS_CHANGED);
  return after;
}

/** Sets a new password (ending the person's sessions), or issues a one-time reset link when none is given. */
export async function resetPassword(db: Db, actorId: string, id: string, password: string | undefined): Promise<OneTimeLink | null> {
  const person = await findPerson(db, id);
  if (password !== undefined) {
    await db.update(users).set({ passwordHash: await hashPassword(password) }).where(eq(users.id, id));
    const sessions = await endAllSessions(db, id);
    await audit(db, { actorId, action: "user.password_set", entityType: "user", entityId: id, data: { sessions } });
    return null;
  }
  const link = await issueLink(db, "reset", { email: person.email, userId: id, createdBy: actorId }, RESET_TTL_MS);
  await audit(db, { actorId, action: "user.password_reset_link", entityType: "user", entityId: id, data: { expiresAt: link.expiresAt } });
  return link;
}

const liveToken = (token: string) =>
  and(eq(accountTokens.tokenHash, hashToken(token)), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, new Date()));

/** What a link is for, or 404 when it cannot be used. */
export async function linkInfo(db: Db, token: string): Promise<InviteInfo> {
  const [row] = await db
    .select({ kind: accountTokens.kind, email: accountTokens.email, displayName: users.displayName })
    .from(accountTokens)
    .leftJoin(users, eq(users.id, accountTokens.userId))
    .where(liveToken(token))
    .limit(1);
  if (!row) throw notFound(LINK_GONE);
  return { kind: row.kind, email: row.email, displayName: row.displayName ?? null };
}

/**
 * Uses a link once: an invitation creates the account, a reset link sets the password (and ends older sessions).
 * The token is marked used in the same transaction, so a link opened twice at once works only once.
 */
export async function useLink(db: Db, token: string, input: { displayName?: string; password: string }): Promise<string> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [link] = await tx.update(accountTokens).set({ usedAt: new Date() }).where(liveToken(token)).returning();
    if (!link) throw notFound(LINK_GONE);
    if (link.kind === "reset") {
      if (!link.userId) throw notFound(LINK_GONE);
      const [user] = await tx.update(users).set({ passwordHash }).where(and(eq(users.id, link.userId), eq(users.active, true))).returning({ id: users.id });
      if (!user) throw notFound("This account is deactivated. Ask an admin to reactivate it.");
      await endAllSessions(tx, user.id);
      await audit(tx, { actorId: user.id, action: "user.password_reset_used", entityType: "user", entityId: user.id });
      return user.id;
    }
    if (!link.role) throw notFound(LINK_GONE);
    const displayName = input.displayName ?? nameFromEmail(link.email);
    const user = await insertAccount(tx, { email: link.email, role: link.role, displayName, passwordHash }, { actorId: "self", action: "user.invite_accepted" });
    if (!user) throw conflict(DUPLICATE_EMAIL);
    await tx.update(accountTokens).set({ userId: user.id }).where(eq(accountTokens.tokenHash, link.tokenHash));
    return user.id;
  });
}
