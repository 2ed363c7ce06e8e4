import type { RoundSummary } from "../../../../shared/api/loop";
import type { Stage } from "../../../../shared/domain/stages";
import type { RevisionState } from "../../../../shared/room/document";
import { wordDiff, type DiffPart } from "../../../../shared/wordDiff";

/**
 * The room's view of the revision rounds, pure. The server ends a revision in the room first, then in the database
 * and the stage machine, so a list fetched the moment the room goes idle can still say "running" / "revising".
 */
export function roundsSettling(rounds: readonly RoundSummary[], stage: Stage, revision: Pick<RevisionState, "status" | "roundId">): boolean {
  if (revision.status === "running") return revision.roundId !== null && !rounds.some((r) => r.id === revision.roundId);
  return stage === "revising" || rounds.some((r) => r.status === "running");
}

/** "0.4 s", "12 s", "—" while it runs. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 10_000) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  return `${Math.round(ms / 1000)} s`;
}

/** Two picked rounds in order (older first); null unless both have a post-caption. */
export function comparedPair(rounds: readonly RoundSummary[], picked: readonly number[]): [RoundSummary, RoundSummary] | null {
  if (picked.length !== 2) return null;
  const [x, y] = picked.map((n) => rounds.find((r) => r.n === n));
  if (!x || !y || x.postCaption === null || y.postCaption === null) return null;
  return x.n < y.n ? [x, y] : [y, x];
}

export const roundDiff = ([older, newer]: [RoundSummary, RoundSummary]): DiffPart[] =>
  wordDiff(older.postCaption ?? "", newer.postCaption ?? "");

/** Toggles a round in a pick of at most two (a third pick drops the oldest pick). */
export function togglePick(picked: readonly number[], n: number): number[] {
  return picked.includes(n) ? picked.filter((p) => p !== n) : [...picked, n].slice(-2);
}
