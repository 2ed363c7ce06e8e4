import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { audit } from "../audit";
import type { Db } from "../db";
import { users } from "../db/schema";
import { Role } from "../../shared/domain";
import { DisplayName, Email, Password } from "../../shared/api/people";
import { hashPassword } from "./password";

/** An account as the CLI adds it: the email, name and password rules of the people admin (shared/api/people.ts). */
export const NewAccount = z.object({ email: Email, role: Role, displayName: DisplayName, password: Password });
export type NewAccount = z.input<typeof NewAccount>;

export type AccountRow = {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  active: boolean;
  createdAt: Date;
  lastSeenAt: Date | null;
  deactivatedAt: Date | null;
};

export const accountColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  role: users.role,
  active: users.active,
  createdAt: users.createdAt,
  lastSeenAt: users.lastSeenAt,
  deactivatedAt: users.deactivatedAt,
};

export class AccountError extends Error {}

/** A display name from an email when none is given: "jane.doe@x" → "jane doe". */
export function nameFromEmail(email: string): string {
  return (email.split("@")[0] ?? email).replace(/[._-]+/g, " ").trim() || email;
}

/**
 * The one place an account row is made (CLI, people admin, accepted invitation): inserts it and audits it as `action`
 * by `actorId` ("self" for the new account itself). Null when someone already uses the email.
 */
export async function insertAccount(
  db: Db,
  values: { email: string; role: Role; displayName: string; passwordHash: string },
  audited: { actorId: string | null | "self"; action: string },
): Promise<AccountRow | null> {
  const [row] = await db.insert(users).values(values).onConflictDoNothing({ target: users.email }).returning(accountColumns);
  if (!row) return null;
  const actorId = audited.actorId === "self" ? row.id : audited.actorId;
  await audit(db, { actorId, action: audited.action, entityType: "user", entityId: row.id, data: { email: row.email, role: row.role } });
  return row;
}

export async function addAccount(db: Db, input: NewAccount, actorId: string | null = null): Promise<AccountRow> {
  const parsed = NewAccount.safeParse(input);
  if (!parsed.success) throw new AccountError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const a = parsed.data;
  const passwordHash = await hashPassword(a.password);
  const row = await insertAccount(db, { email: a.email, role: a.role, displayName: a.displayName, passwordHash }, { actorId, action: "user.create" });
  if (!row) throw new AccountError(`A user with email ${a.email} already exists.`);
  return row;
}

export function listAccounts(db: Db): Promise<AccountRow[]> {
  return db.select(accountColumns).from(users).orderBy(asc(users.email));
}

export async function setAccountRole(db: Db, email: string, role: Role, actorId: string | null = null): Promise<AccountRow> {
  const [before] = await db.select(accountColumns).from(users).where(eq(users.email, email.trim().toLowerCase())).limit(1);
  if (!before) throw new AccountError(`No user with email ${email}.`);
  const [row] = await db.update(users).set({ role }).where(eq(users.id, before.id)).returning(accountColumns);
  if (!row) throw new AccountError(`No user with email ${email}.`);
  await audit(db, { actorId, action: "user.role", entityType: "user", entityId: row.id, data: { from: before.role, to: role } });
  return row;
}
