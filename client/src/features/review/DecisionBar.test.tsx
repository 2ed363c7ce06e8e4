import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { TaskAbilities } from "../../../../shared/api/abilities";
import { DecisionBar } from "./DecisionBar";

const TASK = "22222222-2222-4222-8222-222222222222";
const reviewer: TaskAbilities = { actions: ["approve", "fix_and_approve", "reject_and_redo"], roomWrites: [], readOnlyReason: null, panels: ["review"] };

/** A stand-in for POST /decision that records what the page sent (the route is tested in server/resources/review). */
function serve() {
  const sent: unknown[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      sent.push(JSON.parse(String(init?.body)));
      const view = { id: "11111111-1111-4111-8111-111111111111", taskId: TASK, reviewer: { id: TASK, name: "Rae" }, decision: "reject_and_redo", note: "x", createdAt: new Date().toISOString() };
      return Response.json({ decision: view, stage: "rejected" }, { status: 201 });
    }),
  );
  return sent;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("DecisionBar", () => {
  it("asks for a reason and a confirmation before rejecting, and sends the reason", async () => {
    const sent = serve();
    const changed = vi.fn();
    render(<DecisionBar taskId={TASK} abilities={reviewer} onTaskChanged={changed} />);
    fireEvent.click(screen.getByRole("button", { name: "Reject and redo…" }));
    const dialog = screen.getByRole("dialog", { name: "Reject and redo?" });
    const confirm = screen.getByRole("button", { name: "Reject and redo" });
    expect(confirm).toHaveProperty("disabled", true);
    fireEvent.change(screen.getByLabelText(/Reason \(required\)/), { target: { value: "  The move is a truck, not a pan.  " } });
    expect(confirm).toHaveProperty("disabled", false);
    fireEvent.click(confirm);
    await waitFor(() => expect(changed).toHaveBeenCalled());
    expect(sent).toEqual([{ decision: "reject_and_redo", note: "The move is a truck, not a pan." }]);
    expect(dialog.isConnected).toBe(false);
  });

  it("Esc closes the question without deciding", () => {
    const sent = serve();
    render(<DecisionBar taskId={TASK} abilities={reviewer} />);
    fireEvent.click(screen.getByRole("button", { name: "Reject and redo…" }));
    fireEvent.keyDown(screen.getByRole("dialog"), { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(sent).toEqual([]);
  });

  it("approves at once, with the optional note", async () => {
    const sent = serve();
    render(<DecisionBar taskId={TASK} abilities={reviewer} />);
    fireEvent.change(screen.getByLabelText("Decision note"), { target: { value: "Clean." } });
    fireEvent.click(screen.getByRole("button", { name: "Approve" }));
    await waitFor(() => expect(sent).toEqual([{ decision: "approve", note: "Clean." }]));
  });
});
