import { and, asc, eq, inArray } from "drizzle-orm";
import { audit } from "../audit";
import type { SessionUser } from "../auth/sessionUser";
import type { RoomRegistry } from "../collab/rooms";
import type { Config } from "../config";
import type { Database } from "../db";
import { projects, tasks, users, videos } from "../db/schema";
import { replaceFacts, replaceLabels } from "../labels/repository";
import { applyTransition, startDraft, type Loop } from "../loop";
import { decide, startReview } from "../review/decisions";
import { taskRoom } from "../../shared/collab/protocol";
import { ASPECTS, type Aspect } from "../../shared/domain";
import type { Stage } from "../../shared/domain/stages";
import { anchorFromTextRange, draftText, putCritiqueItem } from "../../shared/room/document";
import { DEMO_CLIPS_DIR, DEMO_PROJECT, readDemoManifest } from "./demo";
import { planCritique } from "./demoCritique";
import { demoCameraOf, demoFacts, demoLabels, type DemoCamera } from "./demoLabels";
import { withSeedLoop } from "./seedLoop";

/**
 * Real work in the demo tasks, made by the product's own loop: each task is replayed from labelling to the stage the
 * demo seed gave it — true labels and facts (subjects, setting), a rules-provider draft in the room, anchored critique items and a score, a
 * revision round, a submitted version, the reviewer's decision. Transient stages cannot be left standing (nothing
 * would finish them), so a task meant to be `drafting` ends in critiquing with a fresh draft and a task meant to be
 * `revising` ends in refining with its round done. Labelling tasks stay untouched, ready for a person.
 */

export type DemoWorkOptions = {
  /** Folder of the demo manifest (for each clip's camera behaviour); the committed clips by default. */
  clipsDir?: string;
  log?: (line: string) => void;
};

export type DemoWorkResult = { tasks: number; byStage: Partial<Record<Stage, number>>; ms: number };

const AFTER_DRAFT: readonly Stage[] = ["drafting", "critiquing", "revising", "refining", "submitted", "in_review", "approved", "rejected"];
const AFTER_CRITIQUE: readonly Stage[] = AFTER_DRAFT.filter((s) => s !== "drafting");
const AFTER_REVISION: readonly Stage[] = AFTER_CRITIQUE.filter((s) => s !== "critiquing");
const AFTER_SUBMIT: readonly Stage[] = ["submitted", "in_review", "approved", "rejected"];
const AFTER_START_REVIEW: readonly Stage[] = ["in_review", "approved", "rejected"];

/** Drafts read other aspects' captions (motion reads subject…): work the clip's aspects in spec order. */
const aspectRank = (a: Aspect) => ASPECTS.indexOf(a);

export async function seedDemoWork(config: Config, database: Database, opts: DemoWorkOptions = {}): Promise<DemoWorkResult> {
  const started = performance.now();
  const db = database.db;
  const manifest = await readDemoManifest(opts.clipsDir ?? DEMO_CLIPS_DIR);
  const cameraByTitle = new Map(manifest.clips.map((c) => [c.title, demoCameraOf(c.camera)]));

  const rows = await db
    .select({ id: tasks.id, stage: tasks.stage, aspect: tasks.aspect, annotatorId: tasks.annotatorId, reviewerId: tasks.reviewerId, title: videos.title, durationSec: videos.durationSec, createdAt: tasks.createdAt })
    .from(tasks)
    .innerJoin(projects, eq(projects.id, tasks.projectId))
    .innerJoin(videos, eq(videos.id, tasks.videoId))
    .where(and(eq(projects.name, DEMO_PROJECT), inArray(tasks.stage, AFTER_DRAFT)))
    .orderBy(asc(tasks.createdAt), asc(tasks.id));
  const people = await loadPeople(db, rows.flatMap((r) => [r.annotatorId, r.reviewerId]));

  const byStage: Partial<Record<Stage, number>> = {};
  // Clip by clip, in aspect order; in one transaction, on the process clock (seedLoop.ts).
  const ordered = [...rows].sort((a, b) => a.title.localeCompare(b.title) || aspectRank(a.aspect) - aspectRank(b.aspect));
  await withSeedLoop(config, database, { clock: () => new Date(), log: opts.log }, async (loop) => {
    for (const [n, row] of ordered.entries()) {
      const worker = row.annotatorId ? people.get(row.annotatorId) : undefined;
      if (!worker) continue;
      const reached = await replay(loop, {
        id: row.id,
        target: row.stage,
        aspect: row.aspect,
        camera: cameraByTitle.get(row.title) ?? "static",
        durationSec: row.durationSec ?? 4,
        worker,
        reviewer: row.reviewerId ? people.get(row.reviewerId) : undefined,
        n,
        createdAt: row.createdAt,
      });
      byStage[reached] = (byStage[reached] ?? 0) + 1;
    }
  });
  const ms = Math.round(performance.now() - started);
  opts.log?.(`[seed] Demo work replayed through the loop for ${rows.length} tasks in ${ms} ms.`);
  return { tasks: rows.length, byStage, ms };
}

type ReplayTask = {
  id: string;
  target: Stage;
  aspect: Aspect;
  camera: DemoCamera;
  durationSec: number;
  worker: SessionUser;
  reviewer: SessionUser | undefined;
  /** The task's place in the seed order: varies the number of critique items and the score. */
  n: number;
  createdAt: Date;
};

/** Replays one task from labelling to (at most) its target stage; returns the stage reached. */
async function replay(loop: Loop, t: ReplayTask): Promise<Stage> {
  const { db } = loop.deps;
  // The seed placed the task at its target; the work is redone from the start so every row is the loop's own.
  await db.update(tasks).set({ stage: "labelling", submittedAt: null, reviewedAt: null, score: null }).where(eq(tasks.id, t.id));

  const labels = demoLabels(t.aspect, t.camera, t.durationSec);
  await replaceLabels(db, t.id, labels, t.worker.id);
  await replaceFacts(db, t.id, demoFacts(t.camera));
  const { done } = await startDraft(loop.deps, t.id, { kind: "user", user: t.worker });
  const draft = await done;
  if (!draft.ok) throw new Error(`demo draft of task ${t.id} failed: ${draft.error}`);
  if (!AFTER_CRITIQUE.includes(t.target)) return "critiquing";

  // A minute after the task was created: stable for a given seed, and in the task's own timeline.
  const critiqueAt = new Date(t.createdAt.getTime() + 60_000);
  const written = (await writeDemoCritique(loop.deps.rooms, { ...t, workerId: t.worker.id }, 1 + (t.n % 3), critiqueAt)).length;
  const score = written > 1 ? 2 : 3;
  await db.update(tasks).set({ score, updatedAt: new Date() }).where(eq(tasks.id, t.id));
  await audit(db, { actorId: t.worker.id, action: "task.score", entityType: "task", entityId: t.id, data: { score, before: null } });
  if (!AFTER_REVISION.includes(t.target)) return "critiquing";

  const { roundId } = await loop.revisions.request(t.id, t.worker);
  const outcome = await loop.revisions.settled(roundId);
  if (outcome?.status !== "done") throw new Error(`demo revision of task ${t.id} did not finish: ${outcome?.status ?? "lost"}`);
  if (!AFTER_SUBMIT.includes(t.target)) return "refining";

  await applyTransition(loop.deps, t.id, "submit", { kind: "user", user: t.worker }, { expectedStage: "refining" });
  if (!AFTER_START_REVIEW.includes(t.target) || !t.reviewer) return "submitted";

  await startReview(loop.deps, t.reviewer, t.id);
  if (t.target === "in_review") return "in_review";
  const approve = t.target === "approved";
  await decide(
    loop.deps,
    t.reviewer,
    t.id,
    approve ? "approve" : "reject_and_redo",
    approve ? "Labels and caption match the clip." : "The critique leaves out what the clip shows: redo it and add the missing details.",
  );
  return t.target;
}

/** The task a demo critique is written on, and by whom. */
export type CritiqueTarget = { id: string; aspect: Aspect; camera: DemoCamera; durationSec: number; workerId: string };

/**
 * Up to `max` critique items anchored to the draft in the room, as a person would write them (written `at`); the
 * first `skip` planned items are left out (they are in the room already). Returns the ids of the items written.
 */
export async function writeDemoCritique(rooms: RoomRegistry, t: CritiqueTarget, max: number, at: Date, skip = 0): Promise<string[]> {
  return rooms.withDoc(taskRoom(t.id), (doc) => {
    const text = draftText(doc);
    const planned = planCritique(text, t.aspect, t.camera, skip + max).slice(skip);
    return planned.map((item, k) => {
      const from = text.indexOf(item.quote);
      const id = `demo-${t.id.slice(0, 8)}-${skip + k + 1}`;
      putCritiqueItem(doc, {
        id,
        errorType: item.errorType,
        primitiveId: null,
        what: item.what,
        fix: item.fix,
        anchor: anchorFromTextRange(doc, from, from + item.quote.length),
        timeStart: 0,
        timeEnd: t.durationSec,
        createdBy: t.workerId,
        createdAt: at.toISOString(),
      });
      return id;
    });
  });
}

async function loadPeople(db: Database["db"], ids: (string | null)[]): Promise<Map<string, SessionUser>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, email: users.email, displayName: users.displayName, role: users.role })
    .from(users)
    .where(inArray(users.id, wanted));
  return new Map(rows.map((u) => [u.id, u]));
}
