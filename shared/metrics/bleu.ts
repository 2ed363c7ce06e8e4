import { tokenize13a } from "./tokenize13a";

export const BLEU_MAX_ORDER = 4;

export type BleuResult = {
  /** Corpus BLEU-4 on a 0–100 scale. */
  score: number;
  /** Modified n-gram precisions (0–100) for n = 1..4. */
  precisions: number[];
  brevityPenalty: number;
  hypLength: number;
  refLength: number;
  /** Clipped matches and totals per order, for summing over shards. */
  matches: number[];
  totals: number[];
};

function ngramCounts(tokens: string[], maxOrder: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let n = 1; n <= maxOrder; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      // \u0001 cannot occur in 13a tokens, so it separates tokens unambiguously.
      const key = `${n}\u0001${tokens.slice(i, i + n).join("\u0001")}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** The reference length closest to the hypothesis length; on a tie, the shorter one. */
function closestRefLength(hypLen: number, refLens: number[]): number {
  let best = refLens[0] ?? 0;
  for (const len of refLens) {
    const d = Math.abs(len - hypLen);
    const bd = Math.abs(best - hypLen);
    if (d < bd || (d === bd && len < best)) best = len;
  }
  return best;
}

/**
 * Corpus BLEU-4 with the standard brevity penalty, 13a tokenisation and exponential smoothing of zero-match
 * orders (the default of the reference implementation used to report caption and critique quality).
 * `references[k][i]` is the k-th reference stream's reference for hypothesis i.
 */
export function corpusBleu(hypotheses: string[], references: string[][]): BleuResult {
  for (const stream of references) {
    if (stream.length !== hypotheses.length) {
      throw new Error(`every reference stream needs ${hypotheses.length} lines, one has ${stream.length}`);
    }
  }
  const matches = new Array<number>(BLEU_MAX_ORDER).fill(0);
  const totals = new Array<number>(BLEU_MAX_ORDER).fill(0);
  let hypLength = 0;
  let refLength = 0;
  hypotheses.forEach((hyp, i) => {
    const hypTokens = tokenize13a(hyp);
    const refTokenLists = references.map((stream) => tokenize13a(stream[i] ?? ""));
    hypLength += hypTokens.length;
    refLength += closestRefLength(
      hypTokens.length,
      refTokenLists.map((r) => r.length),
    );
    const maxRefCounts = new Map<string, number>();
    for (const ref of refTokenLists) {
      for (const [key, count] of ngramCounts(ref, BLEU_MAX_ORDER)) {
        if (count > (maxRefCounts.get(key) ?? 0)) maxRefCounts.set(key, count);
      }
    }
    for (const [key, count] of ngramCounts(hypTokens, BLEU_MAX_ORDER)) {
      const order = Number(key.slice(0, key.indexOf("\u0001")));
      totals[order - 1]! += count;
      matches[order - 1]! += Math.min(count, maxRefCounts.get(key) ?? 0);
    }
  });
  return bleuFromCounts(matches, totals, hypLength, refLength);
}

/** BLEU from accumulated statistics (so a large evaluation can be summed in a stream). */
export function bleuFromCounts(matches: number[], totals: number[], hypLength: number, refLength: number): BleuResult {
  const precisions = new Array<number>(BLEU_MAX_ORDER).fill(0);
  const base = { matches: [...matches], totals: [...totals], hypLength, refLength };
  if (hypLength === 0) return { ...base, score: 0, precisions, brevityPenalty: 0 };
  let smooth = 1;
  for (let n = 0; n < BLEU_MAX_ORDER; n++) {
    const total = totals[n] ?? 0;
    const match = matches[n] ?? 0;
    if (total === 0) {
      precisions[n] = 0;
    } else if (match === 0) {
      smooth *= 2;
      precisions[n] = 100 / (smooth * total);
    } else {
      precisions[n] = (100 * match) / total;
    }
  }
  const brevityPenalty = hypLength < refLength ? Math.exp(1 - refLength / hypLength) : 1;
  // Orders with no n-grams at all (very short hypotheses) score zero, as in the reference implementation.
  if (precisions.some((p) => p === 0)) return { ...base, score: 0, precisions, brevityPenalty };
  const logMean = precisions.reduce((sum, p) => sum + Math.log(p / 100), 0) / BLEU_MAX_ORDER;
  return { ...base, score: 100 * brevityPenalty * Math.exp(logMean), precisions, brevityPenalty };
}
