import { useState } from "react";
import type { TaskAbilities } from "../../../../shared/api/abilities";
import { DECISION_LABELS, DECISIONS } from "../../../../shared/domain";
import { ErrorNote } from "../../ui/Alert";
import { Field } from "../../ui/Field";
import { useAction } from "../../ui/useAction";
import { reviewApi } from "./reviewApi";

type Props = { taskId: string; abilities: TaskAbilities; onTaskChanged?: () => void };

/** Starting a review, or closing it with a decision: whichever of these the server offers this person now. */
export function DecisionBar({ taskId, abilities, onTaskChanged }: Props) {
  const [note, setNote] = useState("");
  const action = useAction();
  const { busy, error } = action;
  const run = async (fn: () => Promise<unknown>) => {
    if (!(await action.run(fn))) return;
    setNote("");
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
  return (
    <div className="decision-bar">
      <Field label="Decision note">
        <textarea value={note} maxLength={2000} rows={2} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <div className="decision-buttons">
        {decisions.map((d) => (
          <button
            key={d}
            type="button"
            className={d === "approve" ? "btn btn-primary" : "btn"}
            disabled={busy}
            onClick={() => void run(() => reviewApi.decide(taskId, { decision: d, note }))}
          >
            {DECISION_LABELS[d]}
          </button>
        ))}
      </div>
      <ErrorNote message={error} />
    </div>
  );
}
