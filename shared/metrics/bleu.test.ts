import { describe, expect, it } from "vitest";
import { corpusBleu } from "./bleu";
import { tokenize13a } from "./tokenize13a";

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
});

describe("corpusBleu", () => {
  // The worked example published with the reference BLEU implementation (sacreBLEU's README):
  // BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)
  const hyps = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."];
  const refs = [
    ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
    ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
  ];

  it("matches the published reference figures", () => {
    const r = corpusBleu(hyps, refs);
    expect(r.score.toFixed(2)).toBe("48.53");
    expect(r.precisions.map((p) => p.toFixed(1))).toEqual(["82.4", "50.0", "45.5", "37.5"]);
    expect(r.brevityPenalty.toFixed(3)).toBe("0.943");
    expect(r.hypLength).toBe(17);
    expect(r.refLength).toBe(18);
  });

  it("gives 100 for identical text and 0 for nothing in common", () => {
    const text = ["the camera dollies in toward a man standing at the center of the frame ."];
    expect(corpusBleu(text, [text]).score).toBeCloseTo(100, 10);
    expect(corpusBleu(["zebra quartz"], [["the camera pans left"]]).score).toBe(0);
  });

  it("applies the brevity penalty to short hypotheses", () => {
    const ref = ["the camera trucks right past a row of parked red cars on a wet street"];
    const full = corpusBleu(ref, [ref]).score;
    const short = corpusBleu(["the camera trucks right past a row of parked red cars"], [ref]);
    expect(short.brevityPenalty).toBeLessThan(1);
    expect(short.score).toBeLessThan(full);
  });

  it("rejects reference streams of the wrong length", () => {
    expect(() => corpusBleu(["a", "b"], [["a"]])).toThrow(/2 lines/);
  });
});
