import { describe, expect, it } from "vitest";
import type { CatchView } from "../../../../shared/api/review";
import { canDecide, canDispute, canRecordCatch, canResolve, canStartReview, panelTaskOf, type PanelTask } from "./permissions";

const ann = { id: "ann", role: "annotator" };
const rev = { id: "rev", role: "reviewer" };
const rev2 = { id: "rev2", role: "reviewer" };
const lead = { id: "lead", role: "lead" };
const inReview: PanelTask = { stage: "in_review", annotatorId: "ann", reviewerId: "rev" };
const aCatch = (over: Partial<CatchView> = {}): CatchView => ({
  id: "c1",
  taskId: "t1",
  reviewer: { id: "rev", name: "Rev" },
  kind: "missed_error",
  itemId: null,
  anchor: null,
  quote: null,
  timeStart: 1,
  timeEnd: 2,
  note: "n",
  status: "open",
  createdAt: "2026-11-24T10:00:00.000Z",
  disputeUntil: "2026-11-27T10:00:00.000Z",
  disputes: [],
  ...over,
});

describe("review panel permissions", () => {
  it("offers review only to someone else's reviewer", () => {
    const submitted: PanelTask = { stage: "submitted", annotatorId: "ann", reviewerId: null };
    expect(canStartReview(rev, submitted)).toBe(true);
    expect(canStartReview(ann, submitted)).toBe(false);
    expect(canStartReview(rev2, { ...submitted, reviewerId: "rev" })).toBe(false);
    expect(canStartReview(lead, { ...submitted, reviewerId: "rev" })).toBe(true);
  });

  it("lets only the task's reviewer record catches and decide; leads may decide", () => {
    expect(canRecordCatch(rev, inReview)).toBe(true);
    expect(canRecordCatch(rev2, inReview)).toBe(false);
    expect(canRecordCatch(lead, inReview)).toBe(false);
    expect(canRecordCatch(rev, { ...inReview, stage: "approved" })).toBe(false);
    expect(canDecide(rev, inReview)).toBe(true);
    expect(canDecide(lead, inReview)).toBe(true);
    expect(canDecide(ann, { ...inReview, reviewerId: "ann" })).toBe(false);
  });

  it("lets the annotator dispute an open catch within its window, and a non-party lead resolve it", () => {
    const now = Date.parse("2026-11-25T00:00:00Z");
    expect(canDispute(ann, inReview, aCatch(), now)).toBe(true);
    expect(canDispute(ann, inReview, aCatch(), Date.parse("2026-11-28T00:00:00Z"))).toBe(false);
    expect(canDispute(rev, inReview, aCatch(), now)).toBe(false);
    expect(canDispute(ann, inReview, aCatch({ status: "disputed" }), now)).toBe(false);
    expect(canResolve(lead, inReview, aCatch({ status: "disputed" }))).toBe(true);
    expect(canResolve(lead, inReview, aCatch({ status: "disputed", reviewer: { id: "lead", name: "L" } }))).toBe(false);
    expect(canResolve(rev, inReview, aCatch({ status: "disputed" }))).toBe(false);
  });
});

describe("panelTaskOf", () => {
  it("reads the people's ids from a task detail", () => {
    expect(panelTaskOf({ stage: "submitted", annotator: { id: "a", name: "A" }, reviewer: null })).toEqual({ stage: "submitted", annotatorId: "a", reviewerId: null });
  });
});
