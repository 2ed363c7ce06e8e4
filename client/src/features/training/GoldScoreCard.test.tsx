import { cleanup, render } from "@testing-library/react";
import { afterEach, expect, it } from "vitest";
import type { GoldScoreRow } from "../../../../shared/api/training";
import type { CritiqueItem } from "../../../../shared/critique/items";
import { scoreAgainstGold } from "../../../../shared/goldScoring";
import { GoldScoreCard } from "./GoldScoreCard";

afterEach(cleanup);

const DRAFT = "The camera zooms in while he walks left to right.";
const it_ = (id: string, errorType: CritiqueItem["errorType"], quote: string, primitiveId: string | null = null): CritiqueItem => ({
  id,
  errorType,
  primitiveId,
  what: `What ${id}`,
  fix: 'Write "something precise".',
  anchor: { start: "AAAA", end: "AAAA", quote },
  timeStart: 1,
  timeEnd: 2,
  createdBy: "x",
  createdAt: "2026-01-01T00:00:00Z",
});

it("shows the figures, the missed gold items with their spec entries, and the false items", () => {
  const result = scoreAgainstGold(
    { preCaption: DRAFT, items: [it_("g1", "wrong_term", "zooms in", "camera.movement.dolly_in"), it_("g2", "left_right", "left to right")] },
    { preCaption: DRAFT, items: [it_("t1", "left_right", "left to right"), it_("t2", "hallucination", "he walks")] },
    (id) => ({ primitiveId: id, label: "Dolly in", subAspect: "camera.movement" }),
  );
  const score: GoldScoreRow = {
    id: "s",
    taskId: "t",
    goldTaskId: "g",
    traineeId: "u",
    examId: null,
    precision: result.precision,
    recall: result.recall,
    constructiveShare: result.constructiveShare,
    passed: false,
    details: { ...result, goldVersionId: "a", attemptVersionId: "b" },
    createdAt: "2026-01-01T00:00:00Z",
  };
  const { getByTestId } = render(<GoldScoreCard score={score} />);
  expect(getByTestId("gold-precision").textContent).toBe("50%");
  expect(getByTestId("gold-recall").textContent).toBe("50%");
  expect(getByTestId("gold-missed").textContent).toContain("zooms in");
  expect(getByTestId("gold-missed").textContent).toContain("spec: Dolly in (camera.movement)");
  expect(getByTestId("gold-false").textContent).toContain("he walks");
});
