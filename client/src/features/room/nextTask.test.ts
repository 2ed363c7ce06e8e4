import { afterEach, expect, it, vi } from "vitest";
import { navigate } from "../../app/router";
import type { TaskSummary } from "../../../../shared/api/tasks";
import { afterHandIn } from "./nextTask";

const TASK = "00000000-0000-4000-8000-0000000000c1";
const NEXT = "00000000-0000-4000-8000-0000000000c2";
const next: TaskSummary = {
  id: NEXT, videoId: "00000000-0000-4000-8000-0000000000d1", projectId: "00000000-0000-4000-8000-0000000000a1", aspect: "camera", stage: "labelling",
  annotator: null, reviewer: null, isGold: false, score: null, specVersion: "1", createdAt: "2026-03-01T10:00:00.000Z", updatedAt: "2026-03-01T10:00:00.000Z",
  submittedAt: null, reviewedAt: null, video: { title: "Street", durationSec: 4, fps: 24 }, exam: null,
};

afterEach(() => vi.unstubAllGlobals());

it("an exam attempt leads to its feedback, without asking for the next task", async () => {
  const fetch = vi.fn();
  vi.stubGlobal("fetch", fetch);
  navigate(`/tasks/${TASK}`, { replace: true });
  await afterHandIn({ id: TASK, exam: { id: "00000000-0000-4000-8000-0000000000e1", name: "Camera basics" } });
  expect(window.location.pathname).toBe(`/tasks/${TASK}/feedback`);
  expect(fetch).not.toHaveBeenCalled();
});

it("any other task leads to the next task the server picks", async () => {
  const asked: string[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL) => {
      const url = new URL(String(input), "http://localhost");
      asked.push(url.pathname + url.search);
      return new Response(JSON.stringify({ task: next }), { status: 200, headers: { "Content-Type": "application/json" } });
    }),
  );
  navigate(`/tasks/${TASK}`, { replace: true });
  await afterHandIn({ id: TASK, exam: null });
  expect(asked).toEqual([`/api/tasks/next?after=${TASK}`]);
  expect(window.location.pathname).toBe(`/tasks/${NEXT}`);
});
