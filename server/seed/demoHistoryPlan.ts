import { ASPECTS, type Aspect, type CatchKind } from "../../shared/domain";

/**
 * The plan of the demo's past: eight weeks of work by the demo team, as a list of jobs with the simulated times of
 * every step. Pure and seeded, so the same `now` always gives the same history (tests assert on it); the executor
 * (demoHistory.ts) replays each job through the product's own services at those times.
 *
 * The story: Ada is steady and careful; Ben is good and gets a little better; Nia joined the team eight weeks ago,
 * new to the work, and her precision and recall climb from weak to good as she takes on more. Rae and Raj review;
 * a rejected task is redone by its annotator, who resubmits it, and its reviewer then approves it. More work on Mondays than on
 * Fridays, almost none at weekends.
 */

export const HISTORY_WEEKS = 8;
const DAY = 86_400_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export type HistoryWorker = "annotator" | "annotator2" | "newcomer";
export type HistoryReviewer = "reviewer" | "reviewer2";
export const HISTORY_REVIEWERS: readonly HistoryReviewer[] = ["reviewer", "reviewer2"];

export type PlannedCatch = {
  kind: CatchKind;
  at: Date;
  /** Which of the reviewed critique's items (by position) an item catch names. */
  item: number;
  /** The worker disputes it at `at`; a lead rules at `resolveAt` (left open when that is still to come). */
  dispute?: { at: Date; resolveAt: Date | null; outcome: "upheld" | "overturned" };
};

export type HistoryJob = {
  worker: HistoryWorker;
  reviewer: HistoryReviewer;
  /** Index into the demo manifest's clips. */
  clip: number;
  aspect: Aspect;
  createdAt: Date;
  labelledAt: Date;
  critiquedAt: Date;
  revisedAt: Date;
  submittedAt: Date;
  reviewStartedAt: Date;
  catches: PlannedCatch[];
  decidedAt: Date;
  /** Most critique items the worker writes (the draft may offer fewer). */
  items: number;
  /** The worker's score of the draft (below 5: there is critique to write). */
  score: number;
  decision: "approve" | "reject_and_redo";
  /** After a rejection: the annotator redoes the work and resubmits it, and the same reviewer approves it. */
  redo: { critiquedAt: Date; revisedAt: Date; submittedAt: Date; reviewStartedAt: Date; decidedAt: Date } | null;
};

/** mulberry32: a small, well-mixed seeded generator. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Tasks the team submits on a weekday (Sunday = 0), on average. Kept small: every task is replayed through the real
 * services at start-up, and `npm start` must stay quick.
 */
const WEEKDAY_PACE = [0, 1.9, 1.6, 1.4, 1.2, 0.8, 0.15];

type WorkerProfile = {
  /** Their share of the team's work, by week of the history (0 = the first). */
  share: (week: number) => number;
  /** 0–1: how rarely the reviewer finds something wrong, by week of the history (0 = the first). */
  skill: (week: number) => number;
  /**
   * Aspects they work on in the history. Ada's camera tasks are left to the others: the browser tests take "Ada's
   * camera task" to be one of the present-day demo tasks.
   */
  aspects: readonly Aspect[];
};

const PROFILES: Record<HistoryWorker, WorkerProfile> = {
  annotator: { share: () => 1, skill: () => 0.86, aspects: ASPECTS.filter((a) => a !== "camera") },
  annotator2: { share: () => 0.9, skill: (w) => 0.62 + 0.025 * w, aspects: ASPECTS },
  newcomer: { share: (w) => 0.6 + 0.07 * w, skill: (w) => 0.25 + 0.095 * w, aspects: ASPECTS },
};
const WORKERS = Object.keys(PROFILES) as HistoryWorker[];

const utcMidnight = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());

/**
 * The history ending at `now`: the HISTORY_WEEKS × 7 days before today (UTC), every step before `now`. `clips` is how
 * many demo clips there are to work on.
 */
export function planHistory(now: Date, clips: number, seed = 13): HistoryJob[] {
  const rnd = seededRandom(seed);
  const between = (lo: number, hi: number) => lo + (hi - lo) * rnd();
  const today = utcMidnight(now);
  const first = today - HISTORY_WEEKS * 7 * DAY;
  // Nothing in the history may reach the present day's demo work.
  const cutoff = Math.min(today, now.getTime() - HOUR);
  /** The next working hour at or after t (weekdays 9:00–17:00 UTC). */
  const workingAt = (t: number): number => {
    let d = new Date(t);
    for (let i = 0; i < 10; i++) {
      const wd = d.getUTCDay();
      const h = d.getUTCHours();
      if (wd === 0 || wd === 6 || h >= 17) d = new Date(utcMidnight(d) + DAY + 9 * HOUR);
      else if (h < 9) d = new Date(utcMidnight(d) + 9 * HOUR);
      else return d.getTime();
    }
    return d.getTime();
  };
  /** A review some hours after t, on working time, or soon after t when that would be today already. */
  const reviewAfter = (t: number) => {
    const at = workingAt(t + between(1, 20) * HOUR);
    return at < cutoff ? at : t + between(20, 60) * MINUTE;
  };

  const next: Record<HistoryWorker, number> = { annotator: 0, annotator2: 11, newcomer: 23 };
  /** Who takes the next task: the one furthest behind their share of the work so far. */
  const done: Record<HistoryWorker, number> = { annotator: 0, annotator2: 0, newcomer: 0 };
  const jobs: HistoryJob[] = [];
  for (let day = first; day < today; day += DAY) {
    const week = Math.floor((day - first) / (7 * DAY));
    const count = Math.floor((WEEKDAY_PACE[new Date(day).getUTCDay()] ?? 0) + rnd());
    const start: Record<HistoryWorker, number> = { annotator: 0, annotator2: 0, newcomer: 0 };
    for (let i = 0; i < count; i++) {
      const worker = WORKERS.reduce((a, b) => (done[b] / PROFILES[b].share(week) < done[a] / PROFILES[a].share(week) ? b : a));
      done[worker]++;
      const profile = PROFILES[worker];
      {
        // A person's tasks of the day start through the morning and early afternoon, one after the other.
        const t = start[worker] || day + between(8, 10.5) * HOUR;
        const pair = next[worker]++;
        const aspect = profile.aspects[pair % profile.aspects.length] ?? "subject";
        const clip = Math.floor(pair / profile.aspects.length) % clips;
        const skill = Math.min(0.95, profile.skill(week));
        const createdAt = t;
        const labelledAt = createdAt + between(8, 25) * MINUTE;
        const critiquedAt = labelledAt + between(6, 20) * MINUTE;
        const revisedAt = critiquedAt + between(1, 4) * MINUTE;
        const submittedAt = revisedAt + between(3, 12) * MINUTE;
        const reviewStartedAt = reviewAfter(submittedAt);
        const items = 1 + Math.floor(rnd() * 3);

        let c = reviewStartedAt;
        const catches: PlannedCatch[] = [];
        const add = (kind: CatchKind, p: number) => {
          if (rnd() >= p) return;
          c += between(2, 8) * MINUTE;
          catches.push({ kind, at: new Date(c), item: Math.floor(rnd() * 3) });
        };
        for (let k = 0; k < items; k++) add("false_flag", (1 - skill) * 0.5);
        add("missed_error", 0.1 + (1 - skill) * 0.9);
        add("missed_error", (1 - skill) * 0.3);
        add("residual_error", 0.06 + (1 - skill) * 0.12);
        add("non_constructive", (1 - skill) * 0.12);
        const decidedAt = c + between(2, 6) * MINUTE;
        const reject = catches.length >= 3 || rnd() < (1 - skill) * 0.2;
        for (const k of catches) {
          // Now and then the worker disputes a catch (within the window), and a lead rules a day or so later.
          if (rnd() >= 0.12) continue;
          const disputeAt = workingAt(k.at.getTime() + between(1, 20) * HOUR);
          if (disputeAt >= cutoff || disputeAt > k.at.getTime() + 70 * HOUR) continue;
          const resolveAt = workingAt(disputeAt + between(4, 30) * HOUR);
          k.dispute = { at: new Date(disputeAt), resolveAt: resolveAt < cutoff ? new Date(resolveAt) : null, outcome: rnd() < 0.6 ? "upheld" : "overturned" };
        }

        let redo: HistoryJob["redo"] = null;
        if (reject) {
          const rc = decidedAt + between(5, 40) * MINUTE;
          const rr = rc + between(1, 3) * MINUTE;
          const rs = rr + between(3, 8) * MINUTE;
          const again = reviewAfter(rs);
          redo = { critiquedAt: new Date(rc), revisedAt: new Date(rr), submittedAt: new Date(rs), reviewStartedAt: new Date(again), decidedAt: new Date(again + between(3, 10) * MINUTE) };
        }
        jobs.push({
          worker,
          reviewer: HISTORY_REVIEWERS[pair % 2] ?? "reviewer",
          clip,
          aspect,
          createdAt: new Date(createdAt),
          labelledAt: new Date(labelledAt),
          critiquedAt: new Date(critiquedAt),
          revisedAt: new Date(revisedAt),
          submittedAt: new Date(submittedAt),
          reviewStartedAt: new Date(reviewStartedAt),
          catches,
          decidedAt: new Date(decidedAt),
          items,
          score: items > 1 ? 2 : 3,
          decision: reject ? "reject_and_redo" : "approve",
          redo,
        });
        start[worker] = submittedAt + between(10, 60) * MINUTE;
      }
    }
  }
  return jobs.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** Every step of a job in time order (for checks: the history stays in the past and in order). */
export function jobSteps(j: HistoryJob): Date[] {
  const redo = j.redo ? [j.redo.critiquedAt, j.redo.revisedAt, j.redo.submittedAt, j.redo.reviewStartedAt, j.redo.decidedAt] : [];
  return [j.createdAt, j.labelledAt, j.critiquedAt, j.revisedAt, j.submittedAt, j.reviewStartedAt, ...j.catches.map((c) => c.at), j.decidedAt, ...redo];
}
