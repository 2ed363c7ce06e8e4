import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { users } from "../db/schema";
import { describeEachDb } from "../testing/db";
import { AccountError, addAccount, listAccounts, setAccountRole } from "./accounts";
import { verifyPassword } from "./password";

describeEachDb("accounts (chai users)", (db) => {
  it("adds a user with a hashed password, refuses a duplicate email and a short password", async () => {
    const row = await addAccount(db().db, { email: "Jo@Example.com", role: "reviewer", displayName: "Jo", password: "long enough" });
    expect(row).toMatchObject({ email: "jo@example.com", role: "reviewer", displayName: "Jo", active: true });
    const [stored] = await db().db.select().from(users).where(eq(users.id, row.id));
    expect(stored?.passwordHash).not.toContain("long enough");
    expect(await verifyPassword("long enough", stored?.passwordHash ?? "")).toBe(true);
    await expect(addAccount(db().db, { email: "jo@example.com", role: "lead", displayName: "X", password: "long enough" })).rejects.toThrow(AccountError);
    await expect(addAccount(db().db, { email: "k@example.com", role: "lead", displayName: "K", password: "short" })).rejects.toThrow(/8 characters/);
    await expect(addAccount(db().db, { email: "k@example.com", role: "boss" as "lead", displayName: "K", password: "long enough" })).rejects.toThrow(AccountError);
  });

  it("lists and changes roles", async () => {
    await setAccountRole(db().db, "JO@example.com", "lead");
    const all = await listAccounts(db().db);
    expect(all.find((u) => u.email === "jo@example.com")?.role).toBe("lead");
    await expect(setAccountRole(db().db, "nobody@example.com", "lead")).rejects.toThrow(/No user/);
  });
});
