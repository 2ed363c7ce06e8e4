import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ChaiImportError, readObjects, RELEASE_AUTHOR, toImportRecord } from "./importChai";
import { parseSplit, splitOf } from "./split";

const file = (name: string, text: string) => {
  const p = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "chai-records-")), name);
  fs.writeFileSync(p, text);
  return p;
};
const collect = async (p: string) => {
  const out: unknown[] = [];
  for await (const { value } of readObjects(p)) out.push(value);
  return out;
};

describe("CHAI record reading", () => {
  it("reads JSON Lines (with a BOM and blank lines) and JSON arrays alike", async () => {
    const rec = { video: "a.mp4", pre_caption: "p", final_caption: "f", caption_type: "camera" };
    expect(await collect(file("a.jsonl", `\uFEFF${JSON.stringify(rec)}\n\n${JSON.stringify(rec)}\n`))).toEqual([rec, rec]);
    expect(await collect(file("a.json", `  [${JSON.stringify(rec)}]`))).toEqual([rec]);
    await expect(collect(file("bad.jsonl", "{oops"))).rejects.toThrow(/bad\.jsonl:1: not JSON/);
  });

  it("maps the released layout onto a task record and rejects what it cannot read", () => {
    const now = new Date("2026-02-03T04:05:06.000Z");
    const r = toImportRecord({ video_name: "x.mp4", precaption: "pre", critique: "c", caption: "post", score: "2", type: "Spatial caption" }, now, "P");
    expect(r).toMatchObject({ video: "x.mp4", video_sha256: null, aspect: "spatial", score: 2, pre_caption: "pre", post_caption: "post", stage: "approved", author: RELEASE_AUTHOR, project: "P", created_at: now.toISOString() });
    expect(r.critique).toEqual({ items: [], text: "c", polished_text: null });
    expect(() => toImportRecord({ video: "x.mp4", pre_caption: "p", final_caption: "f", caption_type: "camera", pre_caption_score: 9 }, now, "P")).toThrow(ChaiImportError);
    expect(() => toImportRecord({ video_sha256: "nope" }, now, "P")).toThrow(/not a valid chai record/);
    expect(() => toImportRecord([1], now, "P")).toThrow(/not a JSON object/);
  });
});

describe("split", () => {
  it("parses test=share and assigns about that share of clips to test, stably", () => {
    expect(parseSplit(undefined)).toBe(0);
    expect(parseSplit("test=0.1")).toBe(0.1);
    expect(parseSplit("test=1")).toBe(1);
    expect(() => parseSplit("test=1.5")).toThrow(/--split/);
    expect(() => parseSplit("train=0.9")).toThrow(/--split/);
    const keys = Array.from({ length: 2000 }, (_, i) => `clip-${i}`);
    const test = keys.filter((k) => splitOf(k, 0.1, 0) === "test").length;
    expect(test).toBeGreaterThan(140);
    expect(test).toBeLessThan(260);
    expect(keys.map((k) => splitOf(k, 0.1, 0))).toEqual(keys.map((k) => splitOf(k, 0.1, 0)));
    expect(keys.map((k) => splitOf(k, 0.1, 1))).not.toEqual(keys.map((k) => splitOf(k, 0.1, 0)));
    expect(splitOf("clip-1", 0, 0)).toBe("train");
  });
});
