/**
 * `npm run test:loop-balanced`: the browser loop test (tests/browser/loop.test.ts, five people from an empty studio
 * to a promotion) once more, against three server processes on one PostgreSQL database and Redis behind HAProxy —
 * every page load, API call, upload chunk, event stream and room socket of the five browsers round-robin over the
 * processes. `npm test` runs it after the browser project (about 30 s more); exits with the test's status. Without
 * HAProxy it says so and exits 0, except in CI (CI or CHAI_REQUIRE_HAPROXY set), where .ci/run installs it.
 *
 * The client must be built (the npm script runs `vite build` first). The loop test records docs/loop.webm; this
 * run's recording is thrown away and the committed one kept.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { BASE_URL_ENV } from "../browser/harness";
import { DOCS } from "../browser/steps";
import { startCluster } from "./cluster";
import { haproxyBinary, haproxyRequired } from "./haproxy";

const ROOT = path.resolve(import.meta.dirname, "../..");
const RECORDING = path.join(DOCS, "loop.webm");

async function main(): Promise<number> {
  if (!haproxyBinary()) {
    if (haproxyRequired()) throw new Error("haproxy is not installed (apt-get install haproxy)");
    console.warn("[loop-balanced] skipped: haproxy is not installed (apt-get install haproxy). CI installs it (.ci/run) and runs this.");
    return 0;
  }
  if (!fs.existsSync(path.join(ROOT, "dist/client/index.html"))) throw new Error("the client is not built: run `npx vite build` first");
  // As the loop test's own server: no demo, the rules provider (the test's config: { demo: false }).
  const cluster = await startCluster({ processes: 3, label: "chai_loop_balanced", env: { DEMO: "0", MODEL_PROVIDER: "rules" } });
  const kept = fs.existsSync(RECORDING) ? fs.readFileSync(RECORDING) : undefined;
  try {
    console.log(`[loop-balanced] 3 processes (${cluster.names.join(", ")}) behind HAProxy at ${cluster.url}; logs in ${cluster.logDir}`);
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--project", "browser", "tests/browser/loop.test.ts"], {
        cwd: ROOT,
        env: { ...process.env, [BASE_URL_ENV]: cluster.url },
        stdio: "inherit",
      });
      child.once("exit", (c) => resolve(c ?? 1));
    });
    // Every process served part of the run (HAProxy's per-server session counts).
    const served = await cluster.balancer.sessions();
    console.log(`[loop-balanced] sessions per process: ${[...served].map(([n, c]) => `${n} ${c}`).join(", ")}`);
    if (code !== 0) console.error(cluster.logTail(30));
    return code;
  } finally {
    if (kept) fs.writeFileSync(RECORDING, kept);
    else fs.rmSync(RECORDING, { force: true });
    await cluster.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
