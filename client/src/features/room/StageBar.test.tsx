import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { TaskAbilities } from "../../../../shared/api/abilities";
import type { CritiqueItem } from "../../../../shared/critique/items";
import { StageBar } from "./StageBar";

const TASK = "22222222-2222-4222-8222-222222222222";
const item = (id: string, what: string, fix: string): CritiqueItem => ({
  id, errorType: "wrong_term", primitiveId: null, what, fix, anchor: null, timeStart: 1, timeEnd: 2, createdBy: "u", createdAt: "2026-01-01T00:00:00Z",
});
const good = item("a", "The camera trucks left; the draft says it pans.", 'Write "trucks left" instead of "pans left".');
const vague = item("b", "Wrong.", "");

/** A stand-in for POST /transition that records the moves (the route is tested in server/resources/loop). */
function serve() {
  const sent: unknown[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { action: string };
      sent.push(body);
      return Response.json({ taskId: TASK, action: body.action, from: "refining", to: "submitted" });
    }),
  );
  return sent;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const refining: TaskAbilities = { actions: ["score", "critique", "submit", "request_revision"], roomWrites: ["critique"], readOnlyReason: null, panels: ["room"] };

describe("StageBar", () => {
  it("shows only the moves the abilities offer", () => {
    render(<StageBar taskId={TASK} stage="refining" abilities={{ ...refining, actions: ["critique"] }} items={[]} post="" postFindings={[]} onMoved={vi.fn()} />);
    expect(screen.queryByTestId("stage-bar")).toBeNull();
  });

  it("submits after the check once non-constructive items are consciously accepted", async () => {
    const sent = serve();
    const moved = vi.fn();
    render(<StageBar taskId={TASK} stage="refining" abilities={refining} items={[good, vague]} post="The camera trucks left." postFindings={[]} onMoved={moved} />);
    fireEvent.click(screen.getByRole("button", { name: "Submit…" }));
    expect(screen.getByTestId("submit-vague").textContent).toMatch(/Item 2.*does not say how to fix it/);
    const confirm = screen.getByRole("button", { name: "Submit" });
    expect(confirm).toHaveProperty("disabled", true);
    fireEvent.click(screen.getByLabelText(/I have checked these/));
    fireEvent.click(confirm);
    await waitFor(() => expect(moved).toHaveBeenCalledWith("submit"));
    expect(sent).toEqual([{ action: "submit", expectedStage: "refining" }]);
  });

  it("submits a clean critique with one confirmation", async () => {
    const sent = serve();
    render(<StageBar taskId={TASK} stage="refining" abilities={refining} items={[good]} post="The camera trucks left." postFindings={[]} onMoved={vi.fn()} />);
    fireEvent.click(screen.getByRole("button", { name: "Submit…" }));
    expect(screen.getByText(/Every item is constructive/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Submit" }));
    await waitFor(() => expect(sent).toHaveLength(1));
  });
});
