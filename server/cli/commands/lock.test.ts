import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chai, loginStatus, ROOT, startMain, stopMain, type MainChild } from "../../testing/mainProcess";

/**
 * Issue #13, "the CLI never loses a write": with `npm start` running on the embedded database, `users add` and
 * `import` stop with a message naming the server and change nothing; once the server is stopped they work, and what
 * they reported as done is there after the server starts again.
 */
describe("the CLI against a running server on the embedded database", { timeout: 180_000 }, () => {
  let dataDir = "";
  let server: MainChild | undefined;
  const clip = path.join(ROOT, "demo/clips/pan_left.webm");
  const addJo = ["users", "add", "--email", "jo@example.com", "--role", "annotator", "--password", "correct-horse-1"];

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chai13-lock-cli-"));
  });
  afterAll(async () => {
    if (server) await stopMain(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses users add and import while the server holds the folder, with nothing written", async () => {
    server = await startMain(dataDir);
    const pid = server.child.pid!;

    const add = await chai(dataDir, addJo);
    expect(add.code).toBe(1);
    expect(add.stdout).not.toMatch(/Created/);
    expect(add.stderr).toContain(`The CHAI Studio server (pid ${pid}, ${server.url}) is using the embedded database`);
    expect(add.stderr).toMatch(/Stop that server first, or run the server and the CLI on PostgreSQL \(DATABASE_URL\)/);
    expect(add.stderr).toContain("Nothing was changed.");

    const imported = await chai(dataDir, ["import", clip, "--aspects", "camera"]);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toContain(`The CHAI Studio server (pid ${pid}, ${server.url})`);
    // Not even the clip was copied in: the command stopped before touching DATA_DIR.
    expect(fs.existsSync(path.join(dataDir, "videos"))).toBe(false);

    // The running server never heard of the account.
    expect(await loginStatus(server.url, "jo@example.com", "correct-horse-1")).toBe(401);
    // And it keeps serving.
    expect((await fetch(`${server.url}/api/health`)).ok).toBe(true);
  });

  it("works once the server is stopped, and the write is there when the server starts again", async () => {
    expect(await stopMain(server!)).toBe(0);
    server = undefined;
    expect(fs.existsSync(path.join(dataDir, "pglite.lock"))).toBe(false);

    const add = await chai(dataDir, addJo);
    expect(add.stderr).toBe("");
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/^Created jo@example.com \(annotator/m);
    const imported = await chai(dataDir, ["import", clip, "--aspects", "camera"]);
    expect(imported.code).toBe(0);

    server = await startMain(dataDir);
    expect(await loginStatus(server.url, "jo@example.com", "correct-horse-1")).toBe(200);
  });

  it("commands that need no database keep working while the server runs", async () => {
    const help = await chai(dataDir, ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/users/);
    const stats = await chai(dataDir, ["spec", "stats"]);
    expect(stats.code).toBe(0);
  });
});
