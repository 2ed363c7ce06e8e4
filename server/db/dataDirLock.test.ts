import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "./index";
import { acquireDataDirLock, DataDirLockedError, lockFileOf, type LockInfo } from "./dataDirLock";
import { runMainToExit, startMain, stopMain, type MainChild } from "../testing/mainProcess";

const readLock = (dataDir: string) => JSON.parse(fs.readFileSync(lockFileOf(dataDir), "utf8")) as LockInfo;

/** A pid no process has: beyond the kernel's pid_max. */
const GONE_PID = 2 ** 22 + 17;

describe("the lock on an embedded data folder", () => {
  let root = "";
  let dataDir = "";
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "chai13-lock-"));
    dataDir = path.join(root, "pglite");
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("is held by one opener: the second is told who holds it, and gets it once released", () => {
    const lock = acquireDataDirLock(dataDir, { role: "server" });
    lock.update({ url: "http://127.0.0.1:4100" });
    expect(readLock(dataDir)).toMatchObject({ role: "server", pid: process.pid, hostname: os.hostname(), url: "http://127.0.0.1:4100" });

    let refused: unknown;
    try {
      acquireDataDirLock(dataDir, { role: "cli", command: "users add" });
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as Error).message).toContain(`The CHAI Studio server (pid ${process.pid}, http://127.0.0.1:4100) is using the embedded database in ${dataDir}`);
    expect((refused as Error).message).toMatch(/another DATA_DIR, or run on PostgreSQL \(DATABASE_URL\)/);

    lock.release();
    expect(fs.existsSync(lockFileOf(dataDir))).toBe(false);
    const next = acquireDataDirLock(dataDir, { role: "cli", command: "users add" });
    expect(readLock(dataDir)).toMatchObject({ role: "cli", command: "users add" });
    next.release();
  });

  it("takes over a stale lock (its process is gone) with a log line", () => {
    fs.writeFileSync(lockFileOf(dataDir), JSON.stringify({ role: "server", pid: GONE_PID, hostname: os.hostname(), startedAt: "2026-01-01T00:00:00.000Z" }));
    const logged: string[] = [];
    const lock = acquireDataDirLock(dataDir, { role: "server" }, (line) => logged.push(line));
    expect(readLock(dataDir).pid).toBe(process.pid);
    expect(logged).toEqual([`[db] took over a stale lock on ${dataDir} (pid ${GONE_PID}, started 2026-01-01T00:00:00.000Z; that process is gone).`]);
    lock.release();
  });

  it("takes over a lock file left half-written", () => {
    fs.writeFileSync(lockFileOf(dataDir), "{");
    const logged: string[] = [];
    const lock = acquireDataDirLock(dataDir, { role: "cli" }, (line) => logged.push(line));
    expect(readLock(dataDir).pid).toBe(process.pid);
    expect(logged).toHaveLength(1);
    lock.release();
  });

  it("never takes over a live process's lock, nor one from another host it cannot check", () => {
    fs.writeFileSync(lockFileOf(dataDir), JSON.stringify({ role: "server", pid: process.ppid, hostname: os.hostname(), startedAt: "" }));
    expect(() => acquireDataDirLock(dataDir, { role: "server" }, () => {})).toThrow(DataDirLockedError);
    fs.writeFileSync(lockFileOf(dataDir), JSON.stringify({ role: "server", pid: GONE_PID, hostname: "elsewhere", startedAt: "" }));
    expect(() => acquireDataDirLock(dataDir, { role: "server" }, () => {})).toThrow(/pid \d+, on host elsewhere/);
  });

  it("is taken by openDatabase before PGlite touches the folder, and released by close", { timeout: 60_000 }, async () => {
    const held = acquireDataDirLock(dataDir, { role: "server", url: "http://127.0.0.1:4100" });
    await expect(openDatabase({ kind: "pglite", dataDir })).rejects.toBeInstanceOf(DataDirLockedError);
    expect(fs.existsSync(dataDir)).toBe(false);
    held.release();

    const database = await openDatabase({ kind: "pglite", dataDir, holder: { role: "cli", command: "users list" } });
    expect(readLock(dataDir)).toMatchObject({ role: "cli", pid: process.pid });
    await database.close();
    expect(fs.existsSync(lockFileOf(dataDir))).toBe(false);
  });
});

describe("two servers on one data folder", { timeout: 120_000 }, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chai13-lock-2srv-"));
  let first: MainChild | undefined;
  afterAll(async () => {
    if (first) await stopMain(first);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("the second stops at start with a message naming the first, which keeps serving", async () => {
    first = await startMain(dataDir);
    const second = await runMainToExit(dataDir);
    expect(second.code).toBe(1);
    expect(second.output).toContain(`The CHAI Studio server (pid ${first.child.pid}, ${first.url}) is using the embedded database`);
    expect(second.output).toMatch(/Stop that server first, or give this server another DATA_DIR, or run on PostgreSQL \(DATABASE_URL\)/);
    expect((await fetch(`${first.url}/api/health`)).ok).toBe(true);
    expect(readLock(path.join(dataDir, "pglite")).pid).toBe(first.child.pid);
  });
});
