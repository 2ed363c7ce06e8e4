import { describe, expect, it } from "vitest";
import { krippendorffAlphaNominal } from "./krippendorff";

describe("krippendorffAlphaNominal", () => {
  it("reproduces the published nominal alpha of Krippendorff's reliability-data example (0.743)", () => {
    // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers × 12 units,
    // values 1–5, "." missing. Published: nominal α = 0.743.
    const A = [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null];
    const B = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3];
    const C = [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null];
    const D = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null];
    const units = A.map((_, u) => [A[u], B[u], C[u], D[u]].map((v) => (v === null || v === undefined ? null : String(v))));
    const r = krippendorffAlphaNominal(units);
    // By hand: unit 12 has one value and drops out; n = 40 pairable values with n_1 = 9, n_2 = 13, n_3 = 10,
    // n_4 = 5, n_5 = 3. Disagreeing coincidences: unit 2 (2,2,3,2 → 3·1/3·2 = 2), unit 6 (1,2,3,4 → 4·3/3 = 4),
    // unit 8 (1,1,2,1 → 2): Σ_{c≠k} o_ck = 8. Σ_{c≠k} n_c n_k = 40² − (81 + 169 + 100 + 25 + 9) = 1216.
    // α = 1 − 39 · 8 / 1216 = 1 − 312 / 1216 = 0.74342…
    expect(r.values).toBe(40);
    expect(r.units).toBe(11);
    expect(r.alpha).toBeCloseTo(1 - 312 / 1216, 12);
    expect(r.alpha?.toFixed(3)).toBe("0.743");
  });

  it("is 1 for perfect agreement with variation, null without variation, and below 0 for systematic disagreement", () => {
    expect(krippendorffAlphaNominal([["a", "a"], ["b", "b"], ["c", "c"]]).alpha).toBe(1);
    expect(krippendorffAlphaNominal([["a", "a"], ["a", "a"]]).alpha).toBeNull();
    expect(krippendorffAlphaNominal([["a"], ["b"]]).alpha).toBeNull();
    expect(krippendorffAlphaNominal([["a", "b"], ["b", "a"]]).alpha).toBeLessThan(0);
  });
});
