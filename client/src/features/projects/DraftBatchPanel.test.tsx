import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { MeResponse } from "../../../../shared/api/auth";
import { emptyDraftBatchProgress, type DraftBatch, type DraftBatchProgress } from "../../../../shared/api/draftBatches";
import type { ProjectDetail } from "../../../../shared/api/projects";
import { APP_ACTIONS } from "../../../../shared/api/abilities";
import { DraftBatchPanel } from "./DraftBatchPanel";
import { ProjectPage } from "./ProjectPage";

const PROJECT = "6f1c1f3e-8b1a-4c55-9a51-0d0e6b1b7a10";
const OTHER = "7a2d2f4f-9c2b-4d66-8b62-1e1f7c2c8b21";
const LEAD = { id: "0b8e7f43-3b55-4a43-8a2f-2bfbab0c6a11", name: "Lee Lead" };
const FAILED_TASK = "1c9f8054-4c66-4b54-9b30-3cacbd1d7b22";
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

const batch = (id: string, over: Partial<DraftBatch> = {}, progress: Partial<DraftBatchProgress> = {}): DraftBatch => ({
  id,
  project: { id: PROJECT, name: "Demo" },
  aspect: null,
  createdBy: LEAD,
  createdAt: new Date(Date.now() - 120_000).toISOString(),
  startedAt: null,
  finishedAt: null,
  state: "queued",
  progress: { ...emptyDraftBatchProgress(), ...progress },
  attempts: 0,
  error: null,
  ...over,
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

type Call = { method: string; path: string; body: unknown };

/**
 * The draft-batch API as the browser meets it: a started batch is read as waiting, then running halfway, then
 * finished with one failure (each GET moves it on); DELETE cancels what has not ended.
 */
function fakeServer(initial: DraftBatch[]) {
  const batches = new Map(initial.map((b) => [b.id, b]));
  const script = new Map<string, DraftBatch[]>();
  const calls: Call[] = [];
  const fetchStub = vi.fn(async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? "GET";
    const path = String(url);
    calls.push({ method, path, body: init.body ? JSON.parse(String(init.body)) : undefined });
    if (path === "/api/draft-batches" && method === "GET") return json({ batches: [...batches.values()].reverse() });
    if (path === "/api/draft-batches" && method === "POST") {
      const id = uuid(batches.size + 1);
      const started = batch(id, { aspect: "camera" });
      batches.set(id, started);
      script.set(id, [
        batch(id, { aspect: "camera", state: "running", attempts: 1 }, { total: 4, done: 2, drafted: 2, skippedDrafted: 1, skippedUnlabelled: 3 }),
        batch(id, { aspect: "camera", state: "done", attempts: 1, finishedAt: new Date().toISOString() }, {
          total: 4,
          done: 4,
          drafted: 3,
          failed: 1,
          skippedDrafted: 1,
          skippedUnlabelled: 3,
          failures: [{ taskId: FAILED_TASK, aspect: "camera", error: "Drafting failed: the model answered with nothing." }],
        }),
      ]);
      return json({ id, joined: false }, 202);
    }
    const id = decodeURIComponent(path.replace("/api/draft-batches/", ""));
    const current = batches.get(id);
    if (!current) return json({ error: { code: "not_found", message: "No such draft batch." } }, 404);
    if (method === "DELETE") {
      if (current.state !== "queued" && current.state !== "running") return json({ error: { code: "conflict", message: `The batch has already ended (${current.state}).` } }, 409);
      batches.set(id, { ...current, state: "cancelled", finishedAt: new Date().toISOString() });
      script.delete(id);
      return new Response(null, { status: 204 });
    }
    const next = script.get(id)?.shift();
    if (next) batches.set(id, next);
    return json(batches.get(id));
  });
  vi.stubGlobal("fetch", fetchStub);
  return { calls };
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("DraftBatchPanel", () => {
  it("starts a batch for one aspect, follows it to the end, and says what failed in words", async () => {
    const older = batch(uuid(90), { state: "done", createdAt: new Date(Date.now() - 3 * 3_600_000).toISOString(), finishedAt: new Date().toISOString() }, { total: 2, done: 2, drafted: 2 });
    const elsewhere = { ...batch(uuid(91), { state: "running" }), project: { id: OTHER, name: "Other" } };
    const { calls } = fakeServer([elsewhere, older]);
    const onFinished = vi.fn();
    render(<DraftBatchPanel projectId={PROJECT} aspects={["subject", "camera"]} onFinished={onFinished} pollMs={5} />);

    // The project's own last batch is shown; another project's is not followed.
    expect((await screen.findByTestId("draft-batch-state")).textContent).toBe("Finished");
    expect(screen.getByTestId("draft-batch-counts").textContent).toContain("2 of 2 tasks · 2 drafted · 0 failed");

    fireEvent.change(screen.getByLabelText("Aspect"), { target: { value: "camera" } });
    fireEvent.change(screen.getByLabelText("Drafts at once"), { target: { value: "2" } });
    fireEvent.click(screen.getByRole("button", { name: "Draft labelled tasks" }));

    // Read as it runs (half done), then followed until it has ended.
    await waitFor(() => expect(screen.getByTestId("draft-batch-counts").textContent).toContain("4 tasks"));
    await waitFor(() => expect(screen.getByTestId("draft-batch-state").textContent).toBe("Finished"), { timeout: 2000 });
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ project: PROJECT, aspect: "camera", concurrency: 2 });
    expect(calls.some((c) => c.path.endsWith(uuid(91)))).toBe(false);
    const counts = screen.getByTestId("draft-batch-counts").textContent;
    expect(counts).toContain("4 of 4 tasks · 3 drafted · 1 failed");
    expect(counts).toContain("left out: 1 drafted already, 3 not fully labelled");
    const failure = within(screen.getByTestId("draft-batch-failures")).getByRole("listitem");
    expect(failure.textContent).toBe("Camera task: Drafting failed: the model answered with nothing.");
    expect(within(failure).getByRole("link").getAttribute("href")).toBe(`/tasks/${FAILED_TASK}`);
    expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("100");
    expect(onFinished).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole("button", { name: "Cancel batch" })).toBeNull();

    // Both batches are in the recent list; showing the older one shows its counts.
    const rows = within(screen.getByTestId("draft-batch-list")).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(rows[1]?.textContent).toContain("Camera");
    fireEvent.click(within(screen.getByTestId(`draft-batch-row-${uuid(90)}`)).getByRole("button"));
    expect(screen.getByTestId("draft-batch-counts").textContent).toContain("2 of 2 tasks");
    expect(screen.getByTestId("draft-batch").textContent).toContain("All aspects");
  });

  it("cancels a running batch", async () => {
    const { calls } = fakeServer([batch(uuid(7), { state: "running", attempts: 2 }, { total: 5, done: 1, drafted: 1 })]);
    render(<DraftBatchPanel projectId={PROJECT} aspects={["camera"]} pollMs={60_000} />);
    expect((await screen.findByTestId("draft-batch-state")).textContent).toBe("Drafting");
    expect(screen.getByRole("progressbar").getAttribute("aria-valuetext")).toBe("1 of 5 tasks");
    // A batch another process took over says so.
    expect(screen.getByTestId("draft-batch-takeover").textContent).toContain("attempt 2");
    fireEvent.click(screen.getByRole("button", { name: "Cancel batch" }));
    await waitFor(() => expect(screen.getByTestId("draft-batch-state").textContent).toBe("Cancelled"));
    expect(calls.some((c) => c.method === "DELETE" && c.path === `/api/draft-batches/${uuid(7)}`)).toBe(true);
    expect(screen.queryByRole("button", { name: "Cancel batch" })).toBeNull();
  });

  it("shows the server's refusal in words", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: RequestInit = {}) =>
        init.method === "POST" ? json({ error: { code: "bad_request", message: 'No project "x".' } }, 400) : json({ batches: [] }),
      ),
    );
    render(<DraftBatchPanel projectId={PROJECT} aspects={["camera"]} />);
    expect((await screen.findByText("No batch yet for this project.")).className).toBe("empty");
    fireEvent.click(screen.getByRole("button", { name: "Draft labelled tasks" }));
    expect((await screen.findByTestId("draft-batch-error")).textContent).toBe('No project "x".');
  });
});

describe("ProjectPage's Tasks tab", () => {
  const project: ProjectDetail = {
    id: PROJECT,
    name: "Demo",
    createdAt: "2026-01-01T00:00:00.000Z",
    settings: { aspects: ["camera"], provider: "rules", model: "", inputMode: "frames", bestOfN: 1, rewardRulesVersion: null, overlapShare: 0, goldShare: 0, testShare: 0, specVersion: "1" },
    warnings: [],
    options: { rewardRulesVersions: [], currentSpecVersion: "1" },
    counts: { clips: 1, tasks: 1 },
  };
  const me = (actions: MeResponse["abilities"]["actions"]): MeResponse => ({
    id: LEAD.id,
    email: "lead@demo.test",
    displayName: LEAD.name,
    role: "lead",
    abilities: { pages: ["projects"], actions, queues: ["all"] },
  });
  const serve = () =>
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string) => {
        const path = String(url);
        if (path === `/api/projects/${PROJECT}`) return json(project);
        if (path === `/api/projects/${PROJECT}/tasks`) return json([]);
        if (path === "/api/draft-batches") return json({ batches: [] });
        return json({ error: { code: "not_found", message: path } }, 404);
      }),
    );

  it("offers batch drafting to those with the draft_batches ability, and only to them", async () => {
    serve();
    const { unmount } = render(<ProjectPage me={me([...APP_ACTIONS])} projectId={PROJECT} />);
    await screen.findByRole("heading", { name: "Demo" });
    fireEvent.click(screen.getByRole("tab", { name: "Tasks" }));
    expect(await screen.findByRole("region", { name: "Draft labelled tasks" })).toBeTruthy();
    unmount();

    serve();
    render(<ProjectPage me={me(APP_ACTIONS.filter((a) => a !== "draft_batches"))} projectId={PROJECT} />);
    await screen.findByRole("heading", { name: "Demo" });
    fireEvent.click(screen.getByRole("tab", { name: "Tasks" }));
    await screen.findByText(/No tasks yet/);
    expect(screen.queryByRole("region", { name: "Draft labelled tasks" })).toBeNull();
  });
});
