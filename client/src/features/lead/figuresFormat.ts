/** Display helpers for figures (pure). */

/** 0.8333 → "83.3 %"; null (nothing to measure) → "—". */
export function formatShare(v: number | null): string {
  return v === null ? "—" : `${(Math.round(v * 1000) / 10).toFixed(1)} %`;
}

/** Points with at most two decimals and a sign for losses: 12, 3.5, −2. */
export function formatPoints(v: number): string {
  const r = Math.round(v * 100) / 100;
  return r < 0 ? `−${String(-r)}` : String(r);
}

/** Today as YYYY-MM-DD in UTC (the server's periods are UTC days). */
export const todayUtc = (now = new Date()) => now.toISOString().slice(0, 10);

/** The first day of the month of a day, and the first day of the next month (payout periods, `to` exclusive). */
export function monthRange(day: string): { from: string; to: string } {
  const [y, m] = day.split("-").map(Number);
  const year = y ?? 1970;
  const month = (m ?? 1) - 1;
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return { from: iso(new Date(Date.UTC(year, month, 1))), to: iso(new Date(Date.UTC(year, month + 1, 1))) };
}
