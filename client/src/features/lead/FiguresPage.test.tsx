import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import type { LeaderboardResponse, PersonFiguresResponse } from "../../../../shared/api/review";
import { FiguresPage } from "./FiguresPage";

// The client checks every response against its schema: ids are UUIDs as the server sends them.
const REV = "00000000-0000-4000-8000-000000000001";
const ANN = "00000000-0000-4000-8000-000000000002";
const RULE = "00000000-0000-4000-8000-000000000003";

const board: LeaderboardResponse = {
  period: "week",
  label: "2026-W48",
  from: "2026-11-23",
  to: "2026-11-30",
  rows: [
    { rank: 1, person: { id: REV, name: "Rev", role: "reviewer" }, points: 9, tasks: 2, catches: 4, accuracy: null, upheldRate: 0.75 },
    { rank: 2, person: { id: ANN, name: "Ann", role: "annotator" }, points: 5, tasks: 2, catches: 0, accuracy: 0.5, upheldRate: null },
  ],
};
const ann: PersonFiguresResponse = {
  person: { id: ANN, name: "Ann", role: "annotator" },
  from: null,
  to: null,
  annotator: {
    reviewed: 2,
    rejected: 1,
    accuracy: 0.5,
    items: 5,
    upheldFalseFlags: 1,
    upheldMissedErrors: 0,
    upheldNonConstructive: 1,
    precision: 0.8,
    recall: 1,
    constructiveShare: 0.8,
  },
  reviewer: { catches: 0, upheld: 0, overturned: 0, pending: 0, upheldRate: null, overturnRate: null },
  points: 5,
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("FiguresPage", () => {
  it("shows the leaderboard and a person's figures, and links the payout CSV", async () => {
    const urls: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: RequestInfo | URL) => {
        const url = String(input);
        urls.push(url);
        if (url.startsWith("/api/catches")) return Response.json([]);
        if (url.startsWith("/api/reward-rules")) {
          return Response.json([{ id: RULE, rule: "task.approved", points: 10, effectiveFrom: "2020-01-01", effectiveTo: null, createdAt: "2020-01-01T00:00:00Z" }]);
        }
        return Response.json(url.startsWith("/api/figures/leaderboard") ? board : ann);
      }),
    );
    render(<FiguresPage />);
    const table = await screen.findByTestId("leaderboard");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getAllByRole("cell").map((c) => c.textContent))).toEqual([
      ["1", "Rev", "Reviewer", "9", "2", "4", "—", "75.0 %"],
      ["2", "Ann", "Annotator", "5", "2", "0", "50.0 %", "—"],
    ]);
    expect(urls.find((u) => u.startsWith("/api/figures/leaderboard"))).toMatch(/^\/api\/figures\/leaderboard\?period=week&at=\d{4}-\d{2}-\d{2}$/);
    expect(await screen.findByText("No disputes waiting.")).toBeTruthy();
    expect(within(await screen.findByTestId("rules")).getByText("10")).toBeTruthy();

    fireEvent.click(within(table).getByRole("button", { name: "Ann" }));
    const person = await screen.findByTestId("person-figures");
    expect(await within(person).findByText("80.0 %", { selector: "dd[title='1 upheld false flags']" })).toBeTruthy();
    expect(within(person).getByText("5 points")).toBeTruthy();

    fireEvent.click(screen.getByRole("tab", { name: "Month" }));
    expect(urls.some((u) => u.includes("period=month"))).toBe(true);
    const link = screen.getByRole("link", { name: "Download CSV" });
    expect(link.getAttribute("href")).toMatch(/^\/api\/payouts\.csv\?from=\d{4}-\d{2}-01&to=\d{4}-\d{2}-01&rate=0\.10$/);
  });
});
