import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bleuFromCounts, corpusBleu, formatBleu, pyFixed, sentenceBleu, type BleuOptions } from "./bleu";
import { tokenize13a } from "./tokenize13a";

/**
 * Every expected figure below is sacreBLEU's own, and says where it is from: its README ("README"), its test files
 * test/test_bleu.py and test/test_sentence_bleu.py (mjpost/sacrebleu @ f615c72, the same code as release 2.6.0),
 * or sacreBLEU 2.6.0 run on the inputs (bleu.sacrebleu.json, made by the script in its "source" field).
 */

describe("tokenize13a", () => {
  it("splits punctuation but keeps decimals, thousands and contractions", () => {
    expect(tokenize13a("The camera pans left, then stops.")).toEqual([
      "The", "camera", "pans", "left", ",", "then", "stops", ".",
    ]);
    expect(tokenize13a("It wasn't 3.5 or 1,000 (roughly)!")).toEqual([
      "It", "wasn't", "3.5", "or", "1,000", "(", "roughly", ")", "!",
    ]);
    expect(tokenize13a("from 2-3 s &amp; a well-lit room")).toEqual([
      "from", "2", "-", "3", "s", "&", "a", "well-lit", "room",
    ]);
  });

  it("separates tokens on Python's whitespace, not JavaScript's", () => {
    // U+00A0 and U+001C are whitespace to Python's str.split; U+FEFF is not (JavaScript's \s says the opposite).
    expect(tokenize13a("a\u00a0b\u001cc\ufeffd")).toEqual(["a", "b", "c\ufeffd"]);
  });
});

// README, "Using SacreBLEU from Python"; the same inputs are test_bleu.py's _hyps/_refs.
const HYPS = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."];
const REFS = [
  ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
  ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
];
/** sacrebleu.raw_corpus_bleu(h, r, value): no tokenisation, floor smoothing, effective order. */
const RAW = (value: number | null): BleuOptions => ({ tokenize: "none", smoothMethod: "floor", smoothValue: value, effectiveOrder: true });
const EPSILON = 1e-8; // test_bleu.py's

describe("corpusBleu equals sacreBLEU", () => {
  it("prints the README's example line", () => {
    // README: "Out[3]: BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)"
    expect(formatBleu(corpusBleu(HYPS, REFS))).toBe("BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)");
    // README, "Variable Number of References" (the first reference of the first line left empty).
    const varRefs = [["", ...(REFS[0] ?? []).slice(1)], REFS[1] ?? []];
    expect(formatBleu(corpusBleu(HYPS, varRefs))).toBe("BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 ratio = 0.895 hyp_len = 17 ref_len = 19)");
  });

  it("matches test_bleu.py's test_corpus_bleu_cases", () => {
    expect(Math.abs(corpusBleu(HYPS, REFS).score - 48.530827)).toBeLessThan(EPSILON);
    expect(corpusBleu(["", "", ""], REFS).score).toBe(0); // "ensure that empty hypotheses are not removed"
    expect(Math.abs(corpusBleu(HYPS, REFS, { tokenize: "none" }).score - 49.1919566)).toBeLessThan(EPSILON);
    expect(Math.abs(corpusBleu(HYPS, REFS, { tokenize: "13a" }).score - 48.530827)).toBeLessThan(EPSILON);
    expect(Math.abs(corpusBleu(HYPS, REFS, { smoothMethod: "none" }).score - 48.530827)).toBeLessThan(EPSILON);
  });

  it("matches test_bleu.py's max-order cases", () => {
    const expected = ["77.65", "60.50", "53.93", "48.53", "46.14", "43.28"];
    expected.forEach((figure, i) => expect(pyFixed(corpusBleu(HYPS, REFS, { maxOrder: i + 1 }).score, 2)).toBe(figure));
  });

  it("matches test_bleu.py's raw, effective-order, statistics, offset and scoring cases", () => {
    const raw = (h: string[], r: string[][], v: number | null = 0.01) => corpusBleu(h, r, RAW(v)).score / 100;
    // test_raw_bleu_cases ("This now returns 0.0 score (#141)" is the first)
    expect(raw(["this is a test", "another test"], [["ref1", "ref2"]])).toBe(0);
    expect(Math.abs(raw(["this is a test"], [["this is a test"]]) - 1)).toBeLessThan(EPSILON);
    expect(Math.abs(raw(["this is a fest"], [["this is a test"]]) - 0.223606797749979)).toBeLessThan(EPSILON);
    // test_case_effective_order
    expect(Math.abs(raw(["test"], [["a test"]]) - 0.3678794411714425)).toBeLessThan(EPSILON);
    expect(Math.abs(raw(["a test"], [["a test"]]) - 1)).toBeLessThan(EPSILON);
    expect(Math.abs(raw(["a little test"], [["a test"]]) - 0.03218297948685433)).toBeLessThan(EPSILON);
    // test_case_statistics
    const stats = corpusBleu(["am I am a character sequence"], [["I am a symbol string sequence a a"]], RAW(0.01));
    expect([stats.matches, stats.totals]).toEqual([[4, 2, 1, 0], [6, 5, 4, 3]]);
    // test_case_offset: 0 without the floor, 0.1555722182 with its default of 0.1 (None)
    expect(raw(["am I am a character sequence"], [["I am a symbol string sequence a a"]], 0)).toBe(0);
    expect(Math.abs(raw(["am I am a character sequence"], [["I am a symbol string sequence a a"]], null) - 0.1555722182)).toBeLessThan(EPSILON);
    // test_case_scoring: compute_bleu's default smoothing is "none"
    expect(Math.abs(bleuFromCounts([9, 7, 5, 3], [10, 8, 6, 4], 11, 11, { smoothMethod: "none" }).score / 100 - 0.8375922397)).toBeLessThan(EPSILON);
  });

  it("matches test_bleu.py's degenerate statistics exactly (0.0 under floor smoothing)", () => {
    const cases: Array<[number[], number[], number, number, number]> = [
      [[0, 0, 0, 0], [4, 4, 2, 1], 0, 1, 0.0],
      [[0, 0, 0, 0], [10, 11, 12, 0], 14, 10, 0.0],
      [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.0],
      [[6, 5, 4, 0], [6, 5, 4, 3], 6, 6, 0.0],
      [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.1],
      [[0, 0, 0, 0], [0, 0, 0, 0], 1, 5, 0.01],
    ];
    for (const [c, t, sys, ref, offset] of cases) {
      expect(bleuFromCounts(c, t, sys, ref, { smoothMethod: "floor", smoothValue: offset }).score).toBe(0);
    }
  });

  it("returns 0 when no n-gram matches at all, whatever the smoothing (sacreBLEU's early exit, #141)", () => {
    // test_sentence_bleu.py test_cases_zero_bleu: "this is a cat" against "okay thanks" is 0.0 for every method.
    for (const [smoothMethod, smoothValue] of [["exp", null], ["none", null], ["floor", null], ["floor", 0.1], ["add-k", null], ["add-k", 1]] as const) {
      expect(sentenceBleu("this is a cat", ["okay thanks"], { smoothMethod, smoothValue }).score).toBe(0);
    }
    // sacreBLEU 2.6.0, corpus_score(["this is a cat"], [["okay thanks"]]) — exp smoothing alone would give 7.99.
    expect(formatBleu(corpusBleu(["this is a cat"], [["okay thanks"]]))).toBe("BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 1.000 ratio = 2.000 hyp_len = 4 ref_len = 2)");
  });

  it("matches test_sentence_bleu.py's smoothing cases (#98) for the 13a and none tokenizers", () => {
    const REF = "producţia de zahăr brut se exprimă în zahăr alb;";
    const SYS = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;";
    const cases: Array<[BleuOptions["smoothMethod"], number | null, "13a" | "none", number]> = [
      ["exp", null, "13a", 8.493],
      ["none", null, "13a", 0.0],
      ["floor", null, "13a", 4.51688],
      ["floor", 0.1, "13a", 4.51688],
      ["floor", 0.5, "13a", 10.1],
      ["add-k", null, "13a", 14.882],
      ["add-k", 1, "13a", 14.882],
      ["add-k", 2, "13a", 21.389],
      ["exp", null, "none", 7.347],
    ];
    for (const [smoothMethod, smoothValue, tokenize, expected] of cases) {
      expect(Math.abs(sentenceBleu(SYS, [REF], { smoothMethod, smoothValue, tokenize }).score - expected)).toBeLessThan(1e-3);
    }
  });

  it("prints what sacreBLEU 2.6.0 prints on 300 random caption-like pairs, one by one and as a corpus", () => {
    const data = JSON.parse(fs.readFileSync(path.join(__dirname, "bleu.sacrebleu.json"), "utf8")) as { cases: [string, string, string, string][] };
    expect(data.cases).toHaveLength(300);
    const differ = data.cases.filter(([hyp, ref, corpus, sentence]) => formatBleu(corpusBleu([hyp], [[ref]])) !== corpus || formatBleu(sentenceBleu(hyp, [ref])) !== sentence);
    expect(differ).toEqual([]);
    // sacreBLEU 2.6.0: BLEU().corpus_score(all hyps, [all refs])
    const all = corpusBleu(data.cases.map((c) => c[0]), [data.cases.map((c) => c[1])]);
    expect(formatBleu(all)).toBe("BLEU = 0.58 23.0/2.4/0.1/0.0 (BP = 0.873 ratio = 0.881 hyp_len = 1835 ref_len = 2084)");
  });

  it("refuses reference streams of the wrong length", () => {
    expect(() => corpusBleu(["a", "b"], [["a"]])).toThrow(/2 lines/);
  });
});

describe("pyFixed", () => {
  it("rounds like Python's format: exact value, ties to even", () => {
    expect([pyFixed(0.125, 2), pyFixed(0.375, 2), pyFixed(12.25, 1), pyFixed(9.995, 2), pyFixed(99.95, 1), pyFixed(0.5, 0), pyFixed(1.5, 0)]).toEqual([
      "0.12", "0.38", "12.2", "9.99", "100.0", "0", "2",
    ]);
    expect(pyFixed(48.530827, 2)).toBe("48.53");
  });
});
