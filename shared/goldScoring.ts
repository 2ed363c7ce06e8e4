import { critiqueItemView, isConstructive, type CritiqueItem, type CritiqueItemView } from "./critique/items";

/**
 * Scoring a trainee's critique against a gold answer key (pure; the server stores the result in gold_scores).
 *
 * Matching rule, one-to-one:
 *   - kind:     the two items name the same error type, or the same (non-null) primitive;
 *   - location: when both items quote a span of the draft, the spans must overlap (character ranges when both
 *               quotes are found in the same draft text, shared words of the quotes otherwise); when either item is
 *               anchored to time only, their time ranges must overlap (a point in time is widened by ±0.5 s).
 *   Compatible pairs are ranked by (same type) + (same primitive) + span overlap + time overlap (overlaps as
 *   intersection over union, 0..1) and taken greedily, best first, each item used once.
 * precision = matched / trainee items, recall = matched / gold items, F1 their harmonic mean. With no items on a
 * side the ratio is vacuous and counts as 1 (a trainee who rightly writes no critique on a perfect draft scores 1).
 * constructive share = trainee items that say what is wrong and how to fix it (shared/critique isConstructive).
 */

export const TIME_TOLERANCE_SEC = 0.5;

export type SpecEntryRef = { primitiveId: string; label: string; subAspect: string };

/** An item as shown in the results (missed gold item, false trainee item). */
export type ScoredItemRef = CritiqueItemView & {
  /** The spec entry the item concerns, when it names a primitive the spec knows. */
  spec: SpecEntryRef | null;
};

export type GoldMatch = {
  goldId: string;
  itemId: string;
  sameType: boolean;
  samePrimitive: boolean;
  /** 0..1, null when not both items have a span. */
  spanOverlap: number | null;
  /** 0..1, null when not both items have a time. */
  timeOverlap: number | null;
  score: number;
};

export type GoldScoreResult = {
  precision: number;
  recall: number;
  f1: number;
  constructiveShare: number;
  goldCount: number;
  itemCount: number;
  matched: GoldMatch[];
  missed: ScoredItemRef[];
  falseItems: ScoredItemRef[];
};

export type ScoringSide = { preCaption: string; items: readonly CritiqueItem[] };

type Span = { start: number; end: number };

/** Where an item's quote sits in its draft: the first occurrence, or null when it is not there (or time-only). */
export function locateQuote(preCaption: string, quote: string | null | undefined): Span | null {
  const q = quote?.trim();
  if (!q) return null;
  const at = preCaption.indexOf(q);
  return at < 0 ? null : { start: at, end: at + q.length };
}

const quoteOf = (item: CritiqueItem): string | null => {
  const q = item.anchor?.quote.trim();
  return q ? q : null;
};

function intervalIou(a: Span, b: Span): number {
  const inter = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  if (inter <= 0) return 0;
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start);
  return union > 0 ? inter / union : 1;
}

const words = (s: string) =>
  new Set(
    s
      .toLowerCase()
      .split(/[^\p{L}\p{N}']+/u)
      .filter((w) => w.length > 0),
  );

/** Shared words of two quotes, as intersection over union of their word sets. */
export function quoteWordOverlap(a: string, b: string): number {
  const wa = words(a);
  const wb = words(b);
  if (wa.size === 0 || wb.size === 0) return 0;
  let inter = 0;
  for (const w of wa) if (wb.has(w)) inter++;
  return inter / (wa.size + wb.size - inter);
}

/** Time ranges' overlap, 0..1 (IoU after widening each by the tolerance); null when either has no time. */
export function timeOverlap(a: CritiqueItem, b: CritiqueItem): number | null {
  if (a.timeStart === null || b.timeStart === null) return null;
  const ra = { start: a.timeStart - TIME_TOLERANCE_SEC, end: (a.timeEnd ?? a.timeStart) + TIME_TOLERANCE_SEC };
  const rb = { start: b.timeStart - TIME_TOLERANCE_SEC, end: (b.timeEnd ?? b.timeStart) + TIME_TOLERANCE_SEC };
  return intervalIou(ra, rb);
}

/** Span overlap of two items, 0..1; null when either has no span. */
export function spanOverlap(gold: CritiqueItem, goldDraft: string, item: CritiqueItem, itemDraft: string): number | null {
  const qg = quoteOf(gold);
  const qi = quoteOf(item);
  if (qg === null || qi === null) return null;
  if (goldDraft === itemDraft) {
    const sg = locateQuote(goldDraft, qg);
    const si = locateQuote(itemDraft, qi);
    if (sg && si) return intervalIou(sg, si);
  }
  return quoteWordOverlap(qg, qi);
}

/** The pair's match, or null when the two items cannot be the same error. */
export function comparePair(gold: CritiqueItem, goldDraft: string, item: CritiqueItem, itemDraft: string): GoldMatch | null {
  const sameType = gold.errorType === item.errorType;
  const samePrimitive = gold.primitiveId !== null && gold.primitiveId === item.primitiveId;
  if (!sameType && !samePrimitive) return null;
  const span = spanOverlap(gold, goldDraft, item, itemDraft);
  const time = timeOverlap(gold, item);
  const located = span !== null ? span > 0 : time !== null && time > 0;
  if (!located) return null;
  const score = (sameType ? 1 : 0) + (samePrimitive ? 1 : 0) + (span ?? 0) + (time ?? 0);
  return { goldId: gold.id, itemId: item.id, sameType, samePrimitive, spanOverlap: span, timeOverlap: time, score };
}

const ratio = (n: number, d: number) => (d === 0 ? 1 : n / d);

export const f1Of = (precision: number, recall: number) =>
  precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);

function refOf(item: CritiqueItem, spec: (primitiveId: string) => SpecEntryRef | null): ScoredItemRef {
  return {
    ...critiqueItemView(item, quoteOf(item)),
    spec: item.primitiveId ? spec(item.primitiveId) : null,
  };
}

/** Scores a trainee's critique (`attempt`) against the gold answer key (`gold`). */
export function scoreAgainstGold(
  gold: ScoringSide,
  attempt: ScoringSide,
  spec: (primitiveId: string) => SpecEntryRef | null = () => null,
): GoldScoreResult {
  const candidates: { match: GoldMatch; gi: number; ai: number }[] = [];
  gold.items.forEach((g, gi) =>
    attempt.items.forEach((a, ai) => {
      const match = comparePair(g, gold.preCaption, a, attempt.preCaption);
      if (match) candidates.push({ match, gi, ai });
    }),
  );
  // Best first; ties in answer-key then attempt order, so the result does not depend on sort stability.
  candidates.sort((x, y) => y.match.score - x.match.score || x.gi - y.gi || x.ai - y.ai);
  const usedGold = new Set<number>();
  const usedItem = new Set<number>();
  const matched: GoldMatch[] = [];
  for (const c of candidates) {
    if (usedGold.has(c.gi) || usedItem.has(c.ai)) continue;
    usedGold.add(c.gi);
    usedItem.add(c.ai);
    matched.push(c.match);
  }
  const precision = ratio(matched.length, attempt.items.length);
  const recall = ratio(matched.length, gold.items.length);
  return {
    precision,
    recall,
    f1: f1Of(precision, recall),
    constructiveShare: ratio(attempt.items.filter(isConstructive).length, attempt.items.length),
    goldCount: gold.items.length,
    itemCount: attempt.items.length,
    matched,
    missed: gold.items.filter((_, i) => !usedGold.has(i)).map((g) => refOf(g, spec)),
    falseItems: attempt.items.filter((_, i) => !usedItem.has(i)).map((a) => refOf(a, spec)),
  };
}

export type ExamOutcome = {
  /** Gold tasks of the exam with a scored attempt. */
  attempted: number;
  total: number;
  /** Mean F1 over the exam's gold tasks, an unattempted one counting 0; null before any attempt. */
  meanF1: number | null;
  status: "not_started" | "in_progress" | "passed" | "failed";
};

/**
 * The exam's verdict: passed when every gold task has been attempted and the mean F1 reaches the threshold.
 * F1 weighs false flags and missed errors equally, as a reviewer's catches do.
 */
export function examOutcome(f1ByGoldTask: ReadonlyMap<string, number>, goldTaskIds: readonly string[], threshold: number): ExamOutcome {
  const total = goldTaskIds.length;
  const scores = goldTaskIds.map((id) => f1ByGoldTask.get(id));
  const attempted = scores.filter((s) => s !== undefined).length;
  if (attempted === 0) return { attempted, total, meanF1: null, status: "not_started" };
  const meanF1 = scores.reduce<number>((sum, s) => sum + (s ?? 0), 0) / total;
  if (attempted < total) return { attempted, total, meanF1, status: "in_progress" };
  return { attempted, total, meanF1, status: meanF1 >= threshold ? "passed" : "failed" };
}
