/**
 * How tasks are spread over people: pure functions, so the exact counts can be tested without a database. The
 * repository (repository.ts) reads the facts, calls these, and writes what they decide.
 */

export type Pick2 = { taskId: string; annotatorId: string };

/** Tasks dealt in turn over the annotators, in the order both are given (task i → annotator i mod n). */
export function roundRobin(taskIds: readonly string[], annotatorIds: readonly string[]): Pick2[] {
  if (annotatorIds.length === 0) return [];
  return taskIds.map((taskId, i) => ({ taskId, annotatorId: annotatorIds[i % annotatorIds.length] as string }));
}

/**
 * Each task goes to whoever has the fewest open tasks at that moment (ties: the earlier in the given order), so
 * people who are behind are filled up first and the totals end as level as they can.
 */
export function byWorkload(taskIds: readonly string[], annotatorIds: readonly string[], open: ReadonlyMap<string, number>): Pick2[] {
  if (annotatorIds.length === 0) return [];
  const load = annotatorIds.map((id) => ({ id, n: open.get(id) ?? 0 }));
  return taskIds.map((taskId) => {
    let best = load[0] as { id: string; n: number };
    for (const l of load) if (l.n < best.n) best = l;
    best.n++;
    return { taskId, annotatorId: best.id };
  });
}

/** How many of `total` things make `percent` of them (rounded; at least one when the share is above 0 and there is any). */
export function shareOf(total: number, percent: number): number {
  if (total <= 0 || percent <= 0) return 0;
  return Math.min(total, Math.max(1, Math.round((total * percent) / 100)));
}

export type ClipTask = { taskId: string; videoId: string; aspect: string; annotatorId: string };

/**
 * The overlap: for `percent` of the clips (the first ones in the given order), every aspect's task gets a twin for
 * a second annotator, the next one after the first in the list, so the agreement figures (server/eval/agreement.ts:
 * two tasks on one clip and aspect) and the "two annotators" diff have pairs to compare. Clip × aspects that
 * already have two tasks are left alone (running it again adds nothing).
 */
export function overlapTwins(
  assigned: readonly ClipTask[],
  annotatorIds: readonly string[],
  percent: number,
  tasksPerClipAspect: ReadonlyMap<string, number>,
): { videoId: string; aspect: string; annotatorId: string }[] {
  if (annotatorIds.length < 2) return [];
  const clips = [...new Set(assigned.map((t) => t.videoId))];
  const chosen = new Set(clips.slice(0, shareOf(clips.length, percent)));
  const out: { videoId: string; aspect: string; annotatorId: string }[] = [];
  for (const t of assigned) {
    if (!chosen.has(t.videoId)) continue;
    if ((tasksPerClipAspect.get(clipAspectKey(t.videoId, t.aspect)) ?? 1) >= 2) continue;
    const first = annotatorIds.indexOf(t.annotatorId);
    const second = annotatorIds[(first + 1) % annotatorIds.length] as string;
    out.push({ videoId: t.videoId, aspect: t.aspect, annotatorId: second });
  }
  return out;
}

export const clipAspectKey = (videoId: string, aspect: string) => `${videoId}\u0000${aspect}`;

/**
 * Gold attempts for one trainee: `percent` of the tasks they were just given, as attempts at gold tasks of the
 * project they have not attempted yet (the scoring finds the gold task by clip and aspect, server/training/scoring.ts).
 */
export function goldAttempts<G extends { videoId: string; aspect: string }>(
  given: number,
  percent: number,
  gold: readonly G[],
  alreadyHas: (videoId: string, aspect: string) => boolean,
): G[] {
  const fresh = gold.filter((g) => !alreadyHas(g.videoId, g.aspect));
  return fresh.slice(0, Math.min(fresh.length, shareOf(given, percent)));
}
