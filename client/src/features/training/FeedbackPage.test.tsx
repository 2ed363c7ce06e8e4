import { afterEach, expect, it, vi } from "vitest";
import { cleanup, render, screen, within } from "@testing-library/react";
import type { ExamFeedback } from "../../../../shared/api/training";
import type { ScoredItemRef } from "../../../../shared/goldScoring";
import { FeedbackPage } from "./FeedbackPage";

const TASK = "00000000-0000-4000-8000-0000000000c1";
const item = (id: string, errorType: ScoredItemRef["errorType"], quote: string, what: string): ScoredItemRef => ({
  id, errorType, primitiveId: null, quote, timeStart: 2, timeEnd: 3, what, fix: "Fix it.", spec: null,
});

const base: ExamFeedback = {
  taskId: TASK,
  stage: "submitted",
  exam: { id: "00000000-0000-4000-8000-0000000000e1", name: "Camera basics", passThreshold: 0.4 },
  score: null,
  standing: { attempted: 0, total: 1, meanF1: null, status: "not_started" },
};
const scored: ExamFeedback = {
  ...base,
  score: {
    precision: 0.5, recall: 0.5, f1: 0.5, constructiveShare: 1, passed: true, scoredAt: "2026-03-01T10:00:00.000Z", goldCount: 2, itemCount: 2,
    matched: [{ sameType: true, samePrimitive: false, spanOverlap: 1, timeOverlap: 1, score: 3, gold: item("g1", "wrong_term", "zooms in", "It is a dolly in."), mine: item("t1", "wrong_term", "zooms in", "The camera moves.") }],
    missed: [item("g2", "left_right", "left to right", "He walks the other way.")],
    falseItems: [item("t2", "hallucination", "red coat", "There is no coat.")],
  },
  standing: { attempted: 1, total: 1, meanF1: 0.5, status: "passed" },
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

it("shows 'Scoring…' until the score is there, then each item matched, missed or falsely flagged, the score and the pass mark", async () => {
  const answers = [base, scored];
  const asked: string[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL) => {
      asked.push(new URL(String(input), "http://localhost").pathname);
      const body = answers.length > 1 ? answers.shift() : answers[0];
      return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
    }),
  );
  render(<FeedbackPage taskId={TASK} />);
  expect((await screen.findByTestId("feedback-scoring")).textContent).toBe("Scoring…");
  expect(asked[0]).toBe(`/api/tasks/${TASK}/exam-feedback`);

  // The page asks again by itself.
  const verdict = await screen.findByTestId("feedback-verdict", {}, { timeout: 5000 });
  expect(verdict.textContent).toBe("Passed");
  expect(screen.queryByTestId("feedback-scoring")).toBeNull();
  expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Exam: Camera basics");
  expect(screen.getByTestId("feedback-score").textContent).toBe("50%");
  expect(screen.getByTestId("feedback-pass-mark").textContent).toBe("40%");
  expect(screen.getByTestId("feedback-found").textContent).toBe("1 of 2");
  const matched = screen.getByTestId("feedback-matched");
  expect(matched.textContent).toContain("It is a dolly in.");
  expect(within(matched).getByText(/^You:/).textContent).toContain("The camera moves.");
  expect(screen.getByTestId("feedback-missed").textContent).toContain("He walks the other way.");
  expect(screen.getByTestId("feedback-false").textContent).toContain("There is no coat.");
  expect(screen.getByTestId("feedback-standing").getAttribute("data-status")).toBe("passed");

  // Scored: no more asking.
  const calls = asked.length;
  await new Promise((r) => setTimeout(r, 1500));
  expect(asked.length).toBe(calls);
});

it("says below the pass mark when the attempt's score is under it", async () => {
  const failed: ExamFeedback = { ...scored, exam: { ...scored.exam, passThreshold: 0.8 }, score: scored.score && { ...scored.score, passed: false } };
  vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify(failed), { status: 200, headers: { "Content-Type": "application/json" } })));
  render(<FeedbackPage taskId={TASK} />);
  expect((await screen.findByTestId("feedback-verdict")).textContent).toBe("Below the pass mark");
  expect(screen.getByTestId("feedback-pass-mark").textContent).toBe("80%");
});
