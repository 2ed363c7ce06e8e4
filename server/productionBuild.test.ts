import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { buildServer, isStale, sourceStamp, startNodeFlags } from "../scripts/buildServer";
import { REPO_ROOT } from "./repoRoot";
import { seedUser } from "./testing/collabFixtures";
import { createTestDatabase } from "./testing/db";

/** A small tree shaped like the repo's stamp inputs. */
function fakeRepo(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "chai-stamp-"));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write("server/main.ts", "export {};\n");
  write("server/db/index.ts", "export const a = 1;\n");
  write("server/db/index.test.ts", "test\n");
  write("shared/x.ts", "export const x = 1;\n");
  write("spec/spec.yaml", "a: 1\n");
  write("migrations/0001.sql", "select 1;\n");
  write("package-lock.json", "{}\n");
  return root;
}

describe("npm start's staleness check", () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  });

  it("stamps content, not mtimes; test files do not count", () => {
    const root = fakeRepo();
    roots.push(root);
    const before = sourceStamp(root);
    expect(sourceStamp(root)).toBe(before);

    const file = path.join(root, "server/db/index.ts");
    fs.utimesSync(file, new Date(2001, 0, 1), new Date(2001, 0, 1));
    expect(sourceStamp(root)).toBe(before);

    fs.writeFileSync(path.join(root, "server/db/index.test.ts"), "another test\n");
    expect(sourceStamp(root)).toBe(before);

    fs.writeFileSync(file, "export const a = 2;\n");
    const edited = sourceStamp(root);
    expect(edited).not.toBe(before);

    fs.writeFileSync(path.join(root, "shared/y.ts"), "export const y = 1;\n");
    expect(sourceStamp(root)).not.toBe(edited);
    fs.rmSync(path.join(root, "shared/y.ts"));
    expect(sourceStamp(root)).toBe(edited);

    fs.writeFileSync(path.join(root, "package-lock.json"), '{"v":2}\n');
    expect(sourceStamp(root)).not.toBe(edited);
  });

  it("a build is stale when missing, unstamped, or stamped for other sources", () => {
    const root = fakeRepo();
    roots.push(root);
    const out = path.join(root, "dist/server");
    expect(isStale(root, out)).toBe(true);

    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "main.js"), "");
    expect(isStale(root, out)).toBe(true); // no stamp: an interrupted build

    fs.writeFileSync(path.join(out, "stamp.json"), JSON.stringify({ stamp: sourceStamp(root), builtAt: "now" }));
    expect(isStale(root, out)).toBe(false);

    fs.appendFileSync(path.join(root, "server/main.ts"), "// edited\n");
    expect(isStale(root, out)).toBe(true);
  });
});

describe("the production build [postgres]", () => {
  const outDir = path.join(REPO_ROOT, "dist", `server-test-${process.pid}-${Date.now().toString(36)}`);
  let child: ChildProcess | undefined;
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await database?.dispose();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it("starts with plain node (no TypeScript loader), from another folder, and answers /api/health", async () => {
    const { outFile } = await buildServer(REPO_ROOT, outDir);
    database = await createTestDatabase("postgres");
    const lead = await seedUser(database.db, "lead");
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-build-"));
    // cwd elsewhere: spec/, migrations/ and dist/ must be found from the bundle's location, not the working folder.
    child = spawn(process.execPath, [...startNodeFlags(), outFile], {
      cwd: dataDir,
      env: { ...process.env, DATABASE_URL: database.url!, REDIS_URL: "", PORT: "0", HOST: "127.0.0.1", DEMO: "0", DATA_DIR: dataDir, LOG_LEVEL: "error" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
    const started = child;
    const url = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: started.stdout! }).on("line", (line) => {
        const found = /CHAI Studio on (http:\/\/\S+)/.exec(line)?.[1];
        if (found) resolve(found);
      });
      started.once("exit", (code) => reject(new Error(`built server exited with ${code}: ${stderr}`)));
    });
    const res = await fetch(`${url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, database: "postgres" });
    const spec = await fetch(`${url}/api/spec`, { headers: { cookie: lead.cookie } });
    expect(spec.status).toBe(200);
    const exit = new Promise<number | null>((resolve) => started.once("exit", (code) => resolve(code)));
    started.kill("SIGTERM");
    expect(await exit).toBe(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 90_000);
});
