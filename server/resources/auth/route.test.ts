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

  it("rate-limits failed logins per email with 429 and Retry-After, even for the right password", async () => {
    const a = app();
    const victim = await createTestUser(db().db, "reviewer");
    // Each guess from a different address, so only the per-email limit can trip.
    const post = (email: string, password: string, ip: string) =>
      a.request(
        "/api/auth/login",
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) },
        { incoming: { socket: { remoteAddress: ip } } },
      );
    for (let i = 0; i < 10; i++) expect((await post(victim.email, `wrong ${i}`, `10.1.0.${i}`)).status).toBe(401);
    const limited = await post(victim.email, victim.password, "10.1.1.1");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: { code: "rate_limited" } });
    // Other people are not locked out by an attack on one email.
    expect((await post(annotator.email, annotator.password, "10.1.1.1")).status).toBe(200);
  });

  it("rate-limits per client address across different emails", async () => {
    const a = app();
    const env = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });
    const post = (email: string, password: string, ip: string) =>
      a.request(
        "/api/auth/login",
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) },
        env(ip),
      );
    for (let i = 0; i < 10; i++) expect((await post(`guess${i}@test.local`, "x", "10.0.0.1")).status).toBe(401);
    expect((await post(annotator.email, annotator.password, "10.0.0.1")).status).toBe(429);
    expect((await post(annotator.email, annotator.password, "10.0.0.2")).status).toBe(200);
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
