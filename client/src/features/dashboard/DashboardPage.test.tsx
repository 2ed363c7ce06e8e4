import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type { DashboardData } from "../../../../shared/api/dashboard";
import { TaskListQuery } from "../../../../shared/api/tasks";
import { navigate, useLocation } from "../../app/router";
import { DashboardPage } from "./DashboardPage";

const P1 = "00000000-0000-4000-8000-0000000000a1";
const P2 = "00000000-0000-4000-8000-0000000000a2";
const ADA = "00000000-0000-4000-8000-0000000000b1";
const BEN = "00000000-0000-4000-8000-0000000000b2";

/** The figures the server would send for a query: its filter echoed with defaults filled in. */
function figures(query: URLSearchParams): DashboardData {
  return {
    filter: { projectId: query.get("projectId"), personId: query.get("personId"), from: query.get("from") ?? "2026-01-01", to: query.get("to") ?? "2026-03-31" },
    choices: {
      projects: [
        { id: P1, name: "Street" },
        { id: P2, name: "Harbour" },
      ],
      people: [
        { id: ADA, name: "Ada", role: "annotator" },
        { id: BEN, name: "Ben", role: "trainee" },
      ],
    },
    errorTypesPerAspect: [{ aspect: "camera", errorType: "wrong_term", count: 3 }],
    catchesOverTime: [{ day: "2026-03-02", kind: "missed_error", count: 2 }],
    annotatorTrends: [{ userId: ADA, name: "Ada", week: "2026-03-30", precision: 0.5, recall: 1, tasks: 2 }],
    agreement: [{ subAspect: "camera.movement", alpha: 0.4, units: 3 }],
    throughput: { tasksPerHour: [{ hour: "2026-03-02T10:00", count: 1 }], minutesPerStage: [{ stage: "drafting", minutes: 6, samples: 1 }] },
  };
}

/** The page as the app mounts it: its filters come from the URL. */
function Routed() {
  const location = useLocation();
  return <DashboardPage search={location.search} />;
}

const here = () => window.location.pathname + window.location.search;
const figureRequests: string[] = [];

beforeEach(() => {
  figureRequests.length = 0;
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL) => {
      const url = new URL(String(input), "http://localhost");
      if (url.pathname === "/api/dashboard") {
        figureRequests.push(url.search);
        return new Response(JSON.stringify(figures(url.searchParams)), { status: 200, headers: { "Content-Type": "application/json" } });
      }
      return new Response("[]", { status: 200, headers: { "Content-Type": "application/json" } });
    }),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("DashboardPage", () => {
  it("reads its filters from the URL and writes every change back to it", async () => {
    navigate(`/dashboard?projectId=${P1}&from=2026-02-01`, { replace: true });
    render(<Routed />);
    const bar = await screen.findByRole("search", { name: "Dashboard filters" });
    await within(bar).findByRole("option", { name: "Street" });
    const project = within(bar).getByLabelText("Project") as HTMLSelectElement;
    expect(project.value).toBe(P1);
    expect((within(bar).getByLabelText("From") as HTMLInputElement).value).toBe("2026-02-01");
    // The server's default end shows while the URL names none.
    expect((within(bar).getByLabelText("To") as HTMLInputElement).value).toBe("2026-03-31");
    expect(figureRequests.at(-1)).toBe(`?projectId=${P1}&from=2026-02-01`);

    fireEvent.change(within(bar).getByLabelText("Person"), { target: { value: ADA } });
    expect(here()).toBe(`/dashboard?projectId=${P1}&personId=${ADA}&from=2026-02-01`);
    fireEvent.change(within(bar).getByLabelText("To"), { target: { value: "2026-02-28" } });
    fireEvent.change(project, { target: { value: "" } });
    expect(here()).toBe(`/dashboard?personId=${ADA}&from=2026-02-01&to=2026-02-28`);
    await waitFor(() => expect(figureRequests.at(-1)).toBe(`?personId=${ADA}&from=2026-02-01&to=2026-02-28`));
    expect((within(bar).getByLabelText("Person") as HTMLSelectElement).value).toBe(ADA);

    fireEvent.click(within(bar).getByRole("button", { name: "Reset: last 90 days, everyone" }));
    expect(here()).toBe("/dashboard");
  });

  it("makes every bar and point a link to the tasks behind it, named for what it opens", async () => {
    navigate(`/dashboard?projectId=${P2}&personId=${ADA}&from=2026-03-01&to=2026-03-31`, { replace: true });
    render(<Routed />);
    const bar = await screen.findByRole("link", { name: "Open the tasks behind Camera · Wrong term: 3" });
    const expected = `/tasks?aspect=camera&annotatorId=${ADA}&projectId=${P2}&event=final&from=2026-03-01&to=2026-03-31&errorType=wrong_term&gold=false`;
    expect(bar.getAttribute("href")).toBe(expected);
    // What the link writes, the task list API accepts.
    expect(TaskListQuery.safeParse(Object.fromEntries(new URLSearchParams(expected.split("?")[1]))).success).toBe(true);

    const point = screen.getByRole("link", { name: "Open the tasks behind Missed error · 2026-03-02: 2" });
    expect(point.getAttribute("href")).toBe(`/tasks?annotatorId=${ADA}&projectId=${P2}&event=catch&from=2026-03-02&to=2026-03-02&catchKind=missed_error&gold=false`);
    // A week that runs past the range is cut at its end.
    const week = screen.getAllByRole("link", { name: "Open the tasks behind Ada · 2026-03-30: 0.50" })[0];
    expect(week?.getAttribute("href")).toBe(`/tasks?annotatorId=${ADA}&projectId=${P2}&event=annotated&from=2026-03-30&to=2026-03-31&gold=false`);
    expect(screen.getByRole("link", { name: "Open the tasks behind camera.movement: 0.40 (3 clips)" }).getAttribute("href")).toBe(
      `/tasks?aspect=camera&annotatorId=${ADA}&projectId=${P2}&overlap=true&gold=false`,
    );
    expect(screen.getByRole("link", { name: "Open the tasks behind Drafting: 6 min (1 tasks)" }).getAttribute("href")).toBe(
      `/tasks?annotatorId=${ADA}&projectId=${P2}&event=left_stage&from=2026-03-01&to=2026-03-31&leftStage=drafting&gold=false`,
    );

    // A click opens the list; so does Enter on a focused bar.
    fireEvent.click(bar);
    expect(here()).toBe(expected);
    navigate(`/dashboard?projectId=${P2}&personId=${ADA}&from=2026-03-01&to=2026-03-31`);
    const submitted = await screen.findByRole("link", { name: "Open the tasks behind 03-02 · Submitted: 1" });
    expect(submitted.getAttribute("tabindex")).toBe("0");
    fireEvent.keyDown(submitted, { key: "Enter" });
    expect(here()).toBe(`/tasks?annotatorId=${ADA}&projectId=${P2}&event=submitted&from=2026-03-02&to=2026-03-02&gold=false`);
  });
});
