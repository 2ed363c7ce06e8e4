import { afterEach, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import type { MeResponse } from "../../../../shared/api/auth";
import type { TaskSummary } from "../../../../shared/api/tasks";
import { navigate, useLocation } from "../../app/router";
import { TaskListPage } from "./TaskListPage";

const LEAD = "00000000-0000-4000-8000-000000000001";
const ADA = "00000000-0000-4000-8000-0000000000b1";
const P1 = "00000000-0000-4000-8000-0000000000a1";
const TASK = "00000000-0000-4000-8000-0000000000c1";
const VIDEO = "00000000-0000-4000-8000-0000000000d1";

const me: MeResponse = { id: LEAD, email: "lead@demo.test", displayName: "Lee", role: "lead", abilities: { pages: ["queue", "tasks", "diffs"], actions: ["filter_by_person"], queues: ["all"] } };
const row: TaskSummary = {
  id: TASK, videoId: VIDEO, projectId: P1, aspect: "camera", stage: "approved", annotator: { id: ADA, name: "Ada" }, reviewer: null, isGold: false, score: 3,
  specVersion: "1", createdAt: "2026-03-01T10:00:00.000Z", updatedAt: "2026-03-02T10:00:00.000Z", submittedAt: null, reviewedAt: null,
  video: { title: "Street", durationSec: 4, fps: 24 }, exam: null,
};

function Routed() {
  const location = useLocation();
  return <TaskListPage me={me} search={location.search} />;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

it("shows the filters as removable chips and links each row to its task and diff", async () => {
  const asked: string[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL) => {
      const url = new URL(String(input), "http://localhost");
      if (url.pathname === "/api/tasks") asked.push(url.search);
      const body = url.pathname === "/api/tasks" ? [row] : url.pathname === "/api/users" ? [{ id: ADA, name: "Ada", role: "annotator" }] : [{ id: P1, name: "Street project", createdAt: "2026-01-01" }];
      return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
    }),
  );
  navigate(`/tasks?annotatorId=${ADA}&projectId=${P1}&event=catch&from=2026-03-02&to=2026-03-02&catchKind=missed_error&gold=false`, { replace: true });
  render(<Routed />);
  const table = await screen.findByTestId("task-list");
  expect(await within(table).findByRole("link", { name: "Street" })).toHaveProperty("pathname", `/tasks/${TASK}`);
  expect(within(table).getByRole("link", { name: "Compare the versions of Street" }).getAttribute("href")).toBe(`/tasks/${TASK}/diff`);
  expect(asked[0]).toBe(`?annotatorId=${ADA}&projectId=${P1}&event=catch&from=2026-03-02&to=2026-03-02&catchKind=missed_error&gold=false`);

  const chips = screen.getByRole("list", { name: "Filters" });
  await within(chips).findByText("Annotator: Ada");
  expect(within(chips).getAllByRole("listitem").map((li) => li.querySelector("span")?.textContent)).toEqual([
    "Catch recorded · Missed error · 2026-03-02",
    "Annotator: Ada",
    "Project: Street project",
    "No gold tasks",
  ]);
  // Removing the event removes its days and kind with it.
  fireEvent.click(screen.getByRole("button", { name: "Remove the filter Catch recorded · Missed error · 2026-03-02" }));
  expect(window.location.pathname + window.location.search).toBe(`/tasks?annotatorId=${ADA}&projectId=${P1}&gold=false`);
});
