import { execFile, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";

/**
 * `npm start` (server/main.ts) and `npm run chai` (server/cli/index.ts) as real child processes on the embedded
 * database of one DATA_DIR: for the tests of the data-folder lock, which is about separate processes.
 */

export const ROOT = path.resolve(import.meta.dirname, "../..");

/** The environment of both: PGlite under `dataDir` (DATABASE_URL emptied), no demo, no Redis. */
export const embeddedEnv = (dataDir: string): NodeJS.ProcessEnv => ({
  ...process.env,
  DATABASE_URL: "",
  REDIS_URL: "",
  DATA_DIR: dataDir,
  DEMO: "0",
  HOST: "127.0.0.1",
  PORT: "0",
  LOG_LEVEL: "error",
});

export type MainChild = { child: ChildProcess; url: string; output: () => string };

/** Starts server/main.ts and resolves with its URL once /api/health answers; rejects with its output if it exits. */
export function startMain(dataDir: string): Promise<MainChild> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { cwd: ROOT, env: embeddedEnv(dataDir), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stderr!.on("data", (b: Buffer) => (output += b.toString()));
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      output += `${line}\n`;
      const url = /CHAI Studio on (http:\/\/\S+)/.exec(line)?.[1];
      if (url) void waitHealthy(url).then(() => resolve({ child, url, output: () => output }), reject);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

async function waitHealthy(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url}/api/health never answered`);
}

/** Runs server/main.ts expecting it to stop at start: its exit code and output. */
export function runMainToExit(dataDir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "server/main.ts"], { cwd: ROOT, env: embeddedEnv(dataDir), timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, output: stdout + stderr });
    });
  });
}

/** Stops a server as Ctrl-C / a service manager would (SIGTERM: graceful close) and waits for it to exit. */
export function stopMain(server: MainChild): Promise<number | null> {
  if (server.child.exitCode !== null) return Promise.resolve(server.child.exitCode);
  return new Promise((resolve) => {
    server.child.once("exit", (code) => resolve(code));
    server.child.kill("SIGTERM");
  });
}

export type CliRun = { code: number; stdout: string; stderr: string };

/** Runs the real CLI: `npx tsx server/cli/index.ts …args` on `dataDir`. */
export function chai(dataDir: string, args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = execFile("npx", ["--no-install", "tsx", "server/cli/index.ts", ...args], { cwd: ROOT, env: embeddedEnv(dataDir) }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : null) : 0;
      if (code === null) reject(err);
      else resolve({ code, stdout, stderr });
    });
    child.stdin?.end();
  });
}

/** POST /api/auth/login as the browser would (same-origin); the response status. */
export async function loginStatus(url: string, email: string, password: string): Promise<number> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ email, password }),
  });
  return res.status;
}
