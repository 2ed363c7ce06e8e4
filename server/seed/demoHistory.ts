import { and, asc, eq, inArray } from "drizzle-orm";
import { audit } from "../audit";
import { hashPassword } from "../auth/password";
import type { SessionUser } from "../auth/sessionUser";
import type { Config } from "../config";
import type { Database, Db } from "../db";
import { projects, tasks, users, videos } from "../db/schema";
import { replaceFacts, replaceLabels } from "../labels/repository";
import { applyTransition, startDraft, type Loop } from "../loop";
import { recordCatch } from "../review/catches";
import { decide, startReview } from "../review/decisions";
import { disputeCatch, resolveDispute } from "../review/disputes";
import type { Role } from "../../shared/domain";
import { DEMO_CLIPS_DIR, DEMO_PASSWORD, DEMO_PROJECT, readDemoManifest } from "./demo";
import { HISTORY_WEEKS, planHistory, type HistoryJob, type PlannedCatch } from "./demoHistoryPlan";
import { demoCameraOf, demoFacts, demoLabels, type DemoCamera } from "./demoLabels";
import { writeDemoCritique, type CritiqueTarget } from "./demoWork";
import { withSeedLoop } from "./seedLoop";

/**
 * Eight weeks of the demo team's past work (demoHistoryPlan.ts), replayed through the product's own services on a
 * simulated clock: labels saved, drafts, critique, revision rounds, submissions, reviews with catches, rejections
 * redone, disputes and their rulings, payments. Every row carries the time the plan gives it, so the lead's
 * dashboard shows trends rather than one day. Runs once, right after the demo is seeded.
 * The whole history is one transaction (seedLoop.ts): it is there entirely or not at all.
 */

/** People of the history besides the demo accounts of DESIGN.md; same demo password. */
export const HISTORY_PEOPLE: readonly { key: string; email: string; displayName: string; role: Role }[] = [
  { key: "newcomer", email: "newcomer@demo.test", displayName: "Nia Newcomer", role: "annotator" },
  { key: "reviewer2", email: "reviewer2@demo.test", displayName: "Raj Reviewer", role: "reviewer" },
];

export type DemoHistoryOptions = {
  clipsDir?: string;
  /** The present the history ends at (tests pin it). */
  now?: Date;
  log?: (line: string) => void;
  /** The server already answers people: rest between transactions so their requests get the connection too. */
  shareConnection?: boolean;
};

export type DemoHistoryResult = { tasks: number; taskIds: string[]; catches: number; disputes: number; redone: number; ms: number };

type Clip = { videoId: string; camera: DemoCamera; durationSec: number };

/** The audit action written first by the history: its presence means the history is there (server/seed/onStart.ts). */
export const DEMO_HISTORY_MARK = "demo.history";

/**
 * Tasks replayed per transaction: each holds the embedded database for a few hundred milliseconds at most, and the
 * history then rests as long as it worked, so the requests of people already signing in get their turns. The mark
 * is written with the tasks, first: a start stopped while the history is written leaves part of it, never a second
 * copy.
 */
const JOBS_PER_TRANSACTION = 3;

export async function seedDemoHistory(config: Config, database: Database, opts: DemoHistoryOptions = {}): Promise<DemoHistoryResult> {
  const started = performance.now();
  const now = opts.now ?? new Date();
  const manifest = await readDemoManifest(opts.clipsDir ?? DEMO_CLIPS_DIR);

  const jobs = planHistory(now, manifest.clips.length);
  const first = jobs[0]?.createdAt ?? now;
  const clock = { at: first };
  const seedOpts = { clock: () => clock.at, log: opts.log };
  // First the tasks and the history's mark, then the work in small transactions: on the embedded database a
  // transaction holds the only connection, and the server already answers people while the history is written.
  const setup = await withSeedLoop(config, database, seedOpts, async (loop) => {
    const tx = loop.deps.db;
    const [project] = await tx.select().from(projects).where(eq(projects.name, DEMO_PROJECT)).limit(1);
    if (!project) throw new Error("the demo project is missing: seed the demo first");
    const clips = await demoClips(tx, project.id, manifest.clips.map((c) => ({ title: c.title, camera: demoCameraOf(c.camera) })));
    if (clips.length !== manifest.clips.length) throw new Error("the demo project lacks some of the demo clips");
    const people = await historyPeople(tx);
    // The spec version the demo's tasks were made under.
    const [sample] = await tx.select({ specVersion: tasks.specVersion }).from(tasks).where(eq(tasks.projectId, project.id)).limit(1);

    const rows = await tx
      .insert(tasks)
      .values(
        jobs.map((j) => ({
          projectId: project.id,
          videoId: clips[j.clip]?.videoId ?? "",
          aspect: j.aspect,
          stage: "labelling" as const,
          annotatorId: person(people, j.worker).id,
          specVersion: sample?.specVersion ?? "demo",
          createdAt: j.createdAt,
          updatedAt: j.createdAt,
        })),
      )
      .returning({ id: tasks.id });
    await audit(tx, { actorId: null, action: DEMO_HISTORY_MARK, entityType: "project", entityId: project.id, data: { tasks: rows.length, from: first.toISOString() }, at: first });

    return { rows, clips, people };
  });
  const { rows, clips, people } = setup;
  const tally = { catches: 0, disputes: 0, redone: 0 };
  for (let start = 0; start < jobs.length; start += JOBS_PER_TRANSACTION) {
    const chunkStarted = performance.now();
    await withSeedLoop(config, database, seedOpts, async (loop) => {
      for (const [i, job] of jobs.entries()) {
        if (i < start || i >= start + JOBS_PER_TRANSACTION) continue;
        const id = rows[i]?.id;
        const clip = clips[job.clip];
        if (!id || !clip) throw new Error("history task missing");
        await replayJob(loop, clock, people, { id, job, clip }, tally);
      }
    });
    if (opts.shareConnection) await rest(performance.now() - chunkStarted);
  }
  const out = { tasks: rows.length, taskIds: rows.map((r) => r.id), ...tally };
  const ms = Math.round(performance.now() - started);
  opts.log?.(`[seed] Demo history: ${out.tasks} tasks over ${HISTORY_WEEKS} weeks, ${out.catches} catches, ${out.disputes} disputes, ${out.redone} redone, in ${ms} ms.`);
  return { ...out, ms };
}

const rest = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 500)));

type People = Map<string, SessionUser>;

const person = (people: People, key: string): SessionUser => {
  const p = people.get(key);
  if (!p) throw new Error(`demo person ${key} missing`);
  return p;
};

/**
 * The demo accounts by key (the part of the email before @), with the history's extra people added. They share the
 * demo password: its hash is the admin's (the salt is in the hash), which spares a slow key derivation.
 */
async function historyPeople(tx: Db): Promise<People> {
  const [admin] = await tx.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.email, "admin@demo.test")).limit(1);
  const passwordHash = admin?.passwordHash ?? (await hashPassword(DEMO_PASSWORD));
  await tx
    .insert(users)
    .values(HISTORY_PEOPLE.map((p) => ({ email: p.email, displayName: p.displayName, role: p.role, passwordHash })))
    .onConflictDoNothing();
  const rows = await tx.select({ id: users.id, email: users.email, displayName: users.displayName, role: users.role }).from(users);
  return new Map(rows.filter((u) => u.email.endsWith("@demo.test")).map((u) => [u.email.slice(0, u.email.indexOf("@")), u]));
}

/** The demo project's clips in manifest order. */
async function demoClips(tx: Db, projectId: string, manifest: { title: string; camera: DemoCamera }[]): Promise<Clip[]> {
  const rows = await tx
    .select({ id: videos.id, title: videos.title, durationSec: videos.durationSec })
    .from(videos)
    .where(and(eq(videos.projectId, projectId), inArray(videos.title, manifest.map((c) => c.title))))
    .orderBy(asc(videos.title));
  return manifest.flatMap((c) => {
    const v = rows.find((r) => r.title === c.title);
    return v ? [{ videoId: v.id, camera: c.camera, durationSec: v.durationSec ?? 4 }] : [];
  });
}

type Tally = { catches: number; disputes: number; redone: number };
type Clock = { at: Date };

/** One job, step by step, each step at its planned time. */
async function replayJob(loop: Loop, clock: Clock, people: People, t: { id: string; job: HistoryJob; clip: Clip }, tally: Tally): Promise<void> {
  const { deps } = loop;
  const { job, clip } = t;
  const worker = person(people, job.worker);
  const reviewer = person(people, job.reviewer);
  const target: CritiqueTarget = { id: t.id, aspect: job.aspect, camera: clip.camera, durationSec: clip.durationSec, workerId: worker.id };
  const at = (d: Date) => {
    clock.at = d;
  };

  at(job.labelledAt);
  await replaceLabels(deps.db, t.id, demoLabels(job.aspect, clip.camera, clip.durationSec), worker.id, job.labelledAt);
  await replaceFacts(deps.db, t.id, demoFacts(clip.camera));
  const draft = await (await startDraft(deps, t.id, { kind: "user", user: worker })).done;
  if (!draft.ok) throw new Error(`history draft of task ${t.id} failed: ${draft.error}`);

  at(job.critiquedAt);
  const items = await writeDemoCritique(deps.rooms, target, job.items, job.critiquedAt);
  await scoreDraft(deps.db, t.id, worker.id, job.score, job.critiquedAt);
  await revise(loop, t.id, worker, job.revisedAt, clock);
  at(job.submittedAt);
  await applyTransition(deps, t.id, "submit", { kind: "user", user: worker }, { expectedStage: "refining" });

  at(job.reviewStartedAt);
  await startReview(deps, reviewer, t.id);
  const recorded: { id: string; c: PlannedCatch }[] = [];
  for (const [k, c] of job.catches.entries()) {
    at(c.at);
    const itemId = items[c.item % Math.max(1, items.length)];
    const needsItem = c.kind === "false_flag" || c.kind === "non_constructive";
    if (needsItem && !itemId) continue;
    const { view } = await recordCatch(deps, reviewer, t.id, catchRequest(t.id, k, c, needsItem ? itemId : undefined, clip.durationSec), c.at);
    recorded.push({ id: view.id, c });
  }
  tally.catches += recorded.length;

  at(job.decidedAt);
  const note = job.decision === "approve" ? "Labels and caption match the clip." : "Too much is wrong or missing: see the catches, and critique what they found.";
  await decide(deps, reviewer, t.id, job.decision, note, job.decidedAt);

  if (job.redo) {
    // The annotator reads the reason and redoes the critique on the same draft; the same reviewer approves it.
    const r = job.redo;
    at(r.critiquedAt);
    await applyTransition(deps, t.id, "redo", { kind: "user", user: worker }, { expectedStage: "rejected" });
    await writeDemoCritique(deps.rooms, target, 1, r.critiquedAt, items.length);
    await revise(loop, t.id, worker, r.revisedAt, clock);
    at(r.submittedAt);
    await applyTransition(deps, t.id, "submit", { kind: "user", user: worker }, { expectedStage: "refining" });
    at(r.reviewStartedAt);
    await startReview(deps, reviewer, t.id);
    at(r.decidedAt);
    await decide(deps, reviewer, t.id, "approve", "The redone critique covers what was missing.", r.decidedAt);
    tally.redone++;
  }

  // Disputes come after the review, in time order with it: the worker disputes, a lead rules.
  const lead = person(people, "lead");
  for (const { id, c } of recorded) {
    if (!c.dispute) continue;
    at(c.dispute.at);
    await disputeCatch(deps, worker, id, disputeReason(c), c.dispute.at);
    tally.disputes++;
    const { resolveAt } = c.dispute;
    if (resolveAt) {
      at(resolveAt);
      const verdict = c.dispute.outcome === "upheld" ? "The reviewer is right: the clip shows it." : "The critique did cover this; the catch is withdrawn.";
      await resolveDispute(deps, lead, id, c.dispute.outcome, verdict, resolveAt);
    }
  }
}

/** The worker's score of the draft, as the score route records it. */
async function scoreDraft(db: Db, taskId: string, workerId: string, score: number, at: Date): Promise<void> {
  await db.update(tasks).set({ score, updatedAt: at }).where(eq(tasks.id, taskId));
  await audit(db, { actorId: workerId, action: "task.score", entityType: "task", entityId: taskId, data: { score, before: null }, at });
}

/** A revision round requested at `at`, awaited to its end (the rules provider answers at once). */
async function revise(loop: Loop, taskId: string, user: SessionUser, at: Date, clock: Clock): Promise<void> {
  clock.at = at;
  const { roundId } = await loop.revisions.request(taskId, user);
  const outcome = await loop.revisions.settled(roundId);
  if (outcome?.status !== "done") throw new Error(`history revision of task ${taskId} did not finish: ${outcome?.status ?? "lost"}`);
}

const CATCH_NOTES: Record<PlannedCatch["kind"], string> = {
  false_flag: "This item flags something the draft gets right.",
  missed_error: "The draft's description of the motion is wrong here, and the critique does not say so.",
  residual_error: "The post-caption still says something the critique asked to correct.",
  non_constructive: "The item says what is wrong but not how to fix it.",
};

function catchRequest(taskId: string, k: number, c: PlannedCatch, itemId: string | undefined, durationSec: number) {
  const start = Math.min(durationSec, (k % 4) * 0.8);
  return {
    requestKey: `history-${taskId}-${k}`,
    kind: c.kind,
    ...(itemId ? { itemId } : {}),
    ...(c.kind === "missed_error" || c.kind === "residual_error" ? { timeStart: start, timeEnd: Math.min(durationSec, start + 1) } : {}),
    note: CATCH_NOTES[c.kind],
  };
}

const disputeReason = (c: PlannedCatch) =>
  c.kind === "false_flag" ? "The item is right: the clip shows exactly what it says." : "The critique's second item already covers this.";
