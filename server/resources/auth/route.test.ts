import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { createApp } from "../../app";
import { SESSION_COOKIE, hashToken } from "../../auth/sessions";
import { createTestUser, type TestUser } from "../../testing/seed";
import { auditLog, sessions } from "../../db/schema/index";
import { describeEachDb } from "../../testing/db";
import { testConfig } from "../../testing/testConfig";

function login(app: ReturnType<typeof createApp>, body: unknown, headers: Record<string, string> = {}) {
  return app.request("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

function sessionCookie(res: Response): string {
  const set = res.headers.get("set-cookie") ?? "";
  const m = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(set);
  if (!m?.[1]) throw new Error(`no session cookie in: ${set}`);
  return `${SESSION_COOKIE}=${m[1]}`;
}

describeEachDb("auth API", (db) => {
  let annotator: TestUser;
  let lead: TestUser;
  let inactive: TestUser;
  const app = () => createApp({ config: testConfig(), database: db() });

  beforeAll(async () => {
    annotator = await createTestUser(db().db, "annotator", { email: "ann@test.local", name: "Ann" });
    lead = await createTestUser(db().db, "lead");
    inactive = await createTestUser(db().db, "annotator", { active: false });
  });

  it("logs in with the right password: 200, httpOnly SameSite=Lax cookie, the user as body, audited", async () => {
    const res = await login(app(), { email: "ANN@test.local", password: annotator.password });
    expect(res.status).toBe(200);
    // The body is GET /api/me's: the person and the pages and powers the server grants them (me/policy.ts).
    expect(await res.json()).toEqual({
      id: annotator.id,
      email: "ann@test.local",
      displayName: "Ann",
      role: "annotator",
      abilities: { pages: ["queue", "spec"], actions: [], queues: ["mine"] },
    });
    const set = res.headers.get("set-cookie") ?? "";
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
    expect(set).not.toMatch(/Secure/i);
    const token = sessionCookie(res).split("=")[1] ?? "";
    // Only the hash of the token is stored.
    const rows = await db().db.select().from(sessions).where(eq(sessions.tokenHash, hashToken(token)));
    expect(rows).toHaveLength(1);
    const audits = await db().db.select().from(auditLog).where(eq(auditLog.action, "auth.login"));
    expect(audits.some((a) => a.actorId === annotator.id)).toBe(true);
  });

  it("marks the cookie Secure when the request came over https", async () => {
    const res = await app().request("https://studio.example/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: annotator.email, password: annotator.password }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toMatch(/Secure/i);
  });

  it("answers a bad password and an unknown email with the same 401", async () => {
    const a = app();
    const bad = await login(a, { email: annotator.email, password: "wrong password" });
    const unknown = await login(a, { email: "nobody@test.local", password: "whatever" });
    const inactiveRes = await login(a, { email: inactive.email, password: inactive.password });
    expect([bad.status, unknown.status, inactiveRes.status]).toEqual([401, 401, 401]);
    const [b1, b2] = (await Promise.all([bad.json(), unknown.json()])) as { error: { message: string } }[];
    expect(b1?.error.message).toBe(b2?.error.message);
    expect(bad.headers.get("set-cookie")).toBeNull();
  });

  it("rejects malformed bodies with 400", async () => {
    const a = app();
    expect((await login(a, { email: "x" })).status).toBe(400);
    const notJson = await a.request("/api/auth/login", { method: "POST", body: "{nope" });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { code: "bad_request" } });
  });

  it("401 on /api/me without a cookie or with a forged one; the user with a valid one", async () => {
    const a = app();
    expect((await a.request("/api/me")).status).toBe(401);
    expect((await a.request("/api/me", { headers: { cookie: `${SESSION_COOKIE}=forged` } })).status).toBe(401);
    const me = await a.request("/api/me", { headers: { cookie: annotator.cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: annotator.id, role: "annotator" });
    const body = (await (await a.request("/api/me")).json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("unauthorized");
  });

  it("403 for the wrong role, 200 for the right one", async () => {
    const a = app();
    const denied = await a.request("/api/users", { headers: { cookie: annotator.cookie } });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ error: { code: "forbidden" } });
    const allowed = await a.request("/api/users", { headers: { cookie: lead.cookie } });
    expect(allowed.status).toBe(200);
    const list = (await allowed.json()) as { id: string; name: string; role: string }[];
    expect(list.find((u) => u.id === annotator.id)).toEqual({ id: annotator.id, name: "Ann", role: "annotator" });
    expect(list.some((u) => u.id === inactive.id)).toBe(false);
  });

  it("refuses a NUL or other control character in the email with 400 in words, not 500", async () => {
    const a = app();
    for (const email of ["ann\u0000@test.local", "ann@test.local\u0000", "ann\u0007@test.local"]) {
      const res = await login(a, { email, password: "whatever" });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("bad_request");
      expect(body.error.message).toMatch(/control characters/);
    }
  });

  it("refuses control characters in people's names and audit filters with 400 in words (they would reach PostgreSQL)", async () => {
    const a = app();
    const admin = await createTestUser(db().db, "admin");
    const create = await a.request("/api/admin/users", {
      method: "POST",
      headers: { "content-type": "application/json", cookie: admin.cookie },
      body: JSON.stringify({ email: "nul@test.local", displayName: "Nul\u0000Name", role: "annotator", password: "long enough password" }),
    });
    expect(create.status).toBe(400);
    expect(((await create.json()) as { error: { message: string } }).error.message).toMatch(/control characters/);
    const audit = await a.request(`/api/audit?action=${encodeURIComponent("auth\u0000")}`, { headers: { cookie: admin.cookie } });
    expect(audit.status).toBe(400);
    expect(((await audit.json()) as { error: { message: string } }).error.message).toMatch(/control characters/);
  });

  it("ignores X-Forwarded-Proto from a peer that is not a configured proxy, honours it from one that is", async () => {
    const post = (a: ReturnType<typeof createApp>, peer: string) =>
      a.request(
        "/api/auth/login",
        {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-proto": "https" },
          body: JSON.stringify({ email: annotator.email, password: annotator.password }),
        },
        { incoming: { socket: { remoteAddress: peer } } },
      );
    const untrusted = await post(app(), "10.7.0.1");
    expect(untrusted.status).toBe(200);
    expect(untrusted.headers.get("set-cookie")).not.toMatch(/Secure/i);
    const behindProxy = createApp({ config: testConfig({ trustedProxies: ["10.7.0.0/24"] }), database: db() });
    const trusted = await post(behindProxy, "::ffff:10.7.0.2");
    expect(trusted.status).toBe(200);
    expect(trusted.headers.get("set-cookie")).toMatch(/Secure/i);
  });

  it("refuses state-changing requests from another origin or a cross-site fetch with 403", async () => {
    const a = app();
    const evil = await login(a, { email: annotator.email, password: annotator.password }, { origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({ error: { code: "forbidden" } });
    const crossSite = await login(a, { email: annotator.email, password: annotator.password }, { "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    const same = await login(a, { email: annotator.email, password: annotator.password }, { origin: "http://localhost", host: "localhost" });
    expect(same.status).toBe(200);
  });

  it("allows a configured origin", async () => {
    const a = createApp({ config: testConfig({ allowedOrigins: ["https://ui.example"] }), database: db() });
    const res = await login(a, { email: annotator.email, password: annotator.password }, { origin: "https://ui.example", "sec-fetch-site": "cross-site" });
    expect(res.status).toBe(200);
  });

  it("logout ends the session: the same cookie is then refused", async () => {
    const a = app();
    const cookie = sessionCookie(await login(a, { email: annotator.email, password: annotator.password }));
    expect((await a.request("/api/me", { headers: { cookie } })).status).toBe(200);
    const out = await a.request("/api/auth/logout", { method: "POST", headers: { cookie } });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(new RegExp(`${SESSION_COOKIE}=;`));
    expect((await a.request("/api/me", { headers: { cookie } })).status).toBe(401);
    const audits = await db().db.select().from(auditLog).where(eq(auditLog.action, "auth.logout"));
    expect(audits.some((r) => r.actorId === annotator.id)).toBe(true);
  });
});
