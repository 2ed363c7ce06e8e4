import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { getSpec, loadSpecDir } from "../../captionSpec/index";
import { FIXTURE_CAMERA, fixtureFiles } from "../../testing/specFixture";
import type { Finding } from "../../../shared/captionSpec/lint";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

type Run = { code: number; stdout: string; stderr: string };

/** Runs the real CLI in a child process: `npx tsx server/cli/index.ts spec …`, optionally feeding stdin. */
function chai(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "npx",
      ["--no-install", "tsx", "server/cli/index.ts", "spec", ...args],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: "" } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : null) : 0;
        if (code === null) reject(err);
        else resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(stdin ?? "");
  });
}

function writeDir(files: { path: string; text: string }[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-spec-"));
  for (const f of files) fs.writeFileSync(path.join(dir, f.path), f.text);
  return dir;
}

const MUST_SHOW = "An atmospheric shot where the camera zooms toward a tense man.\n";
const PRECISE = "The camera dollies in toward a man standing at the center of the frame.\n";

describe("npm run chai -- spec", { timeout: 60_000 }, () => {
  let fixtureDir = "";
  beforeAll(() => {
    fixtureDir = writeDir(fixtureFiles());
  });
  /** The real spec's dolly-in, whatever its sub-aspect is called. */
  const realDollyIn = async () =>
    Object.keys((await getSpec()).primitives).find((id) => id.startsWith("camera.") && id.endsWith(".dolly_in"))!;

  it("lint flags subjective words and the zoom/dolly confusion with spans, and exits 1", async () => {
    const r = await chai(["lint", "--aspect", "camera", "--primitives", await realDollyIn(), "-"], MUST_SHOW);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^3-14\s+subjective\s+"atmospheric"/m);
    expect(r.stdout).toMatch(/^37-42\s+confusion\s+"zooms"/m);
    expect(r.stdout).toMatch(/^52-57\s+subjective\s+"tense"/m);
    expect(r.stdout).toMatch(/fix: dollies in/);
  });

  it("lint passes a precise caption with exit 0", async () => {
    const r = await chai(["lint", "--aspect", "camera", "--primitives", await realDollyIn(), "-"], PRECISE);
    expect(r).toMatchObject({ code: 0, stdout: "No findings.\n" });
  });

  it("lint --json prints the findings for machines, and reads a file", async () => {
    const file = path.join(fixtureDir, "caption.txt");
    fs.writeFileSync(file, "It appears the camera pans left.");
    const r = await chai(["lint", "--dir", fixtureDir, "--json", "--primitives", "camera.movement.truck_left", file]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { version: string; findings: Finding[] };
    expect(out.version).toMatch(/^1\.0\.0\+[0-9a-f]{12}$/);
    expect(out.findings.map((f) => [f.rule, f.start, f.end, f.text])).toEqual([
      ["hedge", 0, 10, "It appears"],
      ["confusion", 22, 31, "pans left"],
    ]);
    expect(out.findings[1]!.suggestion).toBe("trucks left");
  });

  it("lint exits 2 on usage errors: unknown primitive, unknown aspect, no input", async () => {
    const unknown = await chai(["lint", "--dir", fixtureDir, "--primitives", "camera.movement.warp_drive", "-"], PRECISE);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown primitive id");
    expect(unknown.stderr).toContain("camera.movement.warp_drive");
    expect((await chai(["lint", "--aspect", "sound", "-"], PRECISE)).code).toBe(2);
    expect((await chai(["lint"])).code).toBe(2);
    expect((await chai(["lint", "--bogus", "-"], PRECISE)).code).toBe(2);
  });

  it("stats --json reports the version and counts per aspect", async () => {
    const r = await chai(["stats", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      version: string;
      primitives: number;
      aspects: Record<string, { subAspects: number; primitives: number }>;
    };
    // A fresh load, not the process cache: the folder may have been edited since this process read it.
    const fresh = await loadSpecDir();
    expect(out.version).toBe(fresh.ok ? fresh.spec.version : "spec does not load");
    expect(Object.keys(out.aspects)).toEqual(["subject", "scene", "motion", "spatial", "camera"]);
    expect(Object.values(out.aspects).reduce((n, a) => n + a.primitives, 0)).toBe(out.primitives);
    const fixture = JSON.parse((await chai(["stats", "--json", "--dir", fixtureDir])).stdout) as typeof out;
    expect(fixture).toMatchObject({ primitives: 15, aspects: { camera: { subAspects: 2, primitives: 7 } } });
  });

  it("check prints every loader error with file, line and path, and exits 1", async () => {
    expect((await chai(["check", "--dir", fixtureDir])).code).toBe(0);
    const broken = writeDir(
      fixtureFiles({ "camera.yaml": FIXTURE_CAMERA.replace("confusables: [camera.movement.zoom_in]", "confusables: [camera.movement.zoom_inn]") }),
    );
    const r = await chai(["check", "--dir", broken]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/camera\.yaml:20:\d+ subAspects\[0\]\.primitives\[0\]\.confusables\[0\]: confusable "camera\.movement\.zoom_inn"/);
  });

  it("prints help", async () => {
    const r = await chai(["lint", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("spec lint [--aspect A] [--primitives id,id,...] [--json] <file|->");
  });
});
