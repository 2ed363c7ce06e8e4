import type { TaskAbilities } from "../../../../shared/api/abilities";
import type { Stage } from "../../../../shared/domain/stages";
import type { RevisionState } from "../../../../shared/room/document";
import { ErrorNote } from "../../ui/Alert";
import { useAction } from "../../ui/useAction";
import { loopApi } from "./loopApi";

type Props = {
  taskId: string;
  stage: Stage;
  abilities: TaskAbilities;
  revision: RevisionState;
  /** The task is back in labelling: the page shows the labels again. */
  onEditLabels(): void;
};

/**
 * Where the draft is: being written by the model (a clear state while the room waits), or failed with the
 * provider's message and a retry. Nothing while the draft is there.
 */
export function DraftStatus({ taskId, stage, abilities, revision, onEditLabels }: Props) {
  const retry = useAction();
  if (stage === "drafting") {
    return (
      <p className="alert alert-info draft-status" role="status" data-testid="draft-status" data-state="writing">
        <span className="spinner" aria-hidden="true" /> The model is writing the draft from the labels…
      </p>
    );
  }
  if (stage !== "labelling") return null;
  const failed = revision.status === "failed" && revision.error ? revision.error : null;
  return (
    <div className="alert alert-error draft-status" role="alert" data-testid="draft-status" data-state="failed">
      <p>{failed ?? "This task is back in labelling: the draft will be written again from the labels."}</p>
      <div className="draft-status-buttons">
        {abilities.actions.includes("request_draft") && (
          <button type="button" className="btn btn-primary" disabled={retry.busy} onClick={() => void retry.run(() => loopApi.draft(taskId))}>
            {retry.busy ? "Asking…" : "Retry the draft"}
          </button>
        )}
        <button type="button" className="btn" onClick={onEditLabels}>
          Edit the labels
        </button>
      </div>
      <ErrorNote message={retry.error} />
    </div>
  );
}
