import type { JobStore } from "./store";
import type { JobHandler, JobOutcome, Json } from "./types";

/** What a person reads about a failure the handler did not foresee (the error itself goes to the server log). */
export const UNEXPECTED_FAILURE = "The job failed on the server; see its log.";

/** What became of one attempt: finished (done or failed), let go (another worker or a later start takes it), none. */
export type AttemptEnd = "finished" | "let-go" | "not-started";

/**
 * One attempt at a job, the same for every queue: take the job (running, attempt + 1), run its handler, record how
 * it ended. An attempt whose signal was aborted records nothing: the job was cancelled, or is left for the next
 * worker, which starts it over (handlers are written to be rerun: an export rewrites its folder, a draft batch
 * skips the tasks already drafted).
 */
export async function runAttempt(
  store: JobStore,
  handler: JobHandler,
  jobId: string,
  stop: AbortSignal,
  log: (line: string, err?: unknown) => void,
): Promise<AttemptEnd> {
  const job = await store.begin(jobId);
  if (!job) return "not-started";
  const attempt = job.attempts;
  // Let go when told to (stop), or when a progress write finds the job no longer ours: cancelled, or handed to
  // another worker by a process that thought this one dead.
  const controller = new AbortController();
  const onStop = () => controller.abort(stop.reason);
  if (stop.aborted) onStop();
  else stop.addEventListener("abort", onStop, { once: true });
  const { signal } = controller;
  let outcome: JobOutcome;
  try {
    outcome = await handler({
      job,
      attempt,
      signal,
      setProgress: async (progress: Json) => {
        if (signal.aborted) return;
        if (!(await store.setProgress(jobId, progress, attempt))) controller.abort(new Error("the job is no longer this worker's"));
      },
    });
  } catch (err) {
    if (signal.aborted) return "let-go";
    log(`[jobs] ${job.name} ${jobId} failed`, err);
    outcome = { ok: false, error: UNEXPECTED_FAILURE };
  } finally {
    stop.removeEventListener("abort", onStop);
  }
  if (signal.aborted) return "let-go";
  await store.finish(jobId, attempt, outcome);
  return "finished";
}
