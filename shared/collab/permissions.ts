import type { TaskRelation } from "../api/tasks";
import type { Stage } from "../domain/stages";

/** The annotator edits the shared document while the critique is being written and refined. */
const ANNOTATOR_WRITES: ReadonlySet<Stage> = new Set<Stage>(["labelling", "drafting", "critiquing", "revising", "refining"]);
/** The reviewer edits (fix-and-approve, catch marks) once the task is handed in. */
const REVIEWER_WRITES: ReadonlySet<Stage> = new Set<Stage>(["submitted", "in_review"]);

/**
 * Whether a connection may change the room's document. Pure: the same rule on server and client, so the client can
 * show read-only mode without asking. Trainers only follow (presence); leads and admins can always repair.
 */
export function canWriteDocument(relation: TaskRelation, stage: Stage): boolean {
  switch (relation) {
    case "lead":
    case "admin":
      return true;
    case "annotator":
      return ANNOTATOR_WRITES.has(stage);
    case "reviewer":
      return REVIEWER_WRITES.has(stage);
    case "trainer":
      return false;
  }
}
