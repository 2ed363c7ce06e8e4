/**
 * The server's production build: server/main.ts bundled once by esbuild into dist/server/main.js (our code only;
 * packages stay in node_modules and are loaded by Node), started by `npm start` with plain node, so production runs
 * no TypeScript compiler. `npm start` runs `tsx scripts/buildServer.ts --if-stale` first: a fresh checkout, or one
 * whose sources changed since the last build, is built (about a second) before it starts.
 *
 * Its node flags (package.json "start"; startNodeFlags below reads them for whoever else starts the build):
 *   --enable-source-maps     stack traces name server/… files and lines
 *   --max-semi-space-size=4  V8's young generation capped at 4 MB a semi-space instead of 16: the server's garbage
 *                            is short-lived messages, so scavenging more often costs little CPU (+~0.3 s of
 *                            scavenges in a 300-room benchmark run) while the committed new space shrinks from up to
 *                            32 MB to 8 (idle RSS about -10 MB, more under load)
 *
 *   tsx scripts/buildServer.ts             build now
 *   tsx scripts/buildServer.ts --if-stale  build only when dist/server is missing or its stamp differs
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const SERVER_DIST = "dist/server";
export const SERVER_ENTRY = "server/main.ts";
const STAMP = "stamp.json";

/**
 * What the build depends on, relative to the root: our sources, the runtime data beside them, the locked package
 * versions and this script. A content hash, not mtimes: a copy or extraction that keeps old mtimes still rebuilds,
 * and a checkout that only touches files does not.
 */
export const STAMP_INPUTS = ["server", "shared", "spec", "migrations", "package-lock.json", "scripts/buildServer.ts"];

/** Test files never reach the bundle: editing one does not call for a rebuild. */
const skipped = (name: string) => /\.test\.tsx?$/.test(name) || name === "node_modules";

/** The hash of every input file's path and content under `root` (missing inputs count as absent, not as errors). */
export function sourceStamp(root: string, inputs: readonly string[] = STAMP_INPUTS): string {
  const hash = createHash("sha256");
  const add = (rel: string) => {
    const full = path.join(root, rel);
    const stat = fs.statSync(full, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(full).sort()) if (!skipped(name)) add(path.posix.join(rel, name));
    } else if (stat.isFile()) {
      hash.update(`${rel}\0${stat.size}\0`).update(fs.readFileSync(full));
    }
  };
  for (const input of inputs) add(input);
  return hash.digest("hex");
}

type Stamp = { stamp: string; builtAt: string };

const stampFile = (outDir: string) => path.join(outDir, STAMP);

/** True when `outDir` holds no complete build of these sources: no main.js, no stamp, or another stamp. */
export function isStale(root: string, outDir: string, inputs: readonly string[] = STAMP_INPUTS): boolean {
  if (!fs.existsSync(path.join(outDir, "main.js"))) return true;
  let recorded: Stamp;
  try {
    recorded = JSON.parse(fs.readFileSync(stampFile(outDir), "utf8")) as Stamp;
  } catch {
    return true;
  }
  return recorded.stamp !== sourceStamp(root, inputs);
}

/** Bundles one TypeScript entry into `outFile` (ESM for Node 20, a source map beside it, packages left external). */
export async function bundle(root: string, entry: string, outFile: string): Promise<void> {
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: true, // with --enable-source-maps, stack traces name server/… files and lines
    // Mappings only: Node keeps every loaded map in memory (the sources were ~1.3 MB, ~7 MB of the idle server's
    // RSS); an uncaught error's source line is read from server/… on disk instead, as npm start builds from there.
    sourcesContent: false,
    logLevel: "warning",
  });
}

/**
 * Builds the server into `outDir` (default dist/server under `root`). The stamp is taken before bundling and written
 * after, and removed first: an interrupted or failed build is stale, and a source edited mid-build rebuilds next time.
 */
export async function buildServer(root: string = ROOT, outDir: string = path.join(root, SERVER_DIST)): Promise<{ ms: number; outFile: string }> {
  const started = performance.now();
  const stamp = sourceStamp(root);
  fs.rmSync(stampFile(outDir), { force: true });
  const outFile = path.join(outDir, "main.js");
  await bundle(root, SERVER_ENTRY, outFile);
  const record: Stamp = { stamp, builtAt: new Date().toISOString() };
  fs.writeFileSync(`${stampFile(outDir)}.tmp`, JSON.stringify(record));
  fs.renameSync(`${stampFile(outDir)}.tmp`, stampFile(outDir));
  return { ms: performance.now() - started, outFile };
}

/**
 * The node flags `npm start` runs the build with, read from package.json's "start" script (the one place they are
 * written), so the benchmark and tests that start dist/server/main.js start it exactly as production does.
 */
export function startNodeFlags(root: string = ROOT): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  const found = /\bnode((?:\s+--\S+)*)\s+dist\/server\/main\.js\b/.exec(pkg.scripts?.start ?? "");
  if (!found) throw new Error(`package.json's "start" script does not run node … ${SERVER_DIST}/main.js`);
  return found[1]!.trim().split(/\s+/).filter(Boolean);
}

async function cli(argv: readonly string[]): Promise<void> {
  const outDir = path.join(ROOT, SERVER_DIST);
  if (argv.includes("--if-stale") && !isStale(ROOT, outDir)) return;
  if (argv.includes("--if-stale")) console.log("[start] building the server (first run, or the sources changed)…");
  const { ms, outFile } = await buildServer(ROOT, outDir);
  console.log(`[build] server: ${path.relative(ROOT, outFile)} in ${ms.toFixed(0)} ms`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  cli(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
