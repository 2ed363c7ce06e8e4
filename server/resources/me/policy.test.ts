import { describe, expect, it } from "vitest";
import { ROLES, type Role } from "../../../shared/domain";
import { appAbilities } from "./policy";

describe("app abilities", () => {
  const of = (role: Role) => appAbilities({ role });

  it("everyone has the queue and the spec; lead and admin see the checking pages", () => {
    for (const role of ROLES) expect(of(role).pages.slice(0, 2)).toEqual(["queue", "spec"]);
    const checking = ["queue", "spec", "trainer", "dashboard", "tasks", "figures", "diffs", "exports", "disputes", "projects"];
    expect(of("lead").pages).toEqual(checking);
    // The admin has the lead's pages and runs the studio's people and its audit log.
    expect(of("admin").pages).toEqual([...checking, "users", "audit"]);
    expect(of("annotator").pages).toEqual(["queue", "spec"]);
    expect(of("trainee").pages).toEqual(["queue", "spec"]);
    expect(of("reviewer").pages).toEqual(["queue", "spec"]);
    expect(of("trainer").pages).toEqual(["queue", "spec", "trainer"]);
  });

  it("app-wide powers follow the server's role gates", () => {
    expect(of("admin").actions).toEqual(["filter_by_person", "edit_reward_rules", "see_video_descriptions", "promote_trainee", "create_exam", "edit_projects", "assign_tasks", "upload_clips", "draft_batches"]);
    expect(of("lead").actions).toEqual(["filter_by_person", "see_video_descriptions", "promote_trainee", "create_exam", "assign_tasks", "upload_clips", "draft_batches"]);
    expect(of("trainer").actions).toEqual(["promote_trainee"]);
    for (const role of ["annotator", "trainee", "reviewer"] as const) expect(of(role).actions).toEqual([]);
  });

  it("each role's queue lists, first = default", () => {
    expect(of("annotator").queues).toEqual(["mine"]);
    expect(of("trainee").queues).toEqual(["mine"]);
    expect(of("reviewer").queues).toEqual(["to_review", "assigned"]);
    expect(of("trainer").queues).toEqual(["trainees", "all"]);
    expect(of("lead").queues).toEqual(["all"]);
    expect(of("admin").queues).toEqual(["all"]);
  });
});
