import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";

export type ServerChild = { child: ChildProcess; url: string; port: number; pid: number };

const ENTRY = path.resolve(import.meta.dirname, "serverProcess.ts");

/** Starts serverProcess.ts in a child node process and resolves when it prints its address. */
export function spawnServer(env: Record<string, string>): Promise<ServerChild> {
  // COLLAB_CPU_PROF=<dir> profiles the server process (written when it exits), for benchmark investigations.
  const prof = process.env.COLLAB_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.COLLAB_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, "--import", "tsx", ENTRY], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      const info = JSON.parse(line) as { url: string; port: number; pid: number };
      resolve({ child, ...info });
    });
    child.once("exit", (code) => reject(new Error(`server process exited with ${code}`)));
  });
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}
