import type { ExamFeedback } from "../../../../shared/api/training";
import { ItemText } from "./GoldScoreCard";
import { formatShare } from "./format";

type Score = NonNullable<ExamFeedback["score"]>;

const STANDING: Record<ExamFeedback["standing"]["status"], string> = {
  not_started: "not started",
  in_progress: "in progress",
  passed: "passed",
  failed: "not passed",
};

/** The exam as a whole: how many of its clips are done and, once all are, whether it is passed. */
function Standing({ feedback }: { feedback: ExamFeedback }) {
  const s = feedback.standing;
  return (
    <p className="muted feedback-standing" data-testid="feedback-standing" data-status={s.status}>
      Exam “{feedback.exam.name}”: {STANDING[s.status]} · {s.attempted} of {s.total} {s.total === 1 ? "clip" : "clips"} done
      {s.meanF1 !== null ? ` · mean score ${formatShare(s.meanF1)}` : ""}
    </p>
  );
}

function Figures({ score, passMark }: { score: Score; passMark: number }) {
  return (
    <>
      <div className="feedback-result">
        <span className={`feedback-verdict ${score.passed ? "is-pass" : "is-fail"}`} data-testid="feedback-verdict" data-passed={score.passed}>
          {score.passed ? "Passed" : "Below the pass mark"}
        </span>
        <span>
          Score <strong data-testid="feedback-score">{formatShare(score.f1)}</strong> · pass mark{" "}
          <strong data-testid="feedback-pass-mark">{formatShare(passMark)}</strong>
        </span>
      </div>
      <dl className="gold-figures">
        <div>
          <dt>Found</dt>
          <dd data-testid="feedback-found">
            {score.matched.length} of {score.goldCount}
          </dd>
        </div>
        <div>
          <dt>Precision</dt>
          <dd>{formatShare(score.precision)}</dd>
        </div>
        <div>
          <dt>Recall</dt>
          <dd>{formatShare(score.recall)}</dd>
        </div>
        <div>
          <dt>Constructive</dt>
          <dd>{formatShare(score.constructiveShare)}</dd>
        </div>
      </dl>
    </>
  );
}

/** Every item of the answer key and of the attempt, in one of three lists: matched, missed, falsely flagged. */
function Items({ score }: { score: Score }) {
  return (
    <div className="feedback-lists">
      <h3>Matched ({score.matched.length})</h3>
      <ul className="gold-list is-matched" data-testid="feedback-matched">
        {score.matched.length === 0 && <li className="muted">None of your items matched the answer key.</li>}
        {score.matched.map((m) => (
          <li key={m.gold.id}>
            <ItemText item={m.gold} />
            <span className="feedback-mine">
              You: <ItemText item={m.mine} />
            </span>
          </li>
        ))}
      </ul>
      <h3>Missed ({score.missed.length})</h3>
      <ul className="gold-list is-missed" data-testid="feedback-missed">
        {score.missed.length === 0 && <li className="muted">You found every item of the answer key.</li>}
        {score.missed.map((m) => (
          <li key={m.id}>
            <ItemText item={m} />
          </li>
        ))}
      </ul>
      <h3>Falsely flagged ({score.falseItems.length})</h3>
      <ul className="gold-list is-false" data-testid="feedback-false">
        {score.falseItems.length === 0 && <li className="muted">Every item you wrote is in the answer key.</li>}
        {score.falseItems.map((m) => (
          <li key={m.id}>
            <ItemText item={m} />
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * An exam attempt's instant feedback, as the server scored it: the verdict, the score beside the pass mark, and each
 * item matched, missed or falsely flagged against the answer key. `waiting` while the score is not there yet.
 */
export function ExamFeedbackView({ feedback, waiting }: { feedback: ExamFeedback; waiting: boolean }) {
  return (
    <section className="panel gold-score" aria-label="Exam feedback" data-testid="exam-feedback">
      <div className="panel-head">
        <h2>Scored against the answer key</h2>
      </div>
      {feedback.score ? (
        <>
          <Figures score={feedback.score} passMark={feedback.exam.passThreshold} />
          <Items score={feedback.score} />
        </>
      ) : waiting ? (
        <p className="feedback-result" role="status" data-testid="feedback-scoring">
          Scoring…
        </p>
      ) : (
        <p className="feedback-result muted" role="status" data-testid="feedback-unscored">
          No score yet: the attempt is scored when it is submitted. Pass mark {formatShare(feedback.exam.passThreshold)}.
        </p>
      )}
      <Standing feedback={feedback} />
    </section>
  );
}
