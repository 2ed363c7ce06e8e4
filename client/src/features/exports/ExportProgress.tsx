import type { ExportJob } from "../../../../shared/api/exports";
import { STATE_LABELS, formatCount, percentDone } from "./format";

/** A job's state, a progress bar and its counts; announced politely to screen readers as it moves. */
export function ExportProgress({ job }: { job: ExportJob }) {
  const percent = job.state === "failed" ? null : percentDone(job.state, job.progress);
  const { tasks, records, tasksRead, totalTasks } = job.progress;
  const label = `Export ${STATE_LABELS[job.state].toLowerCase()}`;
  return (
    <div className="export-progress" data-state={job.state} data-testid="export-progress">
      <div className="export-progress-head">
        <span className={`export-state export-state-${job.state}`}>{STATE_LABELS[job.state]}</span>
        <span className="export-counts" aria-live="polite">
          {formatCount(tasks)} tasks · {formatCount(records)} records
          {totalTasks !== null && job.state === "running" && (
            <span className="muted">
              {" "}
              · {formatCount(tasksRead)} of {formatCount(totalTasks)} read
            </span>
          )}
          {job.state === "done" && job.skippedTasks !== null && job.skippedTasks > 0 && (
            <span className="muted"> · {formatCount(job.skippedTasks)} without an accepted version skipped</span>
          )}
        </span>
      </div>
      {job.state !== "failed" && (
        <div
          className={percent === null ? "export-bar indeterminate" : "export-bar"}
          role="progressbar"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent ?? undefined}
          aria-valuetext={percent === null ? `${formatCount(tasks)} tasks exported so far` : `${percent}%`}
        >
          <div className="export-bar-fill" style={percent === null ? undefined : { width: `${percent}%` }} />
        </div>
      )}
      {job.state === "failed" && (
        <p className="alert alert-error" role="alert">
          {job.error ?? "The export failed."}
        </p>
      )}
    </div>
  );
}
