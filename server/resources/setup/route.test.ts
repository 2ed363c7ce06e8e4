import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { createApp } from "../../app";
import { SESSION_COOKIE } from "../../auth/sessions";
import { auditLog, users } from "../../db/schema/index";
import { describeEachDb } from "../../testing/db";
import { testConfig } from "../../testing/testConfig";

const post = (app: ReturnType<typeof createApp>, body: unknown) =>
  app.request("/api/setup", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describeEachDb("first-run setup API", (db) => {
  const app = () => createApp({ config: testConfig(), database: db() });

  it("explains bad input in words and makes nothing", async () => {
    const a = app();
    const short = await post(a, { email: "first@test.local", displayName: "First", password: "short" });
    expect(short.status).toBe(400);
    expect(((await short.json()) as { error: { message: string } }).error.message).toBe("Passwords need at least 8 characters.");
    const email = await post(a, { email: "not an email", displayName: "First", password: "long enough" });
    expect(((await email.json()) as { error: { message: string } }).error.message).toMatch(/email address like/);
    expect(await (await a.request("/api/setup")).json()).toEqual({ needed: true });
  });

  it("makes the first admin once, signs them in, and never again (two at once: one wins)", async () => {
    const a = app();
    expect(await (await a.request("/api/setup")).json()).toEqual({ needed: true });
    const [r1, r2] = await Promise.all([
      post(a, { email: "First@Test.local", displayName: "First Admin", password: "long enough 1" }),
      post(a, { email: "second@test.local", displayName: "Second", password: "long enough 2" }),
    ]);
    const statuses = [r1.status, r2.status].sort();
    expect(statuses).toEqual([201, 409]);
    const won = r1.status === 201 ? r1 : r2;
    const lost = r1.status === 201 ? r2 : r1;
    expect(((await lost.json()) as { error: { message: string } }).error.message).toMatch(/Setup is done/);
    const me = (await won.json()) as { role: string; abilities: { pages: string[] } };
    expect(me.role).toBe("admin");
    expect(me.abilities.pages).toEqual(expect.arrayContaining(["users", "audit"]));
    const cookie = /chai_session=[^;]+/.exec(won.headers.get("set-cookie") ?? "")?.[0];
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect((await a.request("/api/me", { headers: { cookie: cookie ?? "" } })).status).toBe(200);

    const all = await db().db.select().from(users);
    expect(all).toHaveLength(1);
    expect(all[0]?.role).toBe("admin");
    const audits = await db().db.select().from(auditLog).where(eq(auditLog.action, "setup.first_admin"));
    expect(audits).toHaveLength(1);

    expect(await (await a.request("/api/setup")).json()).toEqual({ needed: false });
    const again = await post(a, { email: "third@test.local", displayName: "Third", password: "long enough 3" });
    expect(again.status).toBe(409);
  });
});
