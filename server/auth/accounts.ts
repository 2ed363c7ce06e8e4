import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { audit } from "../audit";
import type { Db } from "../db";
import { users } from "../db/schema";
import { Role } from "../../shared/domain";
import { hashPassword } from "./password";

export const NewAccount = z.object({
  email: z.email().trim().toLowerCase().max(254),
  role: Role,
  displayName: z.string().trim().min(1).max(100),
  password: z.string().min(8, "Passwords need at least 8 characters.").max(1024),
});
export type NewAccount = z.input<typeof NewAccount>;

export type AccountRow = { id: string; email: string; displayName: string; role: Role; active: boolean; createdAt: Date };

const accountColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  role: users.role,
  active: users.active,
  createdAt: users.createdAt,
};

export class AccountError extends Error {}

/** A display name from an email when none is given: "jane.doe@x" → "jane doe". */
export function nameFromEmail(email: string): string {
  return (email.split("@")[0] ?? email).replace(/[._-]+/g, " ").trim() || email;
}

export async function addAccount(db: Db, input: NewAccount, actorId: string | null = null): Promise<AccountRow> {
  const parsed = NewAccount.safeParse(input);
  if (!parsed.success) throw new AccountError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const a = parsed.data;
  const [row] = await db
    .insert(users)
    .values({ email: a.email, role: a.role, displayName: a.displayName, passwordHash: await hashPassword(a.password) })
    .onConflictDoNothing({ target: users.email })
    .returning(accountColumns);
  if (!row) throw new AccountError(`A user with email ${a.email} already exists.`);
  await audit(db, { actorId, action: "user.create", entityType: "user", entityId: row.id, data: { email: row.email, role: row.role } });
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
