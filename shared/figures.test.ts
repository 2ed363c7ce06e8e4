import { describe, expect, it } from "vitest";
import {
  annotatorFigures,
  calendarMonth,
  csvField,
  isoWeek,
  leaderboard,
  payoutAmount,
  payoutCsv,
  pointsOf,
  reviewerFigures,
  tasksOf,
  type CatchRecord,
  type LedgerRecord,
  type ReviewedTask,
} from "./figures";

// A fixture whose every figure was worked out by hand (see the comments by each expectation).
const A = "ann";
const B = "bea";
const R = "rex";
const S = "sam";
const reviewed: ReviewedTask[] = [
  { taskId: "t1", workerId: A, reviewerId: R, items: 4, rejected: false },
  { taskId: "t2", workerId: A, reviewerId: R, items: 3, rejected: true },
  { taskId: "t3", workerId: A, reviewerId: S, items: 3, rejected: false },
  { taskId: "t4", workerId: B, reviewerId: S, items: 2, rejected: false },
];
const c = (id: string, taskId: string, reviewerId: string, workerId: string, kind: CatchRecord["kind"], status: CatchRecord["status"]): CatchRecord => ({
  id,
  taskId,
  reviewerId,
  workerId,
  kind,
  status,
});
const catches: CatchRecord[] = [
  c("c1", "t1", R, A, "false_flag", "open"),
  c("c2", "t1", R, A, "false_flag", "overturned"),
  c("c3", "t2", R, A, "missed_error", "upheld"),
  c("c4", "t3", S, A, "missed_error", "disputed"),
  c("c5", "t3", S, A, "non_constructive", "open"),
  c("c6", "t4", S, B, "residual_error", "open"),
  c("c7", "t1", R, A, "missed_error", "open"),
];
const l = (userId: string, points: number, taskId: string | null = null): LedgerRecord => ({ userId, points, taskId });
const ledger: LedgerRecord[] = [
  ...[10, 10, -2, -3, 2].map((p) => l(A, p)), // 17
  ...[10, 1].map((p) => l(B, p)), // 11
  ...[3, 5, 5, 3, -3].map((p) => l(R, p)), // 13
  ...[2, 4, 5].map((p) => l(S, p)), // 11
];

describe("annotator figures", () => {
  it("computes accuracy, precision, recall and constructive share on the fixture", () => {
    const f = annotatorFigures(A, reviewed, catches);
    // Ann: 3 reviewed (t1, t2, t3), 1 rejected (t2) → 2/3.
    expect(f.reviewed).toBe(3);
    expect(f.rejected).toBe(1);
    expect(f.accuracy).toBeCloseTo(2 / 3, 12);
    // 4 + 3 + 3 items; standing false flags: c1 (c2 overturned) → 1 − 1/10.
    expect(f.items).toBe(10);
    expect(f.upheldFalseFlags).toBe(1);
    expect(f.precision).toBeCloseTo(0.9, 12);
    // Standing missed errors: c3 (upheld), c7 (open); c4 is disputed, pending → 10 / (10 + 2).
    expect(f.upheldMissedErrors).toBe(2);
    expect(f.recall).toBeCloseTo(10 / 12, 12);
    // One standing non-constructive (c5) → 1 − 1/10.
    expect(f.upheldNonConstructive).toBe(1);
    expect(f.constructiveShare).toBeCloseTo(0.9, 12);
  });

  it("gives perfect figures to clean work and nulls to no work", () => {
    expect(annotatorFigures(B, reviewed, catches)).toEqual({
      reviewed: 1,
      rejected: 0,
      accuracy: 1,
      items: 2,
      upheldFalseFlags: 0,
      upheldMissedErrors: 0,
      upheldNonConstructive: 0,
      precision: 1,
      recall: 1,
      constructiveShare: 1,
    });
    const none = annotatorFigures("nobody", reviewed, catches);
    expect(none.accuracy).toBeNull();
    expect(none.precision).toBeNull();
    expect(none.recall).toBeNull();
    expect(none.constructiveShare).toBeNull();
  });

  it("counts a task reviewed twice (reopened) once", () => {
    const twice = [...reviewed, { taskId: "t1", workerId: A, reviewerId: S, items: 4, rejected: false }];
    expect(annotatorFigures(A, twice, []).reviewed).toBe(3);
  });
});

describe("reviewer figures", () => {
  it("counts catches, what stands, what was overturned and what is pending", () => {
    // Rex: c1, c2, c3, c7; c2 overturned → 3 stand.
    expect(reviewerFigures(R, catches)).toEqual({ catches: 4, upheld: 3, overturned: 1, pending: 0, upheldRate: 0.75, overturnRate: 0.25 });
    // Sam: c4 (pending), c5, c6.
    const s = reviewerFigures(S, catches);
    expect(s).toMatchObject({ catches: 3, upheld: 2, overturned: 0, pending: 1, overturnRate: 0 });
    expect(s.upheldRate).toBeCloseTo(2 / 3, 12);
    expect(reviewerFigures(A, catches)).toEqual({ catches: 0, upheld: 0, overturned: 0, pending: 0, upheldRate: null, overturnRate: null });
  });
});

describe("points and the leaderboard", () => {
  it("sums points per person, reversals included", () => {
    expect(pointsOf(A, ledger)).toBe(17);
    expect(pointsOf(R, ledger)).toBe(13);
    expect(pointsOf(B, [l(B, 0.1), l(B, 0.2)])).toBe(0.3);
  });

  it("ranks by points, ties share a rank and are ordered by name; idle people are left out", () => {
    const people = [
      { id: S, name: "Sam", role: "reviewer" },
      { id: B, name: "Bea", role: "annotator" },
      { id: A, name: "Ann", role: "annotator" },
      { id: R, name: "Rex", role: "reviewer" },
      { id: "idle", name: "Ida", role: "annotator" },
    ];
    const rows = leaderboard(people, { reviewed, catches, ledger });
    expect(rows.map((r) => [r.rank, r.person.name, r.points, r.tasks, r.catches])).toEqual([
      [1, "Ann", 17, 3, 0],
      [2, "Rex", 13, 2, 4],
      [3, "Bea", 11, 1, 0],
      [3, "Sam", 11, 2, 3],
    ]);
    expect(rows[0]?.accuracy).toBeCloseTo(2 / 3, 12);
    expect(rows[1]?.upheldRate).toBe(0.75);
    expect(tasksOf(S, reviewed)).toBe(2);
  });
});

describe("periods", () => {
  it("finds the ISO week, including weeks that straddle a year", () => {
    expect(isoWeek("2026-11-24")).toEqual({ kind: "week", label: "2026-W48", from: "2026-11-23", to: "2026-11-30" });
    expect(isoWeek("2026-11-29")).toMatchObject({ label: "2026-W48", from: "2026-11-23" });
    expect(isoWeek("2021-01-03")).toMatchObject({ label: "2020-W53", from: "2020-12-28", to: "2021-01-04" });
    expect(isoWeek("2024-12-30")).toMatchObject({ label: "2025-W01", from: "2024-12-30" });
    expect(isoWeek("2026-01-01")).toMatchObject({ label: "2026-W01", from: "2025-12-29" });
  });

  it("finds the calendar month", () => {
    expect(calendarMonth("2026-12-15")).toEqual({ kind: "month", label: "2026-12", from: "2026-12-01", to: "2027-01-01" });
    expect(calendarMonth("2024-02-29")).toMatchObject({ label: "2024-02", from: "2024-02-01", to: "2024-03-01" });
  });
});

describe("payout CSV", () => {
  it("writes one line per person with the amount at the rate", () => {
    const csv = payoutCsv(
      [
        { personId: "p2", name: "Smith, Jo", role: "reviewer", tasks: 2, points: 13 },
        { personId: "p1", name: "Ann", role: "annotator", tasks: 3, points: 17 },
        { personId: "p3", name: "=HYPERLINK(1)", role: "annotator", tasks: 1, points: -3 },
      ],
      0.25,
    );
    expect(csv).toBe(
      [
        "person_id,name,role,tasks,points,rate,amount",
        "p3,'=HYPERLINK(1),annotator,1,-3,0.25,-0.75",
        "p1,Ann,annotator,3,17,0.25,4.25",
        'p2,"Smith, Jo",reviewer,2,13,0.25,3.25',
        "",
      ].join("\r\n"),
    );
  });

  it("rounds amounts to cents and escapes fields", () => {
    expect(payoutAmount(3, 0.335)).toBe(1.01);
    expect(payoutAmount(-1, 0.005)).toBe(-0.01);
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("+1")).toBe("'+1");
  });
});
