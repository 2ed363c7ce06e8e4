import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startNodeFlags } from "../scripts/buildServer";

describe("npm start's node flags", () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  });

  const repoWithStart = (start: string): string => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "chai-start-"));
    roots.push(root);
    fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ scripts: { start } }));
    return root;
  };

  it("are read from package.json's start script, the flags between node and the build", () => {
    const root = repoWithStart("tsx scripts/buildServer.ts --if-stale && exec node --enable-source-maps --max-semi-space-size=4 dist/server/main.js");
    expect(startNodeFlags(root)).toEqual(["--enable-source-maps", "--max-semi-space-size=4"]);
    expect(startNodeFlags(repoWithStart("node dist/server/main.js"))).toEqual([]);
    expect(() => startNodeFlags(repoWithStart("tsx server/main.ts"))).toThrow(/does not run node/);
  });

  it("of this repository keep source-mapped traces and the small young generation", () => {
    const flags = startNodeFlags();
    expect(flags).toContain("--enable-source-maps");
    expect(flags.some((f) => /^--max-semi-space-size=\d+$/.test(f))).toBe(true);
  });
});
