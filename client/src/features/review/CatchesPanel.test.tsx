import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type { TaskAbilities } from "../../../../shared/api/abilities";
import type { CatchView } from "../../../../shared/api/review";
import { CatchesPanel } from "./CatchesPanel";

const existing: CatchView = {
  id: "11111111-1111-4111-8111-111111111111",
  taskId: "22222222-2222-4222-8222-222222222222",
  reviewer: { id: "44444444-4444-4444-8444-444444444444", name: "Rev" },
  kind: "false_flag",
  itemId: "i1",
  anchor: null,
  quote: null,
  timeStart: null,
  timeEnd: null,
  note: "i1 flags a correct term.",
  status: "open",
  createdAt: new Date().toISOString(),
  disputeUntil: new Date(Date.now() + 3_600_000).toISOString(),
  disputes: [],
  mayDispute: false,
  mayResolve: false,
};
// The same catch as the server presents it to the annotator whose work was caught (within the window, open).
const toAnnotator: CatchView = { ...existing, mayDispute: true };

type Call = { url: string; method: string; body: unknown };

/** A stand-in for the server's catches endpoints (the real ones are tested in server/resources/review/route.test.ts). */
function serve(list: CatchView[]) {
  const calls: Call[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      const method = init?.method ?? "GET";
      const body: unknown = init?.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ url, method, body });
      if (method === "GET") return Response.json(list);
      if (url.endsWith("/catches")) {
        const created: CatchView = { ...existing, id: "33333333-3333-4333-8333-333333333333", kind: "missed_error", itemId: null, note: "n2" };
        list.push(created);
        return Response.json(created, { status: 201 });
      }
      if (url.endsWith("/dispute")) return Response.json({ ...existing, status: "disputed", disputes: [] });
      return Response.json({ error: { code: "not_found", message: "no" } }, { status: 404 });
    }),
  );
  return calls;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

// What the server's task policy gives the task's reviewer and its annotator while it is in review.
const reviewerAbilities: TaskAbilities = { actions: ["record_catch", "approve", "fix_and_approve", "reject_and_redo"], roomWrites: [], readOnlyReason: null, panels: ["review", "catches"] };
const annotatorAbilities: TaskAbilities = { actions: ["dispute_catch"], roomWrites: [], readOnlyReason: null, panels: ["catches"] };

describe("CatchesPanel", () => {
  it("lists the task's catches and lets the reviewer record one with an idempotency key", async () => {
    const calls = serve([existing]);
    render(<CatchesPanel taskId={existing.taskId} abilities={reviewerAbilities} items={[{ id: "i1", label: "Item 1" }]} target={{ timeStart: 1.5, timeEnd: 3 }} />);
    expect(await screen.findByText("i1 flags a correct term.")).toBeTruthy();
    const form = screen.getByRole("form", { name: "Record a catch" });
    fireEvent.change(within(form).getByLabelText("Note (what is wrong)"), { target: { value: "The dolly-in is missed." } });
    fireEvent.click(within(form).getByRole("button", { name: "Record catch" }));
    await waitFor(() => expect(screen.getAllByTestId("catch")).toHaveLength(2));
    const post = calls.find((c) => c.method === "POST");
    expect(post?.url).toBe(`/api/tasks/${existing.taskId}/catches`);
    expect(post?.body).toMatchObject({ kind: "missed_error", note: "The dolly-in is missed.", timeStart: 1.5, timeEnd: 3 });
    expect(typeof (post?.body as { requestKey?: unknown }).requestKey).toBe("string");
    // The form starts the next catch empty: no range or note left over from this one.
    expect((within(form).getByLabelText("From (s)") as HTMLInputElement).value).toBe("");
    expect((within(form).getByLabelText("To (s)") as HTMLInputElement).value).toBe("");
    expect((within(form).getByLabelText("Note (what is wrong)") as HTMLTextAreaElement).value).toBe("");
    // Not the annotator's controls.
    expect(screen.queryByRole("button", { name: "Dispute" })).toBeNull();
  });

  it("says at once that a reversed range cannot be recorded", () => {
    serve([]);
    render(<CatchesPanel taskId={existing.taskId} abilities={reviewerAbilities} />);
    const form = screen.getByRole("form", { name: "Record a catch" });
    fireEvent.change(within(form).getByLabelText("From (s)"), { target: { value: "3" } });
    fireEvent.change(within(form).getByLabelText("To (s)"), { target: { value: "1" } });
    fireEvent.change(within(form).getByLabelText("Note (what is wrong)"), { target: { value: "Missed the tilt." } });
    expect(within(form).getByRole("alert").textContent).toBe("The end time is before the start time: swap them.");
    expect(within(form).getByRole("button", { name: "Record catch" })).toHaveProperty("disabled", true);
  });

  it("lets the annotator dispute with a reason, and shows no catch form", async () => {
    const calls = serve([toAnnotator]);
    render(<CatchesPanel taskId={existing.taskId} abilities={annotatorAbilities} />);
    await screen.findByText("i1 flags a correct term.");
    expect(screen.queryByRole("form", { name: "Record a catch" })).toBeNull();
    fireEvent.change(screen.getByLabelText("Reason for the dispute"), { target: { value: "i1 is right." } });
    fireEvent.click(screen.getByRole("button", { name: "Dispute" }));
    await waitFor(() => expect(screen.getByText("disputed")).toBeTruthy());
    expect(calls.find((c) => c.url.endsWith("/dispute"))?.body).toEqual({ reason: "i1 is right." });
  });
});
