import { describe, expect, it } from "vitest";
import type { TaskSummary } from "../../../../shared/api/tasks";
import { apiQuery, matchesText, parseQueueFilters, queueSearch, queueViews } from "./filters";
import type { Role } from "../../../../shared/domain";
import { appAbilities } from "../../../../server/resources/me/policy";

const ME = "11111111-1111-4111-8111-111111111111";
const OTHER = "22222222-2222-4222-8222-222222222222";
const PROJECT = "33333333-3333-4333-8333-333333333333";

function task(patch: Partial<TaskSummary>): TaskSummary {
  return {
    id: "44444444-4444-4444-8444-444444444444",
    videoId: "55555555-5555-4555-8555-555555555555",
    projectId: PROJECT,
    aspect: "camera",
    stage: "labelling",
    annotator: { id: OTHER, name: "Ben Annotator" },
    reviewer: null,
    isGold: false,
    score: null,
    specVersion: "1.0.0",
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    submittedAt: null,
    reviewedAt: null,
    video: { title: "Zoom in on the markers", durationSec: 4, fps: 24 },
    exam: null,
    ...patch,
  };
}

describe("queue filters in the URL", () => {
  it("parses valid filters and drops invalid ones", () => {
    const f = parseQueueFilters(`?aspect=camera&stage=in_review&annotatorId=${ME}&reviewerId=nope&projectId=${PROJECT}&q=%20zoom%20&view=assigned`);
    expect(f).toEqual({ aspect: "camera", stage: "in_review", annotatorId: ME, projectId: PROJECT, q: "zoom", view: "assigned" });
    expect(parseQueueFilters("?aspect=colour&stage=done&view=everything")).toEqual({});
  });

  it("round-trips in a fixed key order", () => {
    const f = { q: "pan", stage: "submitted" as const, aspect: "motion" as const };
    expect(queueSearch(f)).toBe("?aspect=motion&stage=submitted&q=pan");
    expect(parseQueueFilters(queueSearch(f))).toEqual(f);
    expect(queueSearch({})).toBe("");
  });

  it("sends person and project filters only for roles that may use them", () => {
    const f = { aspect: "scene" as const, annotatorId: ME, projectId: PROJECT, q: "x" };
    expect(apiQuery(f, true)).toEqual({ aspect: "scene", stage: undefined, annotatorId: ME, reviewerId: undefined, projectId: PROJECT });
    expect(apiQuery(f, false)).toEqual({ aspect: "scene", stage: undefined });
  });
});

describe("queue views", () => {
  // The tabs come from the server's app policy; the labels and row filters from the client.
  const viewsOf = (role: Role) => queueViews(appAbilities({ role }).queues);

  it("gives each role its queue", () => {
    expect(viewsOf("annotator").map((v) => v.label)).toEqual(["My tasks"]);
    expect(viewsOf("trainee").map((v) => v.label)).toEqual(["My tasks"]);
    expect(viewsOf("reviewer").map((v) => v.label)).toEqual(["To review", "Assigned to me"]);
    expect(viewsOf("lead").map((v) => v.label)).toEqual(["All tasks"]);
    expect(viewsOf("admin").map((v) => v.label)).toEqual(["All tasks"]);
  });

  it("a reviewer's to-review list holds unclaimed submitted work and their own open reviews", () => {
    const [toReview] = viewsOf("reviewer");
    const me = { id: ME };
    expect(toReview?.keep(task({ stage: "submitted" }), me)).toBe(true);
    expect(toReview?.keep(task({ stage: "in_review", reviewer: { id: ME, name: "Rae" } }), me)).toBe(true);
    expect(toReview?.keep(task({ stage: "in_review", reviewer: { id: OTHER, name: "X" } }), me)).toBe(false);
    expect(toReview?.keep(task({ stage: "approved", reviewer: { id: ME, name: "Rae" } }), me)).toBe(false);
    expect(toReview?.keep(task({ stage: "submitted", annotator: { id: ME, name: "Me" } }), me)).toBe(false);
  });
});

describe("matchesText", () => {
  it("needs every word somewhere in the row", () => {
    const t = task({ stage: "in_review", reviewer: { id: ME, name: "Rae Reviewer" } });
    expect(matchesText(t, undefined)).toBe(true);
    expect(matchesText(t, "zoom camera")).toBe(true);
    expect(matchesText(t, "in review rae")).toBe(true);
    expect(matchesText(t, "zoom pan")).toBe(false);
  });
});
