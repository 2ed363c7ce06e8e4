import { afterEach, expect, it, vi } from "vitest";
import { cleanup, render, screen, within } from "@testing-library/react";
import type { MeResponse } from "../../../../shared/api/auth";
import type { TaskSummary } from "../../../../shared/api/tasks";
import { navigate, useLocation } from "../../app/router";
import { QueuePage } from "./QueuePage";

const TIA = "00000000-0000-4000-8000-0000000000b1";
const EXAM = "00000000-0000-4000-8000-0000000000e1";
const ATTEMPT = "00000000-0000-4000-8000-0000000000c1";
const PLAIN = "00000000-0000-4000-8000-0000000000c2";

const me: MeResponse = { id: TIA, email: "trainee@demo.test", displayName: "Tia", role: "trainee", abilities: { pages: ["queue"], actions: [], queues: ["mine"] } };
const row = (id: string, title: string, exam: TaskSummary["exam"]): TaskSummary => ({
  id, videoId: "00000000-0000-4000-8000-0000000000d1", projectId: "00000000-0000-4000-8000-0000000000a1", aspect: "camera", stage: "labelling",
  annotator: { id: TIA, name: "Tia" }, reviewer: null, isGold: false, score: null, specVersion: "1", createdAt: "2026-03-01T10:00:00.000Z",
  updatedAt: "2026-03-02T10:00:00.000Z", submittedAt: null, reviewedAt: null, video: { title, durationSec: 4, fps: 24 }, exam,
});

function Routed() {
  const location = useLocation();
  return <QueuePage me={me} search={location.search} />;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

it("marks an exam attempt with the exam's name, and the text filter finds it by 'exam'", async () => {
  vi.stubGlobal(
    "fetch",
    vi.fn(async () =>
      new Response(JSON.stringify([row(ATTEMPT, "Street", { id: EXAM, name: "Camera basics" }), row(PLAIN, "Harbour", null)]), {
        status: 200,
        headers: { "Content-Type": "application/json" },
      }),
    ),
  );
  navigate("/", { replace: true });
  render(<Routed />);
  const table = await screen.findByRole("table", { name: "My tasks" });
  const attempt = (await within(table).findByRole("link", { name: "Street" })).closest("tr");
  const plain = within(table).getByRole("link", { name: "Harbour" }).closest("tr");
  expect(attempt && within(attempt).getByTestId("exam-badge").textContent).toBe("Exam: Camera basics");
  expect(plain && within(plain).queryByTestId("exam-badge")).toBeNull();

  navigate("/?q=exam", { replace: true });
  await screen.findByText("1 task");
  expect(within(table).queryByRole("link", { name: "Harbour" })).toBeNull();
  expect(within(table).getByRole("link", { name: "Street" })).toBeTruthy();
});
