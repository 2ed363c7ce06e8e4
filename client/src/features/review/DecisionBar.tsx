import { useState } from "react";
import type { TaskAbilities } from "../../../../shared/api/abilities";
import { DECISION_LABELS, DECISIONS, type Decision } from "../../../../shared/domain";
import { MAX_NOTE } from "../../../../shared/api/review";
import { ErrorNote } from "../../ui/Alert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Field } from "../../ui/Field";
import { useAction } from "../../ui/useAction";
import { reviewApi } from "./reviewApi";

type Props = { taskId: string; abilities: TaskAbilities; onTaskChanged?: () => void };

/**
 * Starting a review, or closing it with a decision: whichever of these the server offers this person now.
 * Reject and redo asks for a reason (the annotator redoes the work from it) and a confirmation.
 */
export function DecisionBar({ taskId, abilities, onTaskChanged }: Props) {
  const [note, setNote] = useState("");
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const action = useAction();
  const { busy, error } = action;
  const run = async (fn: () => Promise<unknown>) => {
    if (!(await action.run(fn))) return;
    setNote("");
    setReason("");
    setRejecting(false);
    onTaskChanged?.();
  };
  if (abilities.actions.includes("start_review")) {
    return (
      <div className="decision-bar">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void run(() => reviewApi.startReview(taskId))}>
          Start review
        </button>
        <ErrorNote message={error} />
      </div>
    );
  }
  const decisions = DECISIONS.filter((d) => abilities.actions.includes(d));
  if (decisions.length === 0) return null;
  const decide = (d: Decision) => {
    if (d === "reject_and_redo") {
      setReason(note);
      setRejecting(true);
    } else void run(() => reviewApi.decide(taskId, { decision: d, note }));
  };
  return (
    <div className="decision-bar" data-testid="decision-bar">
      <Field label="Decision note">
        <textarea value={note} maxLength={MAX_NOTE} rows={2} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <div className="decision-buttons">
        {decisions.map((d) => (
          <button
            key={d}
            type="button"
            className={d === "approve" ? "btn btn-primary" : d === "reject_and_redo" ? "btn btn-danger" : "btn"}
            data-decision={d}
            disabled={busy}
            onClick={() => decide(d)}
          >
            {d === "reject_and_redo" ? `${DECISION_LABELS[d]}…` : DECISION_LABELS[d]}
          </button>
        ))}
      </div>
      {!rejecting && <ErrorNote message={error} />}
      {rejecting && (
        <ConfirmDialog
          title="Reject and redo?"
          confirmLabel="Reject and redo"
          danger
          canConfirm={reason.trim().length > 0}
          busy={busy}
          error={error}
          onConfirm={() => void run(() => reviewApi.decide(taskId, { decision: "reject_and_redo", note: reason.trim() }))}
          onCancel={() => setRejecting(false)}
        >
          <p>The submitted version is kept as a negative example and the task goes back to be redone.</p>
          <Field label="Reason (required): what must be redone">
            <textarea value={reason} maxLength={MAX_NOTE} rows={4} required aria-required="true" onChange={(e) => setReason(e.target.value)} />
          </Field>
        </ConfirmDialog>
      )}
    </div>
  );
}
