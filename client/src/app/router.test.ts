import { describe, expect, it } from "vitest";
import { loginHref, matchRoute, navigate, safeNext, taskHref, tasksHref } from "./router";
import { TaskListQuery } from "../../../shared/api/tasks";

const ID = "0b6f5d2e-4c1a-4e7b-9f3d-2a1b3c4d5e6f";

describe("matchRoute", () => {
  it("names the app's pages", () => {
    expect(matchRoute("/")).toEqual({ name: "queue" });
    expect(matchRoute("/login")).toEqual({ name: "login" });
    expect(matchRoute("/login/")).toEqual({ name: "login" });
    expect(matchRoute("/spec")).toEqual({ name: "spec" });
    expect(matchRoute(`/tasks/${ID}`)).toEqual({ name: "task", taskId: ID });
    expect(matchRoute(`/tasks/${ID.toUpperCase()}/`)).toEqual({ name: "task", taskId: ID });
    expect(matchRoute("/tasks")).toEqual({ name: "tasks" });
    expect(matchRoute("/tasks/")).toEqual({ name: "tasks" });
  });

  it("refuses what is not a page", () => {
    expect(matchRoute("/tasks/not-a-uuid")).toEqual({ name: "notFound" });
    expect(matchRoute(`/tasks/${ID}/extra`)).toEqual({ name: "notFound" });
    expect(matchRoute("/nope")).toEqual({ name: "notFound" });
  });

  it("round-trips task links", () => {
    expect(matchRoute(taskHref(ID))).toEqual({ name: "task", taskId: ID });
  });

  it("builds the leads' task list links in one key order, with the API's own keys", () => {
    expect(tasksHref()).toBe("/tasks");
    const href = tasksHref({ stage: "submitted", annotatorId: ID, projectId: ID, aspect: undefined });
    expect(href).toBe(`/tasks?stage=submitted&annotatorId=${ID}&projectId=${ID}`);
    expect(matchRoute(href.split("?")[0] ?? "")).toEqual({ name: "tasks" });
    // What a link writes, the API reads back.
    const back = TaskListQuery.safeParse(Object.fromEntries(new URLSearchParams(href.split("?")[1])));
    expect(back.success && back.data).toMatchObject({ stage: "submitted", annotatorId: ID, projectId: ID });
    expect(tasksHref({ event: "catch", catchKind: "missed_error", from: "2026-03-01", to: "2026-03-01", gold: "false" })).toBe(
      "/tasks?event=catch&from=2026-03-01&to=2026-03-01&catchKind=missed_error&gold=false",
    );
  });
});

describe("safeNext", () => {
  it("keeps same-origin paths only", () => {
    expect(safeNext(`/tasks/${ID}`)).toBe(`/tasks/${ID}`);
    expect(safeNext("/?stage=submitted")).toBe("/?stage=submitted");
    expect(safeNext(null)).toBe("/");
    expect(safeNext("https://evil.example/")).toBe("/");
    expect(safeNext("//evil.example/")).toBe("/");
    expect(safeNext("/\\evil.example")).toBe("/");
    expect(safeNext("/login?next=/x")).toBe("/");
  });

  it("builds the login link with where to return", () => {
    expect(loginHref("/")).toBe("/login");
    expect(loginHref(`/tasks/${ID}`)).toBe(`/login?next=${encodeURIComponent(`/tasks/${ID}`)}`);
  });
});

describe("navigate", () => {
  it("pushes history and replaces when asked", () => {
    const before = window.history.length;
    navigate("/spec");
    expect(window.location.pathname).toBe("/spec");
    expect(window.history.length).toBe(before + 1);
    navigate("/?aspect=camera", { replace: true });
    expect(window.location.pathname + window.location.search).toBe("/?aspect=camera");
    expect(window.history.length).toBe(before + 1);
  });
});
