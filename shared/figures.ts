import type { CatchKind } from "./domain";
import type { AnnotatorFigures, LeaderboardRow, PeriodKind, ReviewerFigures } from "./api/review";
import type { CatchStatus } from "./domain";

/**
 * Quality and reward figures, computed from plain records so the same arithmetic serves the API, the lead's view
 * and tests with hand-computed answers. The server selects the records of a period; nothing here does I/O.
 *
 * A catch "stands" while nobody disputed it or once a lead upheld it; a disputed catch awaiting a verdict counts
 * for nobody; an overturned one never counts.
 */

/** One reviewed task: whose work was reviewed, who decided, and how many critique items the reviewed version had. */
export type ReviewedTask = {
  taskId: string;
  workerId: string;
  reviewerId: string;
  items: number;
  /** A reject-and-redo decision was made on this work. */
  rejected: boolean;
};

export type CatchRecord = {
  id: string;
  taskId: string;
  reviewerId: string;
  /** The person whose work was caught. */
  workerId: string;
  kind: CatchKind;
  status: CatchStatus;
};

export type LedgerRecord = { userId: string; points: number; taskId: string | null };

export const stands = (c: Pick<CatchRecord, "status">) => c.status === "open" || c.status === "upheld";

const ratio = (num: number, den: number) => (den === 0 ? null : num / den);

export function annotatorFigures(personId: string, reviewed: readonly ReviewedTask[], catches: readonly CatchRecord[]): AnnotatorFigures {
  const mine = new Map<string, ReviewedTask>();
  for (const t of reviewed) if (t.workerId === personId) mine.set(t.taskId, t);
  const tasks = [...mine.values()];
  const rejected = tasks.filter((t) => t.rejected).length;
  const items = tasks.reduce((n, t) => n + t.items, 0);
  const standingAgainst = (kind: CatchKind) =>
    catches.filter((c) => c.workerId === personId && c.kind === kind && stands(c)).length;
  const upheldFalseFlags = standingAgainst("false_flag");
  const upheldMissedErrors = standingAgainst("missed_error");
  const upheldNonConstructive = standingAgainst("non_constructive");
  const precisionLoss = ratio(upheldFalseFlags, items);
  const constructiveLoss = ratio(upheldNonConstructive, items);
  return {
    reviewed: tasks.length,
    rejected,
    accuracy: ratio(tasks.length - rejected, tasks.length),
    items,
    upheldFalseFlags,
    upheldMissedErrors,
    upheldNonConstructive,
    precision: precisionLoss === null ? null : 1 - precisionLoss,
    recall: ratio(items, items + upheldMissedErrors),
    constructiveShare: constructiveLoss === null ? null : 1 - constructiveLoss,
  };
}

export function reviewerFigures(personId: string, catches: readonly CatchRecord[]): ReviewerFigures {
  const mine = catches.filter((c) => c.reviewerId === personId);
  const upheld = mine.filter(stands).length;
  const overturned = mine.filter((c) => c.status === "overturned").length;
  return {
    catches: mine.length,
    upheld,
    overturned,
    pending: mine.length - upheld - overturned,
    upheldRate: ratio(upheld, mine.length),
    overturnRate: ratio(overturned, mine.length),
  };
}

export const pointsOf = (personId: string, ledger: readonly LedgerRecord[]) =>
  roundPoints(ledger.reduce((sum, e) => (e.userId === personId ? sum + e.points : sum), 0));

/** Points are sums of small decimals: round away float noise (0.1 + 0.2) at two places. */
export const roundPoints = (n: number) => Math.round(n * 100) / 100;

/** Tasks a person worked on or decided in the records (each counted once). */
export function tasksOf(personId: string, reviewed: readonly ReviewedTask[]): number {
  return new Set(reviewed.filter((t) => t.workerId === personId || t.reviewerId === personId).map((t) => t.taskId)).size;
}

export type PersonBrief = { id: string; name: string; role: string };

/**
 * The leaderboard of one period: everyone with points, tasks or catches in it, by points (then name). Equal points
 * share a rank ("1, 2, 2, 4").
 */
export function leaderboard(
  people: readonly PersonBrief[],
  records: { reviewed: readonly ReviewedTask[]; catches: readonly CatchRecord[]; ledger: readonly LedgerRecord[] },
): LeaderboardRow[] {
  const rows = people
    .map((p) => {
      const reviewer = reviewerFigures(p.id, records.catches);
      return {
        person: p,
        points: pointsOf(p.id, records.ledger),
        tasks: tasksOf(p.id, records.reviewed),
        catches: reviewer.catches,
        accuracy: annotatorFigures(p.id, records.reviewed, records.catches).accuracy,
        upheldRate: reviewer.upheldRate,
        active: records.ledger.some((e) => e.userId === p.id),
      };
    })
    .filter((r) => r.active || r.tasks > 0 || r.catches > 0)
    .sort((a, b) => b.points - a.points || a.person.name.localeCompare(b.person.name) || a.person.id.localeCompare(b.person.id));
  let rank = 0;
  return rows.map((r, i) => {
    if (i === 0 || r.points !== rows[i - 1]?.points) rank = i + 1;
    return { rank, person: r.person, points: r.points, tasks: r.tasks, catches: r.catches, accuracy: r.accuracy, upheldRate: r.upheldRate };
  });
}

// --- periods -----------------------------------------------------------------------------------------------------

export type Period = { kind: PeriodKind; label: string; from: string; to: string };

const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const utcDay = (day: string) => new Date(`${day}T00:00:00.000Z`);
const pad = (n: number) => String(n).padStart(2, "0");

/** The ISO week (Monday to Monday, UTC) containing a day: label "2026-W48", `to` exclusive. */
export function isoWeek(day: string): Period {
  const d = utcDay(day);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday = 0
  const monday = new Date(d.getTime() - weekday * 86_400_000);
  // The ISO year is the year of the week's Thursday; week 1 is the week with the year's first Thursday.
  const thursday = new Date(monday.getTime() + 3 * 86_400_000);
  const isoYear = thursday.getUTCFullYear();
  const jan1 = Date.UTC(isoYear, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1) / (7 * 86_400_000)) + 1;
  return {
    kind: "week",
    label: `${isoYear}-W${pad(week)}`,
    from: dayOf(monday),
    to: dayOf(new Date(monday.getTime() + 7 * 86_400_000)),
  };
}

/** The calendar month (UTC) containing a day: label "2026-11", `to` exclusive. */
export function calendarMonth(day: string): Period {
  const d = utcDay(day);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return { kind: "month", label: `${y}-${pad(m + 1)}`, from: dayOf(new Date(Date.UTC(y, m, 1))), to: dayOf(new Date(Date.UTC(y, m + 1, 1))) };
}

export const periodOf = (kind: PeriodKind, day: string): Period => (kind === "week" ? isoWeek(day) : calendarMonth(day));

// --- payouts -------------------------------------------------------------------------------------------------------

export type PayoutRow = { personId: string; name: string; role: string; tasks: number; points: number };

export const PAYOUT_HEADER = ["person_id", "name", "role", "tasks", "points", "rate", "amount"] as const;

/** Money at two places, from points × rate, rounded half away from zero on the cents. */
export function payoutAmount(points: number, rate: number): number {
  const cents = Math.round(Math.abs(points * rate) * 100 + 1e-9) / 100;
  return points * rate < 0 ? -cents : cents;
}

/**
 * One CSV field: quoted when needed, and a leading = + - @ in text neutralised, since payout files are opened in
 * spreadsheets and a name must never run as a formula.
 */
export function csvField(value: string | number): string {
  if (typeof value === "number") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The payout file of a period: one line per person with points, sorted by name; CRLF as RFC 4180 says. */
export function payoutCsv(rows: readonly PayoutRow[], rate: number): string {
  const lines = [PAYOUT_HEADER.join(",")];
  const sorted = [...rows].sort((a, b) => a.name.localeCompare(b.name) || a.personId.localeCompare(b.personId));
  for (const r of sorted) {
    lines.push(
      // The amount is written with its cents ("4.50"); numbers are never formula-escaped.
      [...[r.personId, r.name, r.role].map(csvField), r.tasks, roundPoints(r.points), rate, payoutAmount(r.points, rate).toFixed(2)].join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}
