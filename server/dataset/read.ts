import { and, asc, eq, gt, inArray, notExists, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { Db } from "../db/index";
import {
  catches,
  drafts,
  goldScores,
  projects,
  reviewDecisions,
  rounds,
  taskLabels,
  tasks,
  taskVersions,
  users,
  videos,
} from "../db/schema/index";
import { ASPECTS } from "../../shared/domain";
import { parseStoredItems } from "../../shared/critique/stored";
import type { ExportStatus } from "../../shared/dataset/formats";
import type { Stage } from "../../shared/domain/stages";

/**
 * Reads everything the export needs, a batch of clips at a time: keyset pagination over videos.sha256 (unique,
 * indexed), then the tasks of those clips and their versions, rounds, labels, reviews, catches and drafts in one
 * query each. Memory holds one batch, whatever the size of the database.
 */

export type TaskRow = typeof tasks.$inferSelect;
export type VideoRow = Pick<typeof videos.$inferSelect, "id" | "sha256" | "storage" | "path" | "projectId" | "sourceName">;
export type VersionRow = typeof taskVersions.$inferSelect;
export type RoundRow = typeof rounds.$inferSelect;
export type LabelRow = typeof taskLabels.$inferSelect;
export type DecisionRow = typeof reviewDecisions.$inferSelect;
export type CatchRow = typeof catches.$inferSelect;
export type PersonRow = { id: string; email: string };

export type TaskBundle = {
  task: TaskRow;
  video: VideoRow;
  projectName: string;
  /** Oldest first. */
  versions: VersionRow[];
  rounds: RoundRow[];
  labels: LabelRow[];
  reviews: DecisionRow[];
  catches: CatchRow[];
  /** The latest model draft's provider and model. */
  draft: { provider: string; model: string } | null;
};

export type ReadOptions = {
  status: ExportStatus;
  projectName?: string;
  /** Clips per batch. */
  batchSize?: number;
  /** Called once per batch read (progress, and tests that check the export reads in batches). */
  onBatch?: (info: { videos: number; tasks: number }) => void;
};

/** 100 clips (about 500 tasks): the live set stays small, so the heap V8 lets grow around it does too. */
export const DEFAULT_BATCH_VIDEOS = 100;

const STAGES_FOR: Record<ExportStatus, readonly Stage[] | null> = {
  approved: ["approved"],
  submitted: ["submitted", "in_review", "approved"],
  all: null,
};

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const time = (d: Date | null) => (d ? d.getTime() : 0);

/**
 * Rows of one task sorted by time, ties broken by their content (never by a random id), so an import — where ids
 * differ — reads back in the same order.
 */
function byTimeThenContent<T>(at: (r: T) => Date | null, key: (r: T) => string) {
  return (a: T, b: T) => time(at(a)) - time(at(b)) || compareText(key(a), key(b));
}

const aspectOrder = new Map<string, number>(ASPECTS.map((a, i) => [a, i]));

function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/** Task conditions of the export: status, project, and no gold answer keys or exam attempts (they are tests). */
function taskFilter(status: ExportStatus, projectId: string | null): SQL {
  const stages = STAGES_FOR[status];
  const conds: SQL[] = [
    eq(tasks.isGold, false),
    notExists(sql`(select 1 from ${goldScores} where ${goldScores.taskId} = ${tasks.id})`),
  ];
  if (stages) conds.push(inArray(tasks.stage, [...stages]));
  if (projectId) conds.push(eq(tasks.projectId, projectId));
  const all = and(...conds);
  if (!all) throw new Error("empty task filter");
  return all;
}

export class ExportReadError extends Error {}

/** The tasks of the export with their clip and history, batch by batch, in (clip sha256, aspect, created) order. */
export async function* readTaskBundles(db: Db, opts: ReadOptions): AsyncGenerator<TaskBundle[]> {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_VIDEOS;
  let projectId: string | null = null;
  if (opts.projectName !== undefined) {
    const [p] = await db.select({ id: projects.id }).from(projects).where(eq(projects.name, opts.projectName)).limit(1);
    if (!p) throw new ExportReadError(`No project named "${opts.projectName}".`);
    projectId = p.id;
  }
  const projectNames = new Map<string, string>();
  const filter = taskFilter(opts.status, projectId);
  let after = "";
  for (;;) {
    const clipRows: VideoRow[] = await db
      .select({ id: videos.id, sha256: videos.sha256, storage: videos.storage, path: videos.path, projectId: videos.projectId, sourceName: videos.sourceName })
      .from(videos)
      .where(
        and(
          gt(videos.sha256, after),
          sql`exists (select 1 from ${tasks} where ${tasks.videoId} = ${videos.id} and ${filter})`,
        ),
      )
      .orderBy(asc(videos.sha256))
      .limit(batchSize);
    if (clipRows.length === 0) return;
    after = clipRows[clipRows.length - 1]!.sha256;

    const videoById = new Map(clipRows.map((v) => [v.id, v]));
    // The batch is a contiguous range of sha256: children are selected by that range (two parameters), not by
    // a list of thousands of task ids.
    const first = clipRows[0]!.sha256;
    const inBatch = and(
      sql`${tasks.videoId} in (select ${videos.id} from ${videos} where ${videos.sha256} >= ${first} and ${videos.sha256} <= ${after})`,
      filter,
    );
    const taskRows = await db.select().from(tasks).where(inBatch);
    opts.onBatch?.({ videos: clipRows.length, tasks: taskRows.length });
    if (taskRows.length === 0) continue;
    const ofBatch = (taskId: AnyColumn) => sql`${taskId} in (select ${tasks.id} from ${tasks} where ${inBatch})`;

    const [versionRows, roundRows, labelRows, decisionRows, catchRows, draftRows] = await Promise.all([
      db.select().from(taskVersions).where(ofBatch(taskVersions.taskId)),
      db.select().from(rounds).where(ofBatch(rounds.taskId)),
      db.select().from(taskLabels).where(ofBatch(taskLabels.taskId)),
      db.select().from(reviewDecisions).where(ofBatch(reviewDecisions.taskId)),
      db.select().from(catches).where(ofBatch(catches.taskId)),
      db
        .select({ taskId: drafts.taskId, provider: drafts.provider, model: drafts.model, createdAt: drafts.createdAt })
        .from(drafts)
        .where(ofBatch(drafts.taskId)),
    ]);

    const missingProjects = [...new Set(taskRows.map((t) => t.projectId))].filter((id) => !projectNames.has(id));
    if (missingProjects.length > 0) {
      for (const p of await db.select({ id: projects.id, name: projects.name }).from(projects).where(inArray(projects.id, missingProjects))) {
        projectNames.set(p.id, p.name);
      }
    }

    const versionsOf = groupBy(versionRows, (r) => r.taskId);
    const roundsOf = groupBy(roundRows, (r) => r.taskId);
    const labelsOf = groupBy(labelRows, (r) => r.taskId);
    const decisionsOf = groupBy(decisionRows, (r) => r.taskId);
    const catchesOf = groupBy(catchRows, (r) => r.taskId);
    const draftsOf = groupBy(draftRows, (r) => r.taskId);

    const bundles: TaskBundle[] = taskRows.map((task) => {
      const video = videoById.get(task.videoId);
      if (!video) throw new Error(`task ${task.id}: clip not in batch`);
      const latestDraft = (draftsOf.get(task.id) ?? []).sort(
        byTimeThenContent((d) => d.createdAt, (d) => `${d.provider}\u0000${d.model}`),
      ).at(-1);
      return {
        task,
        video,
        projectName: projectNames.get(task.projectId) ?? "",
        versions: (versionsOf.get(task.id) ?? []).sort(
          byTimeThenContent((v) => v.createdAt, (v) => `${v.negative}\u0000${v.authorRole}\u0000${v.postCaption}`),
        ),
        rounds: (roundsOf.get(task.id) ?? []).sort((a, b) => a.n - b.n),
        labels: (labelsOf.get(task.id) ?? []).sort((a, b) => compareText(a.primitiveId, b.primitiveId)),
        reviews: (decisionsOf.get(task.id) ?? []).sort(byTimeThenContent((d) => d.createdAt, (d) => `${d.decision}\u0000${d.note}`)),
        catches: (catchesOf.get(task.id) ?? []).sort(
          byTimeThenContent((c) => c.createdAt, (c) => `${c.kind}\u0000${c.itemId ?? ""}\u0000${c.note}\u0000${c.quote ?? ""}`),
        ),
        draft: latestDraft ? { provider: latestDraft.provider, model: latestDraft.model } : null,
      };
    });
    bundles.sort(
      (a, b) =>
        compareText(a.video.sha256, b.video.sha256) ||
        (aspectOrder.get(a.task.aspect) ?? 9) - (aspectOrder.get(b.task.aspect) ?? 9) ||
        time(a.task.createdAt) - time(b.task.createdAt) ||
        compareText(a.versions.at(-1)?.postCaption ?? "", b.versions.at(-1)?.postCaption ?? ""),
    );
    yield bundles;
  }
}

/** People by id, fetched as needed and kept for the whole export (bounded by the number of accounts). */
export class PeopleCache {
  private readonly known = new Map<string, PersonRow>();
  constructor(private readonly db: Db) {}

  async load(ids: Iterable<string>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => UUID.test(id) && !this.known.has(id));
    for (let i = 0; i < missing.length; i += 1000) {
      const rows = await this.db
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(inArray(users.id, missing.slice(i, i + 1000)));
      for (const r of rows) this.known.set(r.id, r);
    }
  }

  get(id: string): PersonRow | undefined {
    return this.known.get(id);
  }
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every user id a batch refers to (including critique item authors that are user ids). */
export function peopleOf(bundles: TaskBundle[]): string[] {
  const ids: string[] = [];
  // The items the record will carry (./chaiRecord.ts parses them the same way).
  const items = (stored: unknown) => {
    for (const i of parseStoredItems(stored)) ids.push(i.createdBy);
  };
  for (const b of bundles) {
    if (b.task.annotatorId) ids.push(b.task.annotatorId);
    for (const v of b.versions) {
      ids.push(v.authorId);
      items(v.critique);
    }
    for (const r of b.rounds) {
      if (r.requestedBy) ids.push(r.requestedBy);
      items(r.critique);
    }
    for (const l of b.labels) ids.push(l.labelledBy);
    for (const d of b.reviews) ids.push(d.reviewerId);
    for (const c of b.catches) ids.push(c.reviewerId);
  }
  return ids;
}
