import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { sessions, users } from "../db/schema/index";
import { describeEachDb } from "../testing/db";
import { createTestUser, type TestUser } from "../testing/seed";
import { batchedUserFromCookieHeader } from "./sessionBatch";
import { hashToken, readCookie, SESSION_COOKIE, userFromCookieHeader } from "./sessions";

/** The batched session lookup of the collaboration upgrade answers as userFromCookieHeader does, at every moment. */
describeEachDb("batchedUserFromCookieHeader", (db) => {
  let active: TestUser;
  let other: TestUser;
  let inactive: TestUser;
  let expired: TestUser;

  beforeAll(async () => {
    const d = db().db;
    active = await createTestUser(d, "annotator");
    other = await createTestUser(d, "reviewer");
    inactive = await createTestUser(d, "annotator", { active: false });
    expired = await createTestUser(d, "lead");
    const token = readCookie(expired.cookie, SESSION_COOKIE)!;
    await d.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.tokenHash, hashToken(token)));
  });

  it("answers a turn's lookups as the unbatched lookup does", async () => {
    const headers = [
      active.cookie,
      other.cookie,
      active.cookie,
      inactive.cookie,
      expired.cookie,
      `${SESSION_COOKIE}=unknown-token`,
      `${SESSION_COOKIE}=${"x".repeat(500)}`,
      undefined,
      "other=1",
    ];
    const batched = await Promise.all(headers.map((h) => batchedUserFromCookieHeader(db().db, h)));
    const single = await Promise.all(headers.map((h) => userFromCookieHeader(db().db, h)));
    expect(batched).toEqual(single);
    expect(batched.map((u) => u?.id ?? null)).toEqual([active.id, other.id, active.id, null, null, null, null, null, null]);
  });

  it("sees a revoked session and a deactivated user on the next lookup (nothing is cached)", async () => {
    const d = db().db;
    const user = await createTestUser(d, "annotator");
    expect((await batchedUserFromCookieHeader(d, user.cookie))?.id).toBe(user.id);
    await d.update(users).set({ active: false }).where(eq(users.id, user.id));
    expect(await batchedUserFromCookieHeader(d, user.cookie)).toBeNull();
    await d.update(users).set({ active: true }).where(eq(users.id, user.id));
    expect((await batchedUserFromCookieHeader(d, user.cookie))?.id).toBe(user.id);
    await d.delete(sessions).where(eq(sessions.userId, user.id));
    expect(await batchedUserFromCookieHeader(d, user.cookie)).toBeNull();
  });
});
