import { beforeAll, expect, it } from "vitest";
import { createApp } from "../../app";
import { audit } from "../../audit";
import { auditLog } from "../../db/schema/index";
import { describeEachDb } from "../../testing/db";
import { createTestUser, type TestUser } from "../../testing/seed";
import { testConfig } from "../../testing/testConfig";
import type { AuditPage } from "../../../shared/api/people";

describeEachDb("audit log API", (db) => {
  let admin: TestUser;
  let lead: TestUser;
  const app = () => createApp({ config: testConfig(), database: db() });
  const get = async (query: string) => {
    const res = await app().request(`/api/audit${query}`, { headers: { cookie: admin.cookie } });
    return { status: res.status, body: (await res.json()) as AuditPage & { error?: { message: string } } };
  };

  beforeAll(async () => {
    admin = await createTestUser(db().db, "admin");
    lead = await createTestUser(db().db, "lead");
    for (let i = 0; i < 5; i++) await audit(db().db, { actorId: lead.id, action: "task.assign", entityType: "task", entityId: `t${i}` });
    await audit(db().db, { actorId: admin.id, action: "user.create", entityType: "user", entityId: lead.id, data: { role: "lead" } });
    await audit(db().db, { actorId: admin.id, action: "user.role", entityType: "user", entityId: lead.id });
    await db().db.insert(auditLog).values({ actorId: null, action: "seed.old", entityType: "project", entityId: "p", at: new Date("2020-03-04T12:00:00Z") });
  });

  it("is for admins only", async () => {
    expect((await app().request("/api/audit", { headers: { cookie: lead.cookie } })).status).toBe(403);
  });

  it("lists newest first with the actor's name, and pages by keyset without overlap", async () => {
    const first = await get("?limit=3");
    expect(first.status).toBe(200);
    expect(first.body.entries.map((e) => e.action)).toEqual(["user.role", "user.create", "task.assign"]);
    expect(first.body.nextBefore).not.toBeNull();
    expect(first.body.entries[0]?.actor).toEqual({ id: admin.id, name: admin.displayName });
    const second = await get(`?limit=3&before=${encodeURIComponent(first.body.nextBefore ?? "")}`);
    const rest = await get(`?limit=50&before=${encodeURIComponent(second.body.nextBefore ?? "")}`);
    const all = [...first.body.entries, ...second.body.entries, ...rest.body.entries];
    // Every row once, newest first; the backdated row comes last.
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(8);
    expect(all.at(-1)?.action).toBe("seed.old");
    expect(rest.body.nextBefore).toBeNull();
  });

  it("filters by person, action (exact or prefix), entity type and date range", async () => {
    expect((await get(`?actorId=${lead.id}`)).body.entries).toHaveLength(5);
    expect((await get("?action=user.")).body.entries.map((e) => e.action)).toEqual(["user.role", "user.create"]);
    expect((await get("?action=user.role")).body.entries).toHaveLength(1);
    expect((await get("?entityType=project")).body.entries.map((e) => e.action)).toEqual(["seed.old"]);
    expect((await get("?from=2020-03-04&to=2020-03-04")).body.entries.map((e) => e.action)).toEqual(["seed.old"]);
    expect((await get("?to=2020-03-03")).body.entries).toHaveLength(0);
  });

  it("explains bad filters in words", async () => {
    const bad = await get("?from=yesterday");
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toBe("From is a date like 2026-01-31.");
    expect((await get("?from=2026-02-01&to=2026-01-01")).body.error?.message).toBe("The start date is after the end date.");
    expect((await get("?actorId=bob")).status).toBe(400);
    expect((await get("?before=1;drop")).body.error?.message).toBe("That page cursor is not one this server gave out.");
  });
});
