import { useEffect, useState } from "react";
import { Link } from "../../ui/Link";
import { LoadError } from "../../ui/Alert";
import { PageHead } from "../../ui/PageHead";
import { useAsync } from "../../ui/useAsync";
import { taskHref } from "../../app/router";
import { goToNextTask } from "../room/nextTask";
import { ExamFeedbackView } from "./ExamFeedbackView";
import { trainingApi } from "./trainingApi";
import "./training.css";

/** The score is written right after the submit; while it is not there the page asks again, for a short while. */
export const FEEDBACK_POLL_MS = 1000;
export const FEEDBACK_MAX_POLLS = 30;

/** Where a trainee lands after submitting an exam attempt: the instant feedback on it. */
export function FeedbackPage({ taskId }: { taskId: string }) {
  const [polls, setPolls] = useState(0);
  const state = useAsync(`feedback:${taskId}:${polls}`, (signal) => trainingApi.examFeedback(taskId, signal));
  const feedback = state.data;
  const unscored = feedback !== null && feedback.score === null;
  const waiting = unscored && polls < FEEDBACK_MAX_POLLS;

  useEffect(() => {
    if (state.status !== "ready" || !waiting) return;
    const t = setTimeout(() => setPolls((n) => n + 1), FEEDBACK_POLL_MS);
    return () => clearTimeout(t);
  }, [state.status, waiting]);

  return (
    <main className="page feedback-page">
      <PageHead
        title={feedback ? `Exam: ${feedback.exam.name}` : "Exam feedback"}
        intro={
          <>
            The attempt, scored against the exam's answer key. <Link href={taskHref(taskId)}>Open the task</Link>
          </>
        }
      >
        <div className="feedback-actions">
          <Link className="btn" href="/">
            Back to my tasks
          </Link>
          <button type="button" className="btn btn-primary" onClick={() => void goToNextTask(taskId)}>
            Next task
          </button>
        </div>
      </PageHead>
      <LoadError state={state} />
      {!feedback && state.status === "loading" && <p className="muted">Loading…</p>}
      {feedback && <ExamFeedbackView feedback={feedback} waiting={waiting} />}
    </main>
  );
}
