import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it, vi } from "vitest";
import { createApp, createServices } from "../../app";
import { accountTokens, auditLog, sessions } from "../../db/schema/index";
import { describeEachDb } from "../../testing/db";
import { createTestUser, type TestUser } from "../../testing/seed";
import { testConfig } from "../../testing/testConfig";
import { CLOSE } from "../../../shared/collab/closeCodes";
import type { AdminUser, AdminUserList, CreateUserResponse, ResetPasswordResponse } from "../../../shared/api/people";

type Err = { error: { code: string; message: string } };

describeEachDb("people admin API", (db) => {
  let admin: TestUser;
  let lead: TestUser;
  const services = () => createServices({ config: testConfig(), database: db() });
  const call = (app: ReturnType<typeof createApp>, method: string, path: string, cookie: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const login = (app: ReturnType<typeof createApp>, email: string, password: string) =>
    call(app, "POST", "/api/auth/login", "", { email, password });

  beforeAll(async () => {
    admin = await createTestUser(db().db, "admin");
    lead = await createTestUser(db().db, "lead");
  });

  it("is for admins only: 401 signed out, 403 for a lead; the admin's abilities list the pages", async () => {
    const app = createApp(services());
    expect((await app.request("/api/admin/users")).status).toBe(401);
    expect((await call(app, "GET", "/api/admin/users", lead.cookie)).status).toBe(403);
    expect((await call(app, "GET", "/api/audit", lead.cookie)).status).toBe(403);
    const me = (await (await call(app, "GET", "/api/me", admin.cookie)).json()) as { abilities: { pages: string[] } };
    expect(me.abilities.pages).toEqual(expect.arrayContaining(["users", "audit"]));
    const leadMe = (await (await call(app, "GET", "/api/me", lead.cookie)).json()) as { abilities: { pages: string[] } };
    expect(leadMe.abilities.pages).not.toContain("users");
  });

  it("creates a person with a password, who can sign in; bad input and duplicates are explained in words", async () => {
    const app = createApp(services());
    const res = await call(app, "POST", "/api/admin/users", admin.cookie, { email: "Ann.Lee@test.local", displayName: "Ann Lee", role: "annotator", password: "annotator pw" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as CreateUserResponse;
    expect(body.user).toMatchObject({ email: "ann.lee@test.local", displayName: "Ann Lee", role: "annotator", active: true });
    expect((await login(app, "ann.lee@test.local", "annotator pw")).status).toBe(200);

    const dup = await call(app, "POST", "/api/admin/users", admin.cookie, { email: "ann.lee@test.local", role: "reviewer", password: "whatever pw" });
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as Err).error.message).toBe("Someone already uses this email.");
    const badRole = await call(app, "POST", "/api/admin/users", admin.cookie, { email: "x@test.local", role: "boss", password: "whatever pw" });
    expect(((await badRole.json()) as Err).error.message).toMatch(/Choose a role: annotator/);
    const short = await call(app, "POST", "/api/admin/users", admin.cookie, { email: "x@test.local", role: "reviewer", password: "short" });
    expect(((await short.json()) as Err).error.message).toBe("Passwords need at least 8 characters.");

    const list = (await (await call(app, "GET", "/api/admin/users", admin.cookie)).json()) as AdminUserList;
    const ann = list.users.find((u) => u.email === "ann.lee@test.local");
    expect(ann?.lastSeenAt).not.toBeNull();
    const audits = await db().db.select().from(auditLog).where(and(eq(auditLog.action, "user.create"), eq(auditLog.actorId, admin.id)));
    expect(audits.length).toBeGreaterThan(0);
  });

  it("invites with a one-time link stored hashed: the invitee sets name and password, is signed in, the link dies", async () => {
    const app = createApp(services());
    const res = await call(app, "POST", "/api/admin/users", admin.cookie, { email: "rev@test.local", role: "reviewer" });
    const { invite } = (await res.json()) as CreateUserResponse;
    expect(invite?.path).toMatch(/^\/invite\/[A-Za-z0-9_-]{43}$/);
    const token = invite?.path.split("/").at(-1) ?? "";
    const stored = await db().db.select().from(accountTokens).where(eq(accountTokens.email, "rev@test.local"));
    expect(stored[0]?.tokenHash).not.toBe(token);

    expect(await (await app.request(`/api/invites/${token}`)).json()).toEqual({ kind: "invite", email: "rev@test.local", displayName: null });
    const short = await call(app, "POST", `/api/invites/${token}`, "", { displayName: "Rev", password: "short" });
    expect(short.status).toBe(400);
    const accept = await call(app, "POST", `/api/invites/${token}`, "", { displayName: "Rev Iewer", password: "reviewer pw" });
    expect(accept.status).toBe(200);
    expect(await accept.json()).toMatchObject({ email: "rev@test.local", displayName: "Rev Iewer", role: "reviewer" });
    expect(accept.headers.get("set-cookie")).toMatch(/chai_session=/);
    const again = await call(app, "POST", `/api/invites/${token}`, "", { displayName: "Other", password: "another pw" });
    expect(again.status).toBe(404);
    expect((await app.request(`/api/invites/${token}`)).status).toBe(404);
  });

  it("deactivation ends sessions and room connections, login says why; reactivation lets them back", async () => {
    const deps = services();
    const app = createApp(deps);
    const disconnect = vi.spyOn(deps.rooms, "disconnectUser");
    const ann = await createTestUser(db().db, "annotator");
    const off = await call(app, "PATCH", `/api/admin/users/${ann.id}`, admin.cookie, { active: false });
    expect(off.status).toBe(200);
    expect(((await off.json()) as AdminUser).active).toBe(false);
    expect(disconnect).toHaveBeenCalledWith(ann.id, CLOSE.ACCESS_REVOKED);
    expect(await db().db.select().from(sessions).where(eq(sessions.userId, ann.id))).toHaveLength(0);
    expect((await call(app, "GET", "/api/me", ann.cookie)).status).toBe(401);
    const refused = await login(app, ann.email, ann.password);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as Err).error.message).toMatch(/deactivated/);
    // A wrong password on a deactivated account says no more than for anyone else.
    expect(((await (await login(app, ann.email, "wrong pw!")).json()) as Err).error.message).toBe("Email or password is wrong.");

    expect((await call(app, "PATCH", `/api/admin/users/${ann.id}`, admin.cookie, { active: true })).status).toBe(200);
    expect((await login(app, ann.email, ann.password)).status).toBe(200);
    const actions = (await db().db.select().from(auditLog).where(eq(auditLog.entityId, ann.id))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["user.deactivate", "user.reactivate"]));
  });

  it("changes roles (not one's own), and resets passwords by setting one or by a link", async () => {
    const deps = services();
    const app = createApp(deps);
    const person = await createTestUser(db().db, "annotator");
    const role = await call(app, "PATCH", `/api/admin/users/${person.id}`, admin.cookie, { role: "reviewer" });
    expect(((await role.json()) as AdminUser).role).toBe("reviewer");
    const self = await call(app, "PATCH", `/api/admin/users/${admin.id}`, admin.cookie, { active: false });
    expect(self.status).toBe(400);
    expect((await call(app, "PATCH", `/api/admin/users/not-an-id`, admin.cookie, { role: "lead" })).status).toBe(400);
    const nothing = await call(app, "PATCH", `/api/admin/users/${person.id}`, admin.cookie, {});
    expect(((await nothing.json()) as Err).error.message).toMatch(/Say what to change/);

    const set = await call(app, "POST", `/api/admin/users/${person.id}/password`, admin.cookie, { password: "brand new pw" });
    expect(await set.json()).toEqual({ link: null });
    expect((await call(app, "GET", "/api/me", person.cookie)).status).toBe(401);
    expect((await login(app, person.email, "brand new pw")).status).toBe(200);

    const linkRes = await call(app, "POST", `/api/admin/users/${person.id}/password`, admin.cookie, {});
    const { link } = (await linkRes.json()) as ResetPasswordResponse;
    const token = link?.path.split("/").at(-1) ?? "";
    expect(await (await app.request(`/api/invites/${token}`)).json()).toMatchObject({ kind: "reset", email: person.email });
    expect((await call(app, "POST", `/api/invites/${token}`, "", { password: "from the link" })).status).toBe(200);
    expect((await login(app, person.email, "from the link")).status).toBe(200);
    expect((await call(app, "POST", `/api/invites/${token}`, "", { password: "twice is too much" })).status).toBe(404);
  });
});
