import type { taskVersions } from "../db/schema";

/**
 * Which frozen version of a task counts, defined once. A task keeps every version it froze: the annotator's at
 * submit (or at a perfect score, and again at each resubmission after a redo), the reviewer's after fix-and-approve;
 * a rejected one stays, marked
 * `negative: "rejected"`, as a negative example. Fallback order:
 *   finalVersion   the newest version not rejected; none when every version was rejected (or none was frozen).
 *                  The task's result: the export, gold answer keys, captions other aspects read, the dashboard.
 *   latestVersion  the newest version of any kind: whose work is under review (a rejected version still names
 *                  the worker until the redo is frozen).
 * A caller that must show something when there is no final version says so at its call site
 * (`finalVersion(vs) ?? latestVersion(vs)`, the lead's diff). "Newest" is by creation time, whatever order the rows
 * come in; equal stamps keep the caller's order (./read.ts orders them by id, the export by content).
 */

export type TaskVersion = typeof taskVersions.$inferSelect;
type Ordered = Pick<TaskVersion, "createdAt">;

/** Oldest first (a stable sort: equal stamps keep their order). */
export function inVersionOrder<V extends Ordered>(versions: readonly V[]): V[] {
  return [...versions].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** The newest version (made at or before `at` when given), rejected or not. */
export function latestVersion<V extends Ordered>(versions: readonly V[], at?: Date): V | undefined {
  const made = at ? versions.filter((v) => v.createdAt.getTime() <= at.getTime()) : versions;
  return inVersionOrder(made).at(-1);
}

/** The task's final version: the newest not rejected. */
export function finalVersion<V extends Ordered & Pick<TaskVersion, "negative">>(versions: readonly V[]): V | undefined {
  return latestVersion(versions.filter((v) => v.negative === "no"));
}

/** The newest version an author of this role froze (a trainee's attempt is the annotator's newest). */
export function latestVersionBy<V extends Ordered & Pick<TaskVersion, "authorRole">>(
  versions: readonly V[],
  role: TaskVersion["authorRole"],
): V | undefined {
  return latestVersion(versions.filter((v) => v.authorRole === role));
}
