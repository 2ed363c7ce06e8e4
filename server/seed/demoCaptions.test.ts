import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgStorage } from "../collab/pgStorage";
import { RoomRegistry } from "../collab/rooms";
import { getSpec } from "../captionSpec/index";
import { catches, drafts, reviewDecisions, rounds, tasks, taskVersions, videos } from "../db/schema";
import { exportDataset } from "../dataset/exportDataset";
import { importChai } from "../dataset/importChai";
import { replaceFacts, replaceLabels } from "../labels/repository";
import { startDraft } from "../loop";
import { readRoom } from "../loop/roomContent";
import { createTestDatabase } from "../testing/db";
import { testConfig } from "../testing/testConfig";
import { agreementErrors, findSlots } from "../../shared/captionSpec/phrasing";
import { CaptionFacts } from "../../shared/captionFacts";
import { ChaiRecord } from "../../shared/dataset/formats";
import { parseStoredItems } from "../../shared/critique/stored";
import { DEMO_CLIPS_DIR, readDemoManifest, seedDemo } from "./demo";
import { seedDemoHistory } from "./demoHistory";
import { demoCameraOf, demoFacts, demoLabels } from "./demoLabels";
import { seedDemoReview } from "./demoReview";
import { seedDemoWork } from "./demoWork";
import { withSeedLoop } from "./seedLoop";

/**
 * The must-show of issue #16: the whole demo (the committed clips, the present day's work and eight weeks of
 * history, all made by the loop on the rules provider) drafted, revised and exported, and not one `<…>` slot,
 * `{verb}` or `[group]` of the phrasing grammar, nor a "the posts stays" agreement error, in any draft, critique,
 * revision, room post-caption, frozen version, or string of any export file.
 *
 * Allowed on purpose: `<video>` and `<image>`, the media placeholders LLaMA-Factory's sharegpt files require in a
 * user turn; critique time ranges such as "[0:00–0:04]"; and JSON objects quoted as examples in the manifest's notes.
 */

const NOW = new Date("2026-03-04T15:00:00Z");
const MEDIA_TOKENS = new Set(["<video>", "<image>"]);
/** A JSON object shown as an example in prose (the manifest's notes: `{"type": "video"}`), not a {verb}. */
const JSON_EXAMPLE = /^\{\s*"/;
/** A square-bracket group left in the text; "[0:01–0:04]" (a critique's time range) is not one. */
const GROUP_LEFTOVER = /\[(?!\d)[^\]\n]*\]/g;

type Finding = { where: string; problem: string; text: string };

/** Grammar leftovers and agreement errors in one text; `facts` are the task's (agreement is checked against them). */
function check(where: string, text: string | null | undefined, facts: CaptionFacts): Finding[] {
  if (!text) return [];
  const out: Finding[] = [];
  for (const slot of findSlots(text)) if (!MEDIA_TOKENS.has(slot) && !JSON_EXAMPLE.test(slot)) out.push({ where, problem: `slot ${slot}`, text });
  for (const group of text.match(GROUP_LEFTOVER) ?? []) out.push({ where, problem: `group ${group}`, text });
  for (const error of agreementErrors(text, facts)) out.push({ where, problem: error, text });
  return out;
}

/** Every string inside a parsed JSON value. */
function strings(value: unknown, at: string, out: { at: string; text: string }[] = []): { at: string; text: string }[] {
  if (typeof value === "string") out.push({ at, text: value });
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${at}[${i}]`, out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) strings(v, `${at}.${k}`, out);
  return out;
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : [full];
  });
}

/** The distinct problems with how often each occurs, then the first few in full. */
function show(findings: Finding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.problem, (counts.get(f.problem) ?? 0) + 1);
  const summary = [...counts].map(([problem, n]) => `${n} × ${problem}`).join("\n");
  const first = findings.slice(0, 5).map((f) => `${f.where}: ${f.problem}\n    ${f.text.slice(0, 300)}`).join("\n");
  return `${findings.length} findings:\n${summary}\n--\n${first}`;
}


describe("demo captions (issue #16 must-show)", () => {
  const config = testConfig({ demo: true });
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let rooms: RoomRegistry;
  /** Every demo task's facts, and all the clips' subjects together (export lines are checked against those). */
  const factsOf = new Map<string, CaptionFacts>();
  let allFacts: CaptionFacts = { subjects: [], setting: null };

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    const clipsDir = DEMO_CLIPS_DIR;
    const seeded = await seedDemo(database.db, config, { clipsDir, specVersion: async () => (await getSpec()).version, log: () => {} });
    expect(seeded.seeded).toBe(true);
    await seedDemoWork(config, database, { clipsDir });
    await seedDemoReview(database.db);
    await seedDemoHistory(config, database, { clipsDir, now: NOW });

    // The tasks the demo leaves in labelling are drafted too, through the same path: labels and facts saved with
    // the repository the API uses, then the loop's own drafting.
    const manifest = await readDemoManifest(clipsDir);
    const cameraOf = new Map(manifest.clips.map((c) => [c.title, demoCameraOf(c.camera)]));
    const waiting = await database.db
      .select({ id: tasks.id, aspect: tasks.aspect, annotatorId: tasks.annotatorId, title: videos.title, durationSec: videos.durationSec })
      .from(tasks)
      .innerJoin(videos, eq(videos.id, tasks.videoId))
      .where(eq(tasks.stage, "labelling"));
    await withSeedLoop(config, database, {}, async (loop) => {
      for (const t of waiting) {
        const camera = cameraOf.get(t.title) ?? "static";
        await replaceLabels(loop.deps.db, t.id, demoLabels(t.aspect, camera, t.durationSec ?? 4), t.annotatorId ?? (await anyone(loop.deps.db)));
        await replaceFacts(loop.deps.db, t.id, demoFacts(camera));
        const outcome = await (await startDraft(loop.deps, t.id, { kind: "system", onBehalfOfWorker: true })).done;
        if (!outcome.ok) throw new Error(`drafting labelling task ${t.id} failed: ${outcome.error}`);
      }
    });

    for (const t of await database.db.select({ id: tasks.id, facts: tasks.captionFacts }).from(tasks)) factsOf.set(t.id, t.facts);
    const subjects = new Map<string, CaptionFacts["subjects"][number]>();
    for (const c of manifest.clips) for (const s of demoFacts(demoCameraOf(c.camera)).subjects) subjects.set(s.phrase, s);
    allFacts = { subjects: [...subjects.values()], setting: null };
    rooms = new RoomRegistry({ storage: new PgStorage(database.db) });
  }, 600_000);

  afterAll(async () => {
    await rooms?.close();
    await database?.dispose();
  });

  const factsFor = (taskId: string) => factsOf.get(taskId) ?? allFacts;

  it("gives every demo task its facts, and every task a draft", async () => {
    const all = await database.db.select({ id: tasks.id, stage: tasks.stage }).from(tasks);
    expect(all.length).toBeGreaterThan(40);
    for (const t of all) expect(factsFor(t.id).subjects.length, t.id).toBeGreaterThan(0);
    const drafted = new Set((await database.db.select({ taskId: drafts.taskId }).from(drafts)).map((d) => d.taskId));
    expect(all.filter((t) => !drafted.has(t.id)).map((t) => `${t.id} ${t.stage}`)).toEqual([]);
  });

  it("has no slot, grammar leftover or agreement error in any draft, critique, revision, post-caption or version", async () => {
    const findings: Finding[] = [];
    for (const d of await database.db.select().from(drafts)) findings.push(...check(`draft of ${d.taskId}`, d.text, factsFor(d.taskId)));
    for (const r of await database.db.select().from(rounds)) {
      const facts = factsFor(r.taskId);
      findings.push(...check(`round ${r.n} of ${r.taskId}: post-caption`, r.postCaption, facts));
      findings.push(...check(`round ${r.n} of ${r.taskId}: critique`, r.critiqueText, facts));
    }
    for (const v of await database.db.select().from(taskVersions)) {
      const facts = factsFor(v.taskId);
      const where = `version of ${v.taskId}`;
      findings.push(...check(`${where}: pre-caption`, v.preCaption, facts), ...check(`${where}: post-caption`, v.postCaption, facts));
      findings.push(...check(`${where}: critique`, v.critiqueText, facts), ...check(`${where}: polished critique`, v.polishedCritiqueText, facts));
      for (const item of parseStoredItems(v.critique)) findings.push(...check(`${where}: item ${item.id}`, `${item.what} ${item.fix}`, facts));
    }
    for (const d of await database.db.select().from(reviewDecisions)) findings.push(...check(`decision on ${d.taskId}`, d.note, factsFor(d.taskId)));
    for (const c of await database.db.select().from(catches)) findings.push(...check(`catch on ${c.taskId}`, `${c.quote ?? ""} ${c.note}`, factsFor(c.taskId)));

    const ids = [...factsOf.keys()];
    const worked = await database.db.select({ id: tasks.id }).from(tasks).where(inArray(tasks.id, ids));
    for (const { id } of worked) {
      const room = await readRoom(rooms, id);
      const facts = factsFor(id);
      findings.push(...check(`room ${id}: draft`, room.draft, facts), ...check(`room ${id}: post-caption`, room.post, facts));
      for (const item of room.items) findings.push(...check(`room ${id}: item ${item.id}`, `${item.anchor?.quote ?? ""} ${item.what} ${item.fix}`, facts));
    }
    expect(findings.length, show(findings)).toBe(0);
  });

  it("exports every format without a slot, grammar leftover or agreement error in any line", async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-demo-captions-"));
    const { manifest } = await exportDataset(database.db, config, {
      format: "all",
      outDir,
      status: "all",
      testShare: 0.3,
      seed: 1,
      pseudonymSecret: new Uint8Array(32).fill(5),
    });
    expect(manifest.files.reduce((n, f) => n + f.records, 0)).toBeGreaterThan(0);

    const findings: Finding[] = [];
    let records = 0;
    for (const file of walk(outDir)) {
      const rel = path.relative(outDir, file);
      if (/\.(webm|mp4)$/i.test(file)) continue;
      const text = fs.readFileSync(file, "utf8");
      if (file.endsWith(".jsonl")) {
        text.split("\n").forEach((line, i) => {
          if (!line.trim()) return;
          records++;
          for (const s of strings(JSON.parse(line) as unknown, "")) findings.push(...check(`${rel}:${i + 1}${s.at}`, s.text, allFacts));
        });
      } else if (file.endsWith(".json")) {
        for (const s of strings(JSON.parse(text) as unknown, "")) findings.push(...check(`${rel}${s.at}`, s.text, allFacts));
      } else {
        // Prose (the README): only `<…>` slots count here, since it may show JSON and time ranges as examples.
        text.split("\n").forEach((line, i) => {
          for (const slot of findSlots(line)) {
            if (slot.startsWith("<") && !MEDIA_TOKENS.has(slot)) findings.push({ where: `${rel}:${i + 1}`, problem: `slot ${slot}`, text: line });
          }
        });
      }
    }
    expect(records).toBeGreaterThan(0);
    expect(findings.length, show(findings)).toBe(0);
  });

  it("carries every task's facts in its chai record, and an import then export gives the same file", async () => {
    const first = fs.mkdtempSync(path.join(os.tmpdir(), "chai-demo-facts-1-"));
    const second = fs.mkdtempSync(path.join(os.tmpdir(), "chai-demo-facts-2-"));
    const opts = { format: "chai" as const, status: "all" as const, testShare: 0, seed: 2 };
    await exportDataset(database.db, config, { ...opts, outDir: first, pseudonymSecret: new Uint8Array(32).fill(7) });
    const file = path.join(first, "chai.train.jsonl");
    const raw = fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(raw.length).toBeGreaterThan(0);
    for (const r of raw) {
      expect(ChaiRecord.parse(r).facts.subjects.length).toBeGreaterThan(0);
      // The field sits right after the primitives, as the format lists it.
      const keys = Object.keys(r);
      expect(keys.indexOf("facts")).toBe(keys.indexOf("primitives") + 1);
    }

    const other = await createTestDatabase("pglite");
    try {
      const otherConfig = testConfig();
      expect((await importChai(other.db, otherConfig, { file, videosDir: first })).failed).toBe(0);
      await exportDataset(other.db, otherConfig, { ...opts, outDir: second, pseudonymSecret: new Uint8Array(32).fill(8) });
      expect(fs.readFileSync(path.join(second, "chai.train.jsonl"), "utf8")).toBe(fs.readFileSync(file, "utf8"));
      const stored = await other.db.select({ facts: tasks.captionFacts }).from(tasks);
      expect(stored.every((t) => CaptionFacts.parse(t.facts).subjects.length > 0)).toBe(true);
    } finally {
      await other.dispose();
    }
  });
});

/** Some user to stamp labels with, for a labelling task nobody is assigned to. */
async function anyone(db: Parameters<typeof replaceLabels>[0]): Promise<string> {
  const [row] = await db.select({ id: tasks.annotatorId }).from(tasks).where(eq(tasks.stage, "approved")).limit(1);
  if (!row?.id) throw new Error("no annotator to label with");
  return row.id;
}
