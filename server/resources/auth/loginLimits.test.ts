import { and, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { createApp } from "../../app";
import { LOGIN_LIMITS } from "../../auth/loginLimits";
import type { Db } from "../../db/index";
import { auditLog } from "../../db/schema/index";
import { describeEachDb } from "../../testing/db";
import { createTestUser } from "../../testing/seed";
import { testConfig } from "../../testing/testConfig";

type App = ReturnType<typeof createApp>;

/** POST /api/auth/login as if from `peer` (the socket's address), with extra headers. */
async function login(app: App, email: string, password: string, peer: string, headers: Record<string, string> = {}): Promise<Response> {
  return app.request(
    "/api/auth/login",
    { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ email, password }) },
    { incoming: { socket: { remoteAddress: peer } } },
  );
}

/** How many passwords were verified and found wrong for this account: each leaves one auth.login_failed row. */
async function verifiedFailures(db: Db, userId: string): Promise<number> {
  const rows = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(eq(auditLog.action, "auth.login_failed"), eq(auditLog.entityId, userId)));
  return rows.length;
}

type Outcome = { status: number; retryAfter: number | null; message: string | undefined };
async function outcome(res: Response): Promise<Outcome> {
  const body = (await res.json()) as { error?: { message: string } };
  const ra = res.headers.get("retry-after");
  return { status: res.status, retryAfter: ra === null ? null : Number(ra), message: body.error?.message };
}

/**
 * The right password from `peer`, honouring Retry-After as a client would; never more than the cap of the account
 * delay per wait. Returns the statuses seen.
 */
async function loginHonouringRetryAfter(app: App, email: string, password: string, peer: string): Promise<number[]> {
  const seen: number[] = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    const res = await outcome(await login(app, email, password, peer));
    seen.push(res.status);
    if (res.status !== 429) return seen;
    expect(res.retryAfter).toBeGreaterThan(0);
    expect(res.retryAfter).toBeLessThanOrEqual(LOGIN_LIMITS.account.delayMaxSec);
    await new Promise((r) => setTimeout(r, (res.retryAfter ?? 1) * 1000));
  }
  return seen;
}

describeEachDb("login limits", (db) => {
  const app = () => createApp({ config: testConfig(), database: db() });

  it("a burst of 120 wrong guesses sent at once: at most the limit reach the password check, the rest get 429 with Retry-After; the owner elsewhere still signs in", async () => {
    const a = app();
    const victim = await createTestUser(db().db, "admin");
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) => login(a, victim.email, `guess ${i}`, "203.0.113.7").then(outcome)),
    );
    const unauthorized = results.filter((r) => r.status === 401).length;
    const limited = results.filter((r) => r.status === 429);
    expect(results.every((r) => r.status === 401 || r.status === 429)).toBe(true);
    expect(unauthorized).toBeLessThanOrEqual(LOGIN_LIMITS.accountAddress.failures);
    expect(limited.length).toBeGreaterThanOrEqual(120 - LOGIN_LIMITS.accountAddress.failures);
    for (const r of limited) {
      expect(r.retryAfter).toBeGreaterThan(0);
      expect(r.message).toMatch(/^Too many failed sign-in attempts\. Try again in \d+ (seconds?|minutes)\.$/);
    }
    expect(await verifiedFailures(db().db, victim.id)).toBeLessThanOrEqual(LOGIN_LIMITS.accountAddress.failures);

    // The attacker's address stays locked out of this account, even with the right password…
    expect((await login(a, victim.email, victim.password, "203.0.113.7")).status).toBe(429);
    // …while the owner, from another address, gets in (after at most the bounded account delay).
    const seen = await loginHonouringRetryAfter(a, victim.email, victim.password, "198.51.100.20");
    expect(seen.at(-1)).toBe(200);
  }, 60_000);

  it("guesses from many addresses at once are slowed per account; the owner waits at most the bounded delay", async () => {
    const a = app();
    const victim = await createTestUser(db().db, "lead");
    const free = LOGIN_LIMITS.account.freeFailures;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login(a, victim.email, `guess ${i}`, `192.0.2.${i + 1}`).then(outcome)),
    );
    const verified = await verifiedFailures(db().db, victim.id);
    // The free allowance, then one attempt per delay slot (exact counts: server/auth/loginLimits.test.ts).
    expect(verified).toBeGreaterThanOrEqual(free);
    expect(verified).toBeLessThan(40);
    expect(results.filter((r) => r.status === 401).length).toBe(verified);
    expect(results.filter((r) => r.status === 429).length).toBe(40 - verified);
    const seen = await loginHonouringRetryAfter(a, victim.email, victim.password, "198.51.100.30");
    expect(seen.at(-1)).toBe(200);
  }, 120_000);

  it("a success forgets the address's consecutive failures on that account", async () => {
    const a = app();
    const user = await createTestUser(db().db, "reviewer");
    const below = LOGIN_LIMITS.accountAddress.failures - 1;
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < below; i++) expect((await login(a, user.email, `wrong ${i}`, "198.51.100.40")).status).toBe(401);
      expect((await login(a, user.email, user.password, "198.51.100.40")).status).toBe(200);
    }
  });

  it("the limits are shared: a second app (another process) on the same database sees the same counters", async () => {
    const user = await createTestUser(db().db, "annotator");
    const first = app();
    const second = app();
    const n = LOGIN_LIMITS.accountAddress.failures;
    await Promise.all(Array.from({ length: n }, (_, i) => login(first, user.email, `wrong ${i}`, "198.51.100.50")));
    expect((await login(second, user.email, "wrong again", "198.51.100.50")).status).toBe(429);
  });

  it("X-Forwarded-For is ignored from an untrusted peer (a client cannot pick its own address) and used behind a configured proxy", async () => {
    const user = await createTestUser(db().db, "annotator");
    const direct = app();
    const n = LOGIN_LIMITS.accountAddress.failures;
    // Rotating X-Forwarded-For from one untrusted socket: still one address.
    const spoofed = await Promise.all(
      Array.from({ length: n + 10 }, (_, i) =>
        login(direct, user.email, `wrong ${i}`, "203.0.113.50", { "x-forwarded-for": `100.64.0.${i}` }).then((r) => r.status),
      ),
    );
    expect(spoofed.filter((s) => s === 401).length).toBeLessThanOrEqual(n);

    // Behind a trusted proxy, each forwarded client is its own address: a locked-out one does not lock the others.
    const proxied = createApp({ config: testConfig({ trustedProxies: ["10.20.0.1"] }), database: db() });
    const other = await createTestUser(db().db, "annotator");
    for (let i = 0; i < n; i++) {
      expect((await login(proxied, other.email, `wrong ${i}`, "10.20.0.1", { "x-forwarded-for": "100.64.1.1" })).status).toBe(401);
    }
    expect((await login(proxied, other.email, other.password, "10.20.0.1", { "x-forwarded-for": "100.64.1.1" })).status).toBe(429);
    const fromElsewhere = await loginHonouringRetryAfter(proxied, other.email, other.password, "10.20.0.1");
    // Without X-Forwarded-For the proxy's own address is the client; it has not failed on this account.
    expect(fromElsewhere.at(-1)).toBe(200);
  }, 60_000);
});
