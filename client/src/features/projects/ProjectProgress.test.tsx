import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, within } from "@testing-library/react";
import { emptyStageCounts, type ProjectProgress as Progress } from "../../../../shared/api/projects";
import { ProjectProgress, progressTasksHref } from "./ProjectProgress";

const PROJECT = "6f1c1f3e-8b1a-4c55-9a51-0d0e6b1b7a10";
const ANN = "0b8e7f43-3b55-4a43-8a2f-2bfbab0c6a11";
const REV = "1c9f8054-4c66-4b54-9b30-3cacbd1d7b22";
const weeks = ["2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"];
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

const progress: Progress = {
  projectId: PROJECT,
  generatedAt: new Date().toISOString(),
  weeks,
  byStage: { ...emptyStageCounts(), labelling: 3, submitted: 2, in_review: 1, approved: 4 },
  total: 10,
  waitingOn: [
    { who: "annotator", count: 3, oldestSince: hoursAgo(5), openDisputes: 0 },
    { who: "reviewer", count: 3, oldestSince: hoursAgo(30), openDisputes: 0 },
    { who: "model", count: 0, oldestSince: null, openDisputes: 0 },
    { who: "lead", count: 2, oldestSince: hoursAgo(3), openDisputes: 1 },
  ],
  throughput: weeks.map((week, i) => ({ week, submitted: i === 7 ? 3 : i % 2, approved: i === 6 ? 2 : 0 })),
  people: [
    {
      id: ANN,
      name: "Ann A",
      role: "annotator",
      part: "annotator",
      byStage: { ...emptyStageCounts(), labelling: 2, approved: 4 },
      submittedPerWeek: [0, 1, 0, 1, 0, 1, 0, 3],
      approved: 4,
      waiting: 2,
      oldestWaitingSince: hoursAgo(5),
    },
    {
      id: REV,
      name: "Rev R",
      role: "reviewer",
      part: "reviewer",
      byStage: { ...emptyStageCounts(), in_review: 1, approved: 4 },
      submittedPerWeek: [0, 0, 0, 0, 0, 0, 0, 0],
      approved: 2,
      waiting: 1,
      oldestWaitingSince: hoursAgo(30),
    },
  ],
};

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("ProjectProgress", () => {
  it("builds task-page links with TaskListQuery's keys", () => {
    expect(progressTasksHref({ projectId: PROJECT, annotatorId: ANN, stage: "in_review" })).toBe(`/tasks?projectId=${PROJECT}&annotatorId=${ANN}&stage=in_review`);
    expect(progressTasksHref({ projectId: PROJECT, reviewerId: REV })).toBe(`/tasks?projectId=${PROJECT}&reviewerId=${REV}`);
  });

  it("shows stages, who work waits on, throughput and each person, every count linking to its tasks", async () => {
    const fetchStub = vi.fn(async (_url: string) => json(progress));
    vi.stubGlobal("fetch", fetchStub);
    render(<ProjectProgress projectId={PROJECT} />);

    const bar = await screen.findByTestId("progress-stage-bar");
    expect(String(fetchStub.mock.calls[0]?.[0])).toBe(`/api/projects/${PROJECT}/progress`);
    expect(bar.getAttribute("aria-label")).toBe("Labelling 3, Submitted 2, In review 1, Approved 4");
    expect(bar.querySelectorAll(".progress-segment")).toHaveLength(4);
    const submitted = screen.getByTestId("progress-stage-submitted");
    expect(submitted.tagName).toBe("A");
    expect(submitted.getAttribute("href")).toBe(`/tasks?projectId=${PROJECT}&stage=submitted`);
    // A stage with no tasks is not a link.
    expect(screen.getByTestId("progress-stage-drafting").tagName).toBe("SPAN");

    expect(screen.getByTestId("waiting-reviewer").textContent).toBe("Reviewers3oldest: yesterday");
    expect(screen.getByTestId("waiting-model").textContent).toContain("nothing waiting");
    expect(screen.getByTestId("waiting-lead").textContent).toContain("1 open dispute");

    const weeksRows = within(screen.getByTestId("progress-throughput")).getAllByRole("row");
    expect(weeksRows).toHaveLength(1 + 8);
    expect(screen.getByTestId("throughput-2026-11-30").textContent).toContain("3");

    const table = screen.getByTestId("progress-people");
    // Only stages the project has tasks in get a column.
    expect(within(table).getAllByRole("columnheader").map((h) => h.textContent)).toEqual([
      "Person", "Works as", "Labelling", "Submitted", "In review", "Approved", "Submitted / week", "Approved", "Waiting on them",
    ]);
    const ann = screen.getByTestId(`progress-person-${ANN}-annotator`);
    expect(within(ann).getByRole("rowheader").textContent).toBe("Ann A");
    const labelling = within(ann).getByRole("link", { name: "Ann A: 2 labelling" });
    expect(labelling.getAttribute("href")).toBe(`/tasks?projectId=${PROJECT}&annotatorId=${ANN}&stage=labelling`);
    expect(within(ann).getByRole("img").getAttribute("aria-label")).toBe("Submitted per week, oldest first: 0, 1, 0, 1, 0, 1, 0, 3");
    expect(within(ann).getByTestId("waiting").textContent).toBe("2 tasks · oldest 5 h ago");

    // A reviewer's counts open the tasks they review.
    const rev = screen.getByTestId(`progress-person-${REV}-reviewer`);
    const inReview = within(rev).getByRole("link", { name: "Rev R: 1 in review" });
    expect(inReview.getAttribute("href")).toBe(`/tasks?projectId=${PROJECT}&reviewerId=${REV}&stage=in_review`);
    expect(within(rev).getByTestId("count-submitted").textContent).toBe("0");
    expect(within(rev).queryAllByRole("link")).toHaveLength(2);
  });

  it("shows the server's message when progress cannot be loaded", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => json({ error: { code: "forbidden", message: "Only leads and admins see projects." } }, 403)));
    render(<ProjectProgress projectId={PROJECT} />);
    expect((await screen.findByRole("alert")).textContent).toBe("Only leads and admins see projects.");
  });
});
