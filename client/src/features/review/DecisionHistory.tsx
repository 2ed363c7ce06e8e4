import { DECISION_LABELS } from "../../../../shared/domain";
import { formatDateTime } from "../../ui/format";
import { useAsync } from "../../ui/useAsync";
import { reviewApi } from "./reviewApi";

/**
 * The review decisions on this task, newest first, each with its reviewer and reason: the annotator reads why work
 * was rejected here, live (re-read whenever the task's stage moves).
 */
export function DecisionHistory({ taskId, stageKey }: { taskId: string; stageKey: string }) {
  const list = useAsync(`decisions:${taskId}:${stageKey}`, (signal) => reviewApi.decisions(taskId, signal));
  const rows = [...(list.data ?? [])].reverse();
  if (rows.length === 0) return null;
  return (
    <ol className="decision-history" aria-label="Review decisions" data-testid="decision-history">
      {rows.map((d) => (
        <li key={d.id} className={`decision decision-${d.decision}`} data-decision={d.decision}>
          <strong>{DECISION_LABELS[d.decision]}</strong> <span className="muted">by {d.reviewer.name}, {formatDateTime(d.createdAt)}</span>
          {d.note && <p className="decision-note">{d.note}</p>}
        </li>
      ))}
    </ol>
  );
}
