import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { describeEachDb } from "../../testing/db";
import { testConfig } from "../../testing/testConfig";
import { seedExportFixture } from "../../testing/datasetFixture";
import { Manifest } from "../../../shared/dataset/formats";
import { testEnv } from "../../testing/cliEnv";
import { runExport } from "./export";
import { runImport } from "./import";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../../..");

describe("CLI --help (real process)", () => {
  it("export, eval and import --chai each print their help", async () => {
    const tsx = path.join(ROOT, "node_modules/.bin/tsx");
    const help = (args: string[]) => run(tsx, ["server/cli/index.ts", ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: "" } });
    const [exp, ev, imp] = await Promise.all([help(["export", "--help"]), help(["eval", "--help"]), help(["import", "--help"])]);
    expect(exp.stdout).toMatch(/Usage: npm run chai -- export --format FORMAT --out DIR/);
    expect(exp.stdout).toMatch(/caption-dpo\s+LLaMA-Factory sharegpt DPO/);
    expect(exp.stdout).toMatch(/trl-caption-preference\s+TRL conversational preference/);
    expect(exp.stdout).toMatch(/no code in trl reads `videos`/);
    expect(exp.stdout).not.toMatch(/--video-root/);
    expect(ev.stdout).toMatch(/bleu --pred P --ref R/);
    expect(ev.stdout).toMatch(/Krippendorff's alpha/);
    expect(imp.stdout).toMatch(/import --chai FILE --videos DIR/);
  }, 60_000);
});

describeEachDb("CLI export / import --chai", (db) => {
  it("export --format all writes the files and manifest; import --chai loads them into another project", async () => {
    const config = testConfig();
    await seedExportFixture(db().db, config, 3, "CLI export");
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "chai-cli-export-"));
    const { env, out: lines } = testEnv(db(), config);
    expect(await runExport(["--format", "all", "--out", out, "--split", "test=0.34", "--seed", "5", "--project", "CLI export"], env)).toBe(0);
    expect(lines.at(-1)).toMatch(/Done in .* 6 tasks exported \(0 without an accepted version skipped\)/);
    const manifest = Manifest.parse(JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8")));
    expect(manifest).toMatchObject({ format: "all", status: "approved", project: "CLI export", split: { test: 0.34, seed: 5 } });
    expect(fs.readdirSync(out).sort()).toEqual(
      // A folder format's files are inside its folder (chai-tool/…).
      [...new Set(["dataset_info.json", "manifest.json", "videos", ...manifest.files.map((f) => f.name.split("/")[0] ?? "")])].sort(),
    );
    expect(fs.readdirSync(path.join(out, "videos"))).toHaveLength(3);
    expect(lines.some((l) => /^Clips: 3 in videos\/ \(\d hard-linked, \d copied, 0 symlinked\)$/.test(l))).toBe(true);
    // The secret was created under DATA_DIR on first export.
    expect(fs.existsSync(path.join(config.dataDir, "export-pseudonym.key"))).toBe(true);

    const imp = testEnv(db(), config);
    const args = ["--chai", path.join(out, "chai.train.jsonl"), "--videos", out, "--project", "Copy", "--force-project"];
    expect(await runImport(args, imp.env)).toBe(0);
    expect(imp.out.at(-1)).toMatch(/Done: \d+ records imported, 0 already present, 0 failed, 0 clips added\./);
  });

  it("rejects bad usage with exit code 2 and an unknown project with 1", async () => {
    const { env, err } = testEnv(db());
    expect(await runExport([], env)).toBe(2);
    expect(await runExport(["--format", "csv", "--out", "x"], env)).toBe(2);
    expect(await runExport(["--format", "all", "--out", "x", "--split", "test=2"], env)).toBe(2);
    expect(await runExport(["--format", "all", "--out", "x", "--status", "draft"], env)).toBe(2);
    expect(err.join("\n")).toMatch(/--format must be one of/);
    // A retired name says what replaced it; the old --video-root says why it is gone.
    expect(await runExport(["--format", "reward-pairs", "--out", "x"], env)).toBe(2);
    expect(err.join("\n")).toMatch(/"reward-pairs" was replaced: .*"trl-caption-preference".*"caption-dpo"/);
    expect(await runExport(["--format", "all", "--out", "x", "--video-root", "/srv/video"], env)).toBe(2);
    expect(err.join("\n")).toMatch(/--video-root is gone: the export now places every clip in DIR\/videos\//);
    expect(await runExport(["--format", "all", "--out", "x", "--clips", "move"], env)).toBe(2);
    expect(err.join("\n")).toMatch(/--clips must be one of: link, copy, symlink/);
    expect(err.join("\n")).toMatch(/--split must look like test=0.1/);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "chai-cli-export-"));
    expect(await runExport(["--format", "chai", "--out", out, "--project", "No such"], env)).toBe(1);
    expect(err.at(-1)).toBe('No project named "No such".');
    expect(await runImport(["--chai", "x.jsonl"], env)).toBe(2);
  });
});
