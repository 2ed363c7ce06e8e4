/**
 * Krippendorff's alpha for nominal data (Krippendorff, "Computing Krippendorff's Alpha-Reliability", 2011).
 * `units[u]` holds the values the coders gave unit u; missing values are simply absent (or null). Units with fewer
 * than two values cannot be paired and are left out.
 *
 *   o_ck = Σ_u Σ_{i≠j in u} [v_i = c][v_j = k] / (m_u − 1)      the coincidence matrix
 *   n_c  = Σ_k o_ck,  n = Σ_c n_c                                pairable values
 *   α    = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c · n_k
 *
 * α is undefined (null) when there is no variation at all (every pairable value the same), or no pairable unit.
 */
export type AlphaResult = {
  alpha: number | null;
  /** Units with at least two values. */
  units: number;
  /** Pairable values, n. */
  values: number;
  /** Observed share of disagreeing pairs, Σ_{c≠k} o_ck / n. */
  observedDisagreement: number;
  /** Expected share, Σ_{c≠k} n_c n_k / (n (n − 1)). */
  expectedDisagreement: number;
};

export function krippendorffAlphaNominal(units: readonly (readonly (string | null | undefined)[])[]): AlphaResult {
  const totals = new Map<string, number>(); // n_c
  let disagreement = 0; // Σ_{c≠k} o_ck
  let pairable = 0;
  for (const unit of units) {
    const values = unit.filter((v): v is string => v !== null && v !== undefined);
    const m = values.length;
    if (m < 2) continue;
    pairable++;
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    for (const [c, nc] of counts) {
      // Each value of c pairs with the m − 1 others of its unit, each pair weighted 1 / (m − 1): n_c grows by nc.
      totals.set(c, (totals.get(c) ?? 0) + nc);
      disagreement += (nc * (m - nc)) / (m - 1);
    }
  }
  let n = 0;
  let sumSquares = 0;
  for (const nc of totals.values()) {
    n += nc;
    sumSquares += nc * nc;
  }
  const expectedPairs = n * n - sumSquares; // Σ_{c≠k} n_c n_k
  const result = {
    units: pairable,
    values: n,
    observedDisagreement: n > 0 ? disagreement / n : 0,
    expectedDisagreement: n > 1 ? expectedPairs / (n * (n - 1)) : 0,
  };
  if (n < 2 || expectedPairs === 0) return { ...result, alpha: null };
  return { ...result, alpha: 1 - ((n - 1) * disagreement) / expectedPairs };
}
