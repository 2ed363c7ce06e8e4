import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { verifyPassword } from "../../auth/password";
import { tasks, users, videos } from "../../db/schema";
import { describeEachDb } from "../../testing/db";
import { testEnv } from "../../testing/cliEnv";
import { runImport } from "./import";
import { runUsers } from "./users";

describeEachDb("CLI users / import", (db) => {
  it("users add generates and prints a password when not on a terminal; list shows the user", async () => {
    const { env, out } = testEnv(db());
    expect(await runUsers(["add", "--email", "new.person@example.com", "--role", "reviewer"], env)).toBe(0);
    expect(out[0]).toBe('Created new.person@example.com (reviewer, "new person").');
    const password = /Generated password \(shown once\): (\S+)/.exec(out[1] ?? "")?.[1] ?? "";
    expect(password.length).toBeGreaterThanOrEqual(16);
    const [row] = await db().db.select().from(users).where(eq(users.email, "new.person@example.com"));
    expect(await verifyPassword(password, row?.passwordHash ?? "")).toBe(true);

    const listed = testEnv(db());
    expect(await runUsers(["list"], listed.env)).toBe(0);
    expect(listed.out.join("\n")).toMatch(/new\.person@example\.com\s+reviewer\s+active/);
  });

  it("users add / set-role validate their arguments", async () => {
    const { env, err } = testEnv(db());
    expect(await runUsers(["add", "--email", "a@example.com", "--role", "boss", "--password", "long enough"], env)).toBe(1);
    expect(await runUsers(["add", "--email", "new.person@example.com", "--role", "lead", "--password", "long enough"], env)).toBe(1);
    expect(await runUsers(["frobnicate"], env)).toBe(2);
    expect(await runUsers(["add", "--bogus"], env)).toBe(2);
    expect(err.join("\n")).toMatch(/--role must be one of/);
    expect(err.join("\n")).toMatch(/already exists/);
    expect(await runUsers(["set-role", "--email", "new.person@example.com", "--role", "lead"], env)).toBe(0);
    const [row] = await db().db.select().from(users).where(eq(users.email, "new.person@example.com"));
    expect(row?.role).toBe("lead");
  });

  it("import registers a clip, skips its duplicate and creates tasks per aspect", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-cli-import-"));
    const clip = path.join(dir, "a_clip.webm");
    fs.writeFileSync(clip, "clip bytes for the CLI test");
    const { env, out } = testEnv(db());
    const args = [clip, "--project", "CLI", "--aspects", "all", "--annotator", "new.person@example.com"];
    expect(await runImport(args, env, async () => "1.0.0+cccccccccccc")).toBe(0);
    expect(out.at(-1)).toMatch(/1 imported, 0 already known, 0 failed, 5 tasks created/);
    expect(await runImport(args, env, async () => "1.0.0+cccccccccccc")).toBe(0);
    expect(out.at(-1)).toMatch(/0 imported, 1 already known, 0 failed, 0 tasks created/);
    const [video] = await db().db.select().from(videos).where(eq(videos.title, "a clip"));
    expect(video).toBeDefined();
    expect(await db().db.select().from(tasks).where(eq(tasks.videoId, video?.id ?? ""))).toHaveLength(5);
  });

  it("import rejects bad usage with exit code 2", async () => {
    const { env, err } = testEnv(db());
    expect(await runImport([], env)).toBe(2);
    expect(await runImport(["x", "y"], env)).toBe(2);
    expect(await runImport(["x", "--aspects", "colour"], env)).toBe(2);
    expect(err.join("\n")).toMatch(/Unknown aspect "colour"/);
  });
});
