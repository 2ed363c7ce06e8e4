import type { DraftBatch } from "../../../../shared/api/draftBatches";
import { ASPECT_LABELS } from "../../../../shared/domain";
import { taskHref } from "../../app/router";
import { Link } from "../../ui/Link";
import { formatRelative } from "../../ui/format";
import { BATCH_STATE_LABELS, isUnfinished } from "./draftBatchesApi";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "All aspects" or the one the batch was started for. */
export const batchAspectLabel = (b: DraftBatch) => (b.aspect ? ASPECT_LABELS[b.aspect] : "All aspects");

/** The tasks a batch left out, in words; empty when it left none. */
export function leftOutText(b: DraftBatch): string {
  const { skippedDrafted, skippedUnlabelled } = b.progress;
  const parts = [];
  if (skippedDrafted > 0) parts.push(`${skippedDrafted} drafted already`);
  if (skippedUnlabelled > 0) parts.push(`${skippedUnlabelled} not fully labelled`);
  return parts.join(", ");
}

/** Share of the planned tasks finished; null while the batch has not planned yet (or planned nothing and runs). */
function percentOf(b: DraftBatch): number | null {
  const { done, total } = b.progress;
  if (total > 0) return Math.round((100 * done) / total);
  return isUnfinished(b.state) ? null : 100;
}

/**
 * One batch: its state, a progress bar, what was drafted, failed and left out, and each failed task with the error
 * in words; counts are announced politely as they move.
 */
export function DraftBatchStatus({ batch: b }: { batch: DraftBatch }) {
  const p = b.progress;
  const percent = percentOf(b);
  const leftOut = leftOutText(b);
  const who = b.createdBy ? ` by ${b.createdBy.name}` : "";
  return (
    <div className="draft-batch" data-testid="draft-batch" data-state={b.state}>
      <div className="draft-batch-head">
        <span className={`draft-batch-state state-${b.state}`} data-testid="draft-batch-state">
          {BATCH_STATE_LABELS[b.state]}
        </span>
        <span className="muted">
          {batchAspectLabel(b)} · started{who} {formatRelative(b.createdAt)}
          {b.finishedAt && ` · ended ${formatRelative(b.finishedAt)}`}
        </span>
      </div>
      {b.state !== "failed" && (
        <div
          className={percent === null ? "draft-bar indeterminate" : "draft-bar"}
          role="progressbar"
          aria-label={`Draft batch ${BATCH_STATE_LABELS[b.state].toLowerCase()}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent ?? undefined}
          aria-valuetext={percent === null ? "Looking for tasks to draft" : `${p.done} of ${p.total} tasks`}
        >
          <div className="draft-bar-fill" style={percent === null ? undefined : { width: `${percent}%` }} />
        </div>
      )}
      <p className="draft-batch-counts" aria-live="polite" data-testid="draft-batch-counts">
        {p.total === 0 && !isUnfinished(b.state) && b.state !== "failed" ? (
          "Nothing to draft: no task was fully labelled and waiting for its draft."
        ) : (
          <>
            {p.done} of {plural(p.total, "task")} · <strong>{p.drafted}</strong> drafted · <strong>{p.failed}</strong> failed
          </>
        )}
        {leftOut && <span className="muted"> · left out: {leftOut}</span>}
      </p>
      {b.attempts > 1 && (
        <p className="muted" data-testid="draft-batch-takeover">
          Taken over by another server process (attempt {b.attempts}); the tasks drafted before were kept.
        </p>
      )}
      {b.state === "cancelled" && <p className="muted">Cancelled: no further task is started; drafts already under way finish.</p>}
      {b.state === "failed" && (
        <p className="alert alert-error" role="alert">
          {b.error ?? "The batch failed."}
        </p>
      )}
      {p.failures.length > 0 && (
        <div className="draft-batch-failures">
          <h3>Tasks that failed</h3>
          {p.failed > p.failures.length && <p className="muted">The newest {p.failures.length} of {p.failed}; the server log has them all.</p>}
          <ul data-testid="draft-batch-failures">
            {p.failures.map((f) => (
              <li key={f.taskId}>
                <Link href={taskHref(f.taskId)}>{ASPECT_LABELS[f.aspect]} task</Link>: {f.error}
              </li>
            ))}
          </ul>
          <p className="muted">A failed task is back in labelling; start another batch, or open the task, to draft it again.</p>
        </div>
      )}
    </div>
  );
}
