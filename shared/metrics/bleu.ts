import { pyRstrip, pySplit, tokenize13a } from "./tokenize13a";

/**
 * BLEU exactly as sacreBLEU computes it (sacrebleu/metrics/bleu.py, v2.x): the same tokenisation, n-gram
 * statistics, smoothing methods, effective order and early exit, in the same floating-point order, so the figures
 * agree with sacreBLEU's to the printed precision. Defaults are sacreBLEU's `corpus_bleu`: 13a, exp smoothing,
 * order 4, no effective order; `sentenceBleu` turns the effective order on, as sacreBLEU's `sentence_bleu` does.
 */

export const BLEU_MAX_ORDER = 4;

export const SMOOTH_METHODS = ["none", "floor", "add-k", "exp"] as const;
export type SmoothMethod = (typeof SMOOTH_METHODS)[number];

/** sacreBLEU's SMOOTH_DEFAULTS: the value `floor` and `add-k` use when none is given. */
export const SMOOTH_DEFAULTS: Record<SmoothMethod, number | null> = { none: null, floor: 0.1, "add-k": 1, exp: null };

export type BleuOptions = {
  smoothMethod?: SmoothMethod;
  /** For `floor` and `add-k`; their default when null or absent. */
  smoothValue?: number | null;
  /** Average only over the orders up to the highest one the hypotheses have n-grams of. */
  effectiveOrder?: boolean;
  maxOrder?: number;
  /** `13a` (mteval-v13a) or `none` (split on whitespace only). */
  tokenize?: "13a" | "none";
  lowercase?: boolean;
};

export type BleuResult = {
  /** BLEU on a 0–100 scale. */
  score: number;
  /** Modified n-gram precisions (0–100) for n = 1..maxOrder, as smoothed. */
  precisions: number[];
  brevityPenalty: number;
  hypLength: number;
  refLength: number;
  /** Clipped matches and totals per order before smoothing, for summing over shards. */
  matches: number[];
  totals: number[];
};

/** sacreBLEU's my_log: log, with log(0) floored to a very low number (so a zero precision gives a zero score). */
const myLog = (x: number) => (x === 0 ? -9999999999 : Math.log(x));

/** Segment preprocessing (BLEU._preprocess_segment): optional lowercasing, then the tokenizer on the rstripped line. */
function tokensOf(line: string, opts: BleuOptions): string[] {
  const s = opts.lowercase ? line.toLowerCase() : line;
  return opts.tokenize === "none" ? pySplit(pyRstrip(s)) : tokenize13a(pyRstrip(s));
}

function ngramCounts(tokens: readonly string[], maxOrder: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let n = 1; n <= maxOrder; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      // \u0001 is never inside a token (tokens are split on whitespace, which it is not, but no text has it), and
      // the order prefix keeps orders apart.
      const key = `${n}\u0001${tokens.slice(i, i + n).join("\u0001")}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** The reference length closest to the hypothesis length; on a tie, the shorter one (_get_closest_ref_len). */
function closestRefLength(hypLen: number, refLens: readonly number[]): number {
  let closestDiff = -1;
  let closest = -1;
  for (const len of refLens) {
    const diff = Math.abs(hypLen - len);
    if (closestDiff === -1 || diff < closestDiff) {
      closestDiff = diff;
      closest = len;
    } else if (diff === closestDiff && len < closest) {
      closest = len;
    }
  }
  return closest;
}

/**
 * Corpus BLEU. `references[k][i]` is the k-th reference stream's reference for hypothesis i (sacreBLEU's layout).
 */
export function corpusBleu(hypotheses: readonly string[], references: readonly (readonly string[])[], opts: BleuOptions = {}): BleuResult {
  const maxOrder = opts.maxOrder ?? BLEU_MAX_ORDER;
  for (const stream of references) {
    if (stream.length !== hypotheses.length) {
      throw new Error(`every reference stream needs ${hypotheses.length} lines, one has ${stream.length}`);
    }
  }
  if (references.length === 0) throw new Error("at least one reference stream is needed");
  const matches = new Array<number>(maxOrder).fill(0);
  const totals = new Array<number>(maxOrder).fill(0);
  let hypLength = 0;
  let refLength = 0;
  hypotheses.forEach((hyp, i) => {
    const hypTokens = tokensOf(hyp, opts);
    const refTokenLists = references.map((stream) => tokensOf(stream[i] ?? "", opts));
    hypLength += hypTokens.length;
    refLength += closestRefLength(
      hypTokens.length,
      refTokenLists.map((r) => r.length),
    );
    const maxRefCounts = new Map<string, number>();
    for (const ref of refTokenLists) {
      for (const [key, count] of ngramCounts(ref, maxOrder)) {
        if (count > (maxRefCounts.get(key) ?? 0)) maxRefCounts.set(key, count);
      }
    }
    for (const [key, count] of ngramCounts(hypTokens, maxOrder)) {
      const order = Number(key.slice(0, key.indexOf("\u0001")));
      totals[order - 1]! += count;
      matches[order - 1]! += Math.min(count, maxRefCounts.get(key) ?? 0);
    }
  });
  return bleuFromCounts(matches, totals, hypLength, refLength, opts);
}

/** Sentence BLEU as sacreBLEU's `sentence_bleu`: one hypothesis, its references, effective order on by default. */
export function sentenceBleu(hypothesis: string, references: readonly string[], opts: BleuOptions = {}): BleuResult {
  return corpusBleu(
    [hypothesis],
    references.map((r) => [r]),
    { effectiveOrder: true, ...opts },
  );
}

/**
 * BLEU from accumulated statistics (BLEU.compute_bleu), so a large evaluation can be summed in a stream. When no
 * n-gram of any order matches, the score is 0 whatever the smoothing (sacreBLEU's early exit, its issue #141).
 */
export function bleuFromCounts(matches: readonly number[], totals: readonly number[], hypLength: number, refLength: number, opts: BleuOptions = {}): BleuResult {
  const maxOrder = opts.maxOrder ?? BLEU_MAX_ORDER;
  const method = opts.smoothMethod ?? "exp";
  const smoothValue = opts.smoothValue ?? SMOOTH_DEFAULTS[method] ?? 0;
  const base = { matches: [...matches], totals: [...totals], hypLength, refLength };

  let brevityPenalty = 1;
  if (hypLength < refLength) brevityPenalty = hypLength > 0 ? Math.exp(1 - refLength / hypLength) : 0;
  const precisions = new Array<number>(maxOrder).fill(0);
  if (!matches.some((c) => c !== 0)) return { ...base, score: 0, precisions, brevityPenalty };

  const correct = [...matches];
  const total = [...totals];
  let smoothMteval = 1;
  let effOrder = maxOrder;
  for (let n = 1; n <= maxOrder; n++) {
    if (method === "add-k" && n > 1) {
      correct[n - 1] = (correct[n - 1] ?? 0) + smoothValue;
      total[n - 1] = (total[n - 1] ?? 0) + smoothValue;
    }
    const t = total[n - 1] ?? 0;
    const c = correct[n - 1] ?? 0;
    if (t === 0) break;
    if (opts.effectiveOrder) effOrder = n;
    if (c === 0) {
      if (method === "exp") {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * t);
      } else if (method === "floor") {
        precisions[n - 1] = (100 * smoothValue) / t;
      }
    } else {
      precisions[n - 1] = (100 * c) / t;
    }
  }
  let logSum = 0;
  for (const p of precisions.slice(0, effOrder)) logSum += myLog(p);
  return { ...base, score: brevityPenalty * Math.exp(logSum / effOrder), precisions, brevityPenalty };
}

/**
 * Python's `f"{x:.{digits}f}"`: the exact binary value rounded, ties to even. (JavaScript's toFixed rounds ties
 * up: 0.125 → "0.13" where Python prints "0.12".)
 */
export function pyFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return x > 0 ? "inf" : x < 0 ? "-inf" : "nan";
  // toFixed(100) shows the exact expansion of any double of the magnitudes BLEU prints.
  const exact = Math.abs(x).toFixed(100);
  const point = exact.indexOf(".");
  const tail = exact.slice(point + 1 + digits);
  if (!/^50*$/.test(tail)) return x.toFixed(digits);
  const kept = exact.slice(0, point + 1 + digits).replace(/\.$/, "");
  const magnitude = Number(kept.at(-1)) % 2 === 0 ? kept : incrementLastDigit(kept);
  return x < 0 ? `-${magnitude}` : magnitude;
}

/** "1.25" → "1.26", "9.99" → "10.00": one unit in the last place, carried in decimal. */
function incrementLastDigit(s: string): string {
  const out = s.split("");
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] === ".") continue;
    if (out[i] !== "9") {
      out[i] = String(Number(out[i]) + 1);
      return out.join("");
    }
    out[i] = "0";
  }
  return `1${out.join("")}`;
}

/** The line sacreBLEU prints for a BLEU score (BLEUScore.format without a signature). */
export function formatBleu(r: BleuResult): string {
  const ratio = r.refLength ? r.hypLength / r.refLength : 0;
  return (
    `BLEU = ${pyFixed(r.score, 2)} ${r.precisions.map((p) => pyFixed(p, 1)).join("/")} ` +
    `(BP = ${pyFixed(r.brevityPenalty, 3)} ratio = ${pyFixed(ratio, 3)} hyp_len = ${r.hypLength} ref_len = ${r.refLength})`
  );
}
