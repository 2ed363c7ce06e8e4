import type { LoopTask } from "../loop/taskFacts";
import type { TaskVersion } from "../versions";

/**
 * Whose work is under review. A task's annotator normally; after a reject-and-redo the reviewer who redid it (the
 * latest frozen version's author). "Own work" covers both, so nobody reviews, catches on or profits from it (the
 * rule itself: server/resources/tasks/policy.ts `isOwnWork`).
 */

/** The part of a frozen version (server/versions) that says whose work it is. */
export type VersionBrief = Pick<TaskVersion, "authorId">;

/** The person whose work the version is (the annotator when nothing was frozen yet). */
export const workerOf = (task: Pick<LoopTask, "annotatorId">, version: VersionBrief | null): string | null =>
  version?.authorId ?? task.annotatorId;
