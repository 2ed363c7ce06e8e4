import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projects, taskLabels, tasks, users, videos } from "../../db/schema";
import { describeEachDb } from "../../testing/db";
import { testEnv } from "../../testing/cliEnv";
import { runEval } from "./eval";

function files(contents: Record<string, string>): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-eval-"));
  return Object.fromEntries(
    Object.entries(contents).map(([name, text]) => {
      fs.writeFileSync(path.join(dir, name), text);
      return [name, path.join(dir, name)];
    }),
  );
}

describe("eval bleu / reward (files)", () => {
  // sacreBLEU's published example: BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)
  const f = files({
    "hyp.txt": "The dog bit the man.\nIt wasn't surprising.\nThe man had just bitten him.\n",
    "ref1.txt": "The dog bit the man.\nIt was not unexpected.\nThe man bit him first.\n",
    "ref2.txt": "The dog had bit the man.\nNo one was surprised.\nThe man had bitten the dog.\n",
    "short.txt": "The dog bit the man.\n",
    "pred.txt": "Yes\nno.\nYes, it is accurate\nmaybe\n",
    "gold.jsonl": ['"Yes"', "No", "No", "Yes"].map((a) => JSON.stringify({ messages: [{ role: "user", content: "<video>q" }, { role: "assistant", content: a.replace(/"/g, "") }], videos: ["a.webm"] })).join("\n"),
  });

  it("prints corpus BLEU on files with two references, matching the published figures", async () => {
    const { env, out } = testEnv();
    expect(await runEval(["bleu", "--pred", f["hyp.txt"]!, "--ref", f["ref1.txt"]!, "--ref", f["ref2.txt"]!], env)).toBe(0);
    expect(out).toEqual(["BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)"]);
    const json = testEnv();
    expect(await runEval(["bleu", "--pred", f["hyp.txt"]!, "--ref", f["ref1.txt"]!, "--ref", f["ref2.txt"]!, "--json"], json.env)).toBe(0);
    const parsed = JSON.parse(json.out[0] ?? "{}") as { score: number; hypLength: number };
    expect(parsed.score.toFixed(2)).toBe("48.53");
    expect(parsed.hypLength).toBe(17);
  });

  it("refuses files of different lengths and bad usage", async () => {
    const { env, err } = testEnv();
    expect(await runEval(["bleu", "--pred", f["hyp.txt"]!, "--ref", f["short.txt"]!], env)).toBe(1);
    expect(err.join("\n")).toMatch(/3 lines, one has 1/);
    expect(await runEval(["bleu", "--pred", f["hyp.txt"]!], env)).toBe(2);
    expect(await runEval(["rouge"], env)).toBe(2);
    expect(await runEval(["bleu", "--bogus"], env)).toBe(2);
  });

  it("prints yes/no accuracy with counts, reading answers from text or reward-yesno records", async () => {
    const { env, out } = testEnv();
    expect(await runEval(["reward", "--pred", f["pred.txt"]!, "--ref", f["gold.jsonl"]!], env)).toBe(0);
    // pred yes/no/yes/(invalid) vs ref yes/no/no/yes: 2 right, 1 false positive, 1 invalid
    expect(out[0]).toBe("accuracy = 50.00% (2/4 correct, 1 neither yes nor no)");
    expect(out[1]).toBe("reference: 2 yes, 2 no; predicted yes: 1 right, 1 wrong; predicted no: 1 right, 0 wrong");
  });
});

describeEachDb("eval agreement", (db) => {
  it("reports Krippendorff's alpha per sub-aspect from two annotators' labels", async () => {
    const d = db().db;
    const [a, b] = await d
      .insert(users)
      .values([
        { email: "a1@example.com", displayName: "A1", role: "annotator", passwordHash: "!" },
        { email: "a2@example.com", displayName: "A2", role: "annotator", passwordHash: "!" },
      ])
      .returning();
    const [p] = await d.insert(projects).values({ name: "Agree" }).returning();
    if (!a || !b || !p) throw new Error("setup");
    const angles = [
      ["camera.angle.high", "camera.angle.high"],
      ["camera.angle.low", "camera.angle.low"],
      ["camera.angle.eye_level", "camera.angle.low"],
    ];
    for (const [i, [x, y]] of angles.entries()) {
      const [v] = await d
        .insert(videos)
        .values({ projectId: p.id, title: `v${i}`, storage: "data", path: `v${i}.webm`, mimeType: "video/webm", sizeBytes: 1, sha256: String(i).repeat(64) })
        .returning();
      if (!v) throw new Error("video");
      const [t1, t2] = await d
        .insert(tasks)
        .values([
          { projectId: p.id, videoId: v.id, aspect: "camera", annotatorId: a.id, specVersion: "1.0.0+abcdefabcdef" },
          { projectId: p.id, videoId: v.id, aspect: "camera", annotatorId: b.id, specVersion: "1.0.0+abcdefabcdef" },
        ])
        .returning();
      if (!t1 || !t2) throw new Error("tasks");
      await d.insert(taskLabels).values([
        { taskId: t1.id, primitiveId: x!, value: { kind: "selected" }, labelledBy: a.id },
        { taskId: t2.id, primitiveId: y!, value: { kind: "selected" }, labelledBy: b.id },
      ]);
    }
    const { env, out } = testEnv(db());
    expect(await runEval(["agreement", "--project", "Agree", "--json"], env)).toBe(0);
    const report = JSON.parse(out[0] ?? "{}") as { clipsCompared: number; subAspects: { subAspect: string; alpha: number }[] };
    expect(report.clipsCompared).toBe(3);
    // units {high,high}, {low,low}, {eye,low}: n = 6, n_high = 2, n_low = 3, n_eye = 1; D_o = 2;
    // Σ n_c n_k = 36 − (4 + 9 + 1) = 22; α = 1 − 5 · 2 / 22 = 6/11
    expect(report.subAspects).toHaveLength(1);
    expect(report.subAspects[0]?.alpha).toBeCloseTo(6 / 11, 12);
    const text = testEnv(db());
    expect(await runEval(["agreement", "--project", "Agree"], text.env)).toBe(0);
    expect(text.out.join("\n")).toMatch(/camera\.angle\s+selected\s+0\.545\s+3\s+6/);
    const missing = testEnv(db());
    expect(await runEval(["agreement", "--project", "Nope"], missing.env)).toBe(1);
  });
});
