import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { and, eq } from "drizzle-orm";
import type { Config } from "../config";
import type { Db } from "../db/index";
import { catches, drafts, projects, reviewDecisions, rounds, taskLabels, tasks, taskVersions, users, videos } from "../db/schema/index";
import { audit } from "../audit";
import { importVideo, ImportError } from "../videos/importer";
import { isInside } from "../videos/storage";
import { ChaiRecord } from "../../shared/dataset/formats";
import { EMPTY_FACTS } from "../../shared/captionFacts";
import { canonicalReleaseFields, ReleasedChaiRecord } from "../../shared/dataset/chaiRelease";
import type { CritiqueItem } from "../../shared/critique/items";
import { IMPORTED_DOMAIN, isPseudonym, loadPseudonymSecret, pseudonymForText } from "./pseudonym";
import { isChaiToolVideo } from "../../shared/dataset/chaiTool";
import { ChaiToolFormatError, fromChaiToolVideo } from "./chaiTool";

/**
 * `chai import --chai FILE --videos DIR`: loads CHAI records — our own `chai` export, the released CHAI
 * test-split layout (shared/dataset/chaiRelease.ts), or the CHAI annotation tool's export (one video object per
 * entry, server/dataset/chaiTool.ts) — as tasks with their clips, versions, rounds, labels, reviews and catches.
 * Importing our export into an empty database and exporting again gives identical files.
 */

/** A record ready to insert: a `chai` record whose clip hash may be unknown (released data names files only). */
export type ImportRecord = Omit<ChaiRecord, "video_sha256"> & { video_sha256: string | null };

/** Author of released records, which name nobody: one fixed pseudonym. */
export const RELEASE_AUTHOR = `p_${createHash("sha256").update("chai-release").digest("hex").slice(0, 16)}`;
export const RELEASE_SPEC_VERSION = "chai-release";

export const MAX_LINE_BYTES = 16 * 1024 * 1024;
export const MAX_JSON_ARRAY_BYTES = 256 * 1024 * 1024;

export class ChaiImportError extends Error {}

/** One input object → an import record; throws ChaiImportError naming what is wrong. */
export function toImportRecord(obj: unknown, now: Date, projectName: string): ImportRecord {
  if (!obj || typeof obj !== "object" || Array.isArray(obj)) throw new ChaiImportError("not a JSON object");
  if ("video_sha256" in obj) {
    const ours = ChaiRecord.safeParse(obj);
    if (!ours.success) throw new ChaiImportError(`not a valid chai record: ${ours.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    return ours.data;
  }
  const released = ReleasedChaiRecord.safeParse(canonicalReleaseFields(obj as Record<string, unknown>));
  if (!released.success) {
    throw new ChaiImportError(`not a CHAI record: ${released.error.issues.map((i) => `${i.path.join(".") || "record"}: ${i.message}`).join("; ")}`);
  }
  const r = released.data;
  const at = now.toISOString();
  return {
    video: r.video,
    video_sha256: null,
    video_source: r.video,
    project: projectName,
    aspect: r.caption_type,
    spec_version: RELEASE_SPEC_VERSION,
    stage: "approved",
    created_at: at,
    submitted_at: at,
    reviewed_at: null,
    annotator: RELEASE_AUTHOR,
    primitives: [],
    facts: EMPTY_FACTS,
    pre_caption: r.pre_caption,
    pre_caption_model: null,
    score: r.pre_caption_score,
    critique: { items: [], text: r.critique, polished_text: null },
    rounds: [],
    post_caption: r.final_caption,
    author: RELEASE_AUTHOR,
    author_role: "annotator",
    version_created_at: at,
    provenance: null,
    verdict: null,
    reviews: [],
    catches: [],
    negatives: [],
  };
}

/**
 * One input object → its import records: the CHAI annotation tool's video object (`captions` and `video_id`) gives
 * one per completed task (server/dataset/chaiTool.ts); any other object is one record (toImportRecord).
 */
export function toImportRecords(obj: unknown, now: Date, projectName: string, person: (name: string) => string): ImportRecord[] {
  if (!obj || typeof obj !== "object" || Array.isArray(obj) || !isChaiToolVideo(obj)) return [toImportRecord(obj, now, projectName)];
  try {
    return fromChaiToolVideo(obj, { projectName, now, person }).records;
  } catch (err) {
    if (err instanceof ChaiToolFormatError) throw new ChaiImportError(err.message);
    throw err;
  }
}

/** Each object's records, or the reason it has none, named by line (and aspect, for a tool video's tasks). */
async function* recordsOf(
  file: string,
  now: Date,
  projectName: string,
  person: (name: string) => string,
): AsyncGenerator<{ where: string; record: ImportRecord | ChaiImportError }> {
  for await (const { line, value } of readObjects(file)) {
    const where = `${path.basename(file)}:${line}`;
    let records: ImportRecord[];
    try {
      records = toImportRecords(value, now, projectName, person);
    } catch (err) {
      if (!(err instanceof ChaiImportError)) throw err;
      yield { where, record: err };
      continue;
    }
    const many = isChaiToolVideo(value as object);
    for (const record of records) yield { where: many ? `${where} ${record.aspect}` : where, record };
  }
}

/** The objects of a file: a JSON array, or JSON Lines (streamed, blank lines skipped). */
export async function* readObjects(file: string): AsyncGenerator<{ line: number; value: unknown }> {
  const handle = await fs.open(file, "r");
  let first = "";
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    first = buffer.subarray(0, bytesRead).toString("utf8").trimStart().slice(0, 1);
  } finally {
    await handle.close();
  }
  if (first === "[") {
    const stat = await fs.stat(file);
    if (stat.size > MAX_JSON_ARRAY_BYTES) {
      throw new ChaiImportError(`${file}: a JSON array over ${MAX_JSON_ARRAY_BYTES >> 20} MB; convert it to JSON Lines.`);
    }
    const parsed: unknown = JSON.parse(await fs.readFile(file, "utf8"));
    if (!Array.isArray(parsed)) throw new ChaiImportError(`${file}: not a JSON array.`);
    let i = 0;
    for (const value of parsed) yield { line: ++i, value };
    return;
  }
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  let n = 0;
  for await (const raw of lines) {
    n++;
    const line = n === 1 ? raw.replace(/^\uFEFF/, "") : raw;
    if (!line.trim()) continue;
    if (line.length > MAX_LINE_BYTES) throw new ChaiImportError(`${file}:${n}: line longer than ${MAX_LINE_BYTES >> 20} MB.`);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new ChaiImportError(`${file}:${n}: not JSON (${err instanceof Error ? err.message : String(err)}).`);
    }
    yield { line: n, value };
  }
}

export type ImportChaiOptions = {
  file: string;
  videosDir: string;
  /** Project for records that name none (released data) — or for all records when `forceProject`. */
  projectName?: string;
  forceProject?: boolean;
  now?: () => Date;
  log?: (line: string) => void;
};

export type ImportChaiSummary = { imported: number; skipped: number; failed: number; videosAdded: number };

/** The clip file a record names, inside DIR (never outside it); the bare file name is tried second. */
async function findClip(videosDir: string, video: string): Promise<string | null> {
  const root = path.resolve(videosDir);
  for (const candidate of [path.resolve(root, video), path.resolve(root, path.basename(video))]) {
    if (!isInside(root, candidate)) continue;
    const stat = await fs.stat(candidate).catch(() => null);
    if (stat?.isFile()) return candidate;
  }
  return null;
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Accounts for pseudonyms: inactive, unable to sign in, named by the pseudonym alone. */
class ImportedPeople {
  private readonly ids = new Map<string, string>();

  async idOf(tx: Db | Tx, pseudonym: string, role: "annotator" | "reviewer"): Promise<string> {
    const known = this.ids.get(pseudonym);
    if (known) return known;
    if (!isPseudonym(pseudonym)) throw new ChaiImportError(`"${pseudonym}" is not a pseudonymous person id.`);
    const email = `${pseudonym}@${IMPORTED_DOMAIN}`;
    await tx
      .insert(users)
      // "!" is no password hash: verifyPassword refuses it, so these accounts cannot sign in.
      .values({ email, displayName: pseudonym, role, passwordHash: "!", active: false })
      .onConflictDoNothing({ target: users.email });
    const [row] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
    if (!row) throw new Error(`could not create the imported person ${pseudonym}`);
    this.ids.set(pseudonym, row.id);
    return row.id;
  }

  /** Forgets ids made inside a transaction that rolled back. */
  reset(): void {
    this.ids.clear();
  }
}

const date = (s: string) => new Date(s);
const dateOrNull = (s: string | null) => (s ? new Date(s) : null);

/** Loads the records of FILE; a record that fails is reported and skipped, the others are kept. */
export async function importChai(db: Db, config: Config, opts: ImportChaiOptions): Promise<ImportChaiSummary> {
  const log = opts.log ?? (() => {});
  const now = (opts.now ?? (() => new Date()))();
  const defaultProject = opts.projectName ?? "Imported";
  const summary: ImportChaiSummary = { imported: 0, skipped: 0, failed: 0, videosAdded: 0 };
  const people = new ImportedPeople();
  const projectIds = new Map<string, string>();
  const dirStat = await fs.stat(opts.videosDir).catch(() => null);
  if (!dirStat?.isDirectory()) throw new ChaiImportError(`--videos ${opts.videosDir}: not a folder.`);

  // Names in the CHAI tool's files become pseudonyms under this install's secret (read only when one is met).
  let secret: Uint8Array | null = null;
  const toolPerson = (name: string) => pseudonymForText((secret ??= loadPseudonymSecret(config.dataDir)), name);

  for await (const { where, record: parsed } of recordsOf(opts.file, now, defaultProject, toolPerson)) {
    try {
      if (parsed instanceof ChaiImportError) throw parsed;
      const record = parsed;
      const projectName = opts.forceProject || !record.project ? defaultProject : record.project;
      const outcome = await db.transaction(async (tx) => {
        let projectId = projectIds.get(projectName);
        if (!projectId) {
          await tx.insert(projects).values({ name: projectName }).onConflictDoNothing({ target: projects.name });
          const [p] = await tx.select({ id: projects.id }).from(projects).where(eq(projects.name, projectName)).limit(1);
          if (!p) throw new Error(`could not create project ${projectName}`);
          projectId = p.id;
        }
        const clip = await clipFor(tx, config, opts.videosDir, record, projectId);
        const result = await insertRecord(tx, people, record, clip.id, projectId);
        return { ...result, projectId, videoCreated: clip.created };
      });
      projectIds.set(projectName, outcome.projectId);
      if (outcome.videoCreated) summary.videosAdded++;
      if (outcome.taskId) {
        summary.imported++;
        await audit(db, { actorId: null, action: "task.import", entityType: "task", entityId: outcome.taskId, data: { source: path.basename(opts.file) } });
      } else {
        summary.skipped++;
        log(`skipped   ${where}: already imported`);
      }
    } catch (err) {
      people.reset();
      if (!(err instanceof ChaiImportError || err instanceof ImportError)) throw err;
      summary.failed++;
      log(`failed    ${where}: ${err.message}`);
    }
  }
  log(`Done: ${summary.imported} records imported, ${summary.skipped} already present, ${summary.failed} failed, ${summary.videosAdded} clips added.`);
  return summary;
}

async function clipFor(tx: Tx, config: Config, videosDir: string, record: ImportRecord, projectId: string): Promise<{ id: string; created: boolean }> {
  if (record.video_sha256) {
    const [known] = await tx.select({ id: videos.id }).from(videos).where(eq(videos.sha256, record.video_sha256)).limit(1);
    if (known) return { id: known.id, created: false };
  }
  const file = await findClip(videosDir, record.video);
  if (!file) throw new ChaiImportError(`clip "${record.video}" not found in ${videosDir}.`);
  const { video, created } = await importVideo(tx, config, { file, projectId, sourceName: record.video_source });
  if (record.video_sha256 && video.sha256 !== record.video_sha256) {
    throw new ChaiImportError(`clip "${record.video}" has SHA-256 ${video.sha256}, the record expects ${record.video_sha256}.`);
  }
  return { id: video.id, created };
}

async function insertRecord(
  tx: Tx,
  people: ImportedPeople,
  r: ImportRecord,
  videoId: string,
  projectId: string,
): Promise<{ taskId: string | null }> {
  const createdAt = date(r.created_at);
  // The same record imported twice (same clip, aspect, annotator and creation time) is not duplicated.
  const annotatorId = r.annotator ? await people.idOf(tx, r.annotator, "annotator") : null;
  const same = await tx
    .select({ id: tasks.id, annotatorId: tasks.annotatorId })
    .from(tasks)
    // Released records carry no times of their own (they get the import's), so clip, aspect and author decide.
    .where(and(eq(tasks.videoId, videoId), eq(tasks.aspect, r.aspect), r.spec_version === RELEASE_SPEC_VERSION ? undefined : eq(tasks.createdAt, createdAt)));
  if (same.some((t) => t.annotatorId === annotatorId)) return { taskId: null };

  const reviewerOf = async (p: string) => people.idOf(tx, p, "reviewer");
  const lastReviewer = r.reviews.at(-1)?.reviewer;
  const [task] = await tx
    .insert(tasks)
    .values({
      projectId,
      videoId,
      aspect: r.aspect,
      stage: r.stage,
      annotatorId,
      reviewerId: lastReviewer ? await reviewerOf(lastReviewer) : null,
      specVersion: r.spec_version,
      score: r.score,
      captionFacts: r.facts,
      createdAt,
      updatedAt: createdAt,
      submittedAt: dateOrNull(r.submitted_at),
      reviewedAt: dateOrNull(r.reviewed_at),
    })
    .returning({ id: tasks.id });
  if (!task) throw new Error("task insert returned nothing");
  const taskId = task.id;

  // Critique items name their author by pseudonym in the file and by account id in the database.
  const items = async (list: CritiqueItem[]) =>
    Promise.all(list.map(async (i) => ({ ...i, createdBy: isPseudonym(i.createdBy) ? await people.idOf(tx, i.createdBy, "annotator") : i.createdBy })));

  for (const l of r.primitives) {
    await tx.insert(taskLabels).values({
      taskId,
      primitiveId: l.primitive_id,
      value: l.value,
      notSure: l.not_sure,
      timeStart: l.time_start,
      timeEnd: l.time_end,
      note: l.note,
      labelledBy: await people.idOf(tx, l.labelled_by, "annotator"),
      labelledAt: createdAt,
    });
  }
  if (r.pre_caption_model) {
    await tx.insert(drafts).values({ taskId, text: r.pre_caption, provider: r.pre_caption_model.provider, model: r.pre_caption_model.model, promptHash: "", createdAt });
  }
  for (const round of r.rounds) {
    await tx.insert(rounds).values({
      taskId,
      n: round.n,
      requestedBy: round.requested_by ? await people.idOf(tx, round.requested_by, "annotator") : null,
      status: round.status,
      critique: await items(round.critique_items),
      critiqueText: round.critique_text,
      postCaption: round.post_caption,
      provider: round.provider,
      model: round.model,
      promptHash: round.prompt_hash,
      startedAt: date(round.started_at),
      finishedAt: dateOrNull(round.finished_at),
    });
  }
  for (const v of r.negatives) {
    await tx.insert(taskVersions).values({
      taskId,
      authorId: await people.idOf(tx, v.author, v.author_role),
      authorRole: v.author_role,
      preCaption: v.pre_caption,
      score: v.score,
      critique: await items(v.critique.items),
      critiqueText: v.critique.text,
      polishedCritiqueText: v.critique.polished_text,
      postCaption: v.post_caption,
      negative: "rejected",
      provenance: v.provenance,
      createdAt: date(v.created_at),
    });
  }
  await tx.insert(taskVersions).values({
    taskId,
    authorId: await people.idOf(tx, r.author, r.author_role),
    authorRole: r.author_role,
    preCaption: r.pre_caption,
    score: r.score,
    critique: await items(r.critique.items),
    critiqueText: r.critique.text,
    polishedCritiqueText: r.critique.polished_text,
    postCaption: r.post_caption,
    negative: "no",
    provenance: r.provenance,
    createdAt: date(r.version_created_at),
  });
  for (const d of r.reviews) {
    await tx.insert(reviewDecisions).values({ taskId, reviewerId: await reviewerOf(d.reviewer), decision: d.verdict, note: d.note, createdAt: date(d.created_at) });
  }
  for (const [i, c] of r.catches.entries()) {
    await tx.insert(catches).values({
      taskId,
      reviewerId: await reviewerOf(c.reviewer),
      kind: c.kind,
      itemId: c.item_id,
      quote: c.quote,
      timeStart: c.time_start,
      timeEnd: c.time_end,
      note: c.note,
      // Unique per reviewer: the task id keeps imported catches apart.
      requestKey: `import:${taskId}:${i}`,
      status: c.status,
      createdAt: date(c.created_at),
    });
  }
  return { taskId };
}
