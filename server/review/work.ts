import type { LoopTask } from "../loop/taskFacts";
import type { TaskVersion } from "../versions";

/**
 * Whose work is under review. One rule: the task's worker is its annotator (or trainee), before review and after a
 * rejection alike (they redo it, and the task's reviewer reviews the resubmission). A version the worker froze stays
 * theirs by its author, so a rejected version's catches and payouts stay with whoever did it even if the task is later
 * reassigned; a reviewer's fix (filed under the reviewer role) is not the worker's, so it falls back to the
 * task's annotator. "Own work" builds on this: server/resources/tasks/policy.ts `isOwnWork`.
 */

/** The part of a frozen version (server/versions) that says whose work it is. */
export type VersionBrief = Pick<TaskVersion, "authorId" | "authorRole">;

/** The person whose work the version is (the annotator when nothing of theirs was frozen yet). */
export const workerOf = (task: Pick<LoopTask, "annotatorId">, version: VersionBrief | null): string | null =>
  version?.authorRole === "annotator" ? version.authorId : task.annotatorId;
