import { randomBytes } from "node:crypto";
import type { Db } from "../db";
import { users } from "../db/schema";
import type { Role } from "../../shared/domain";
import { hashPassword } from "./password";
import { SESSION_COOKIE, createSession } from "./sessions";

/** Test support: a user with a known password, and a Cookie header for them (no HTTP round trip needed). */
export type TestUser = { id: string; email: string; password: string; role: Role; displayName: string; cookie: string };

let cachedHash: { password: string; hash: Promise<string> } | undefined;

export async function createTestUser(db: Db, role: Role, opts: { email?: string; name?: string; active?: boolean } = {}): Promise<TestUser> {
  const password = "correct horse battery";
  // One scrypt hash shared by every test user keeps suites fast.
  cachedHash ??= { password, hash: hashPassword(password) };
  const email = opts.email ?? `${role}-${randomBytes(4).toString("hex")}@test.local`;
  const displayName = opts.name ?? `${role} ${email.slice(0, 12)}`;
  const [row] = await db
    .insert(users)
    .values({ email, role, displayName, passwordHash: await cachedHash.hash, active: opts.active ?? true })
    .returning({ id: users.id });
  if (!row) throw new Error("could not create test user");
  const token = await createSession(db, row.id);
  return { id: row.id, email, password, role, displayName, cookie: `${SESSION_COOKIE}=${token}` };
}
