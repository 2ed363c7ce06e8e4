import { useState } from "react";
import { errorMessage } from "../../app/api";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { loopApi } from "./loopApi";

/**
 * The draft's score: shown at once, saved on the server, the server's answer kept. A 5 is the perfect path (the
 * draft is submitted as it is), so it is asked about first; `onSubmitted` follows a perfect submission.
 */
export function useScore(taskId: string, initial: number | null, canScore: boolean, onError: (message: string) => void, onSubmitted: () => void) {
  const [score, setScore] = useState<number | null>(initial);
  const [askingPerfect, setAskingPerfect] = useState(false);
  const save = (value: number) => {
    setScore(value);
    loopApi.score(taskId, value).then(
      (r) => {
        setScore(r.score);
        if (r.stage === "submitted") onSubmitted();
      },
      (err: unknown) => onError(`Score not saved: ${errorMessage(err)}`),
    );
  };
  const submit = (value: number) => {
    if (!canScore) return;
    if (value === 5) setAskingPerfect(true);
    else save(value);
  };
  const perfect = {
    asking: askingPerfect,
    confirm: () => {
      setAskingPerfect(false);
      save(5);
    },
    cancel: () => setAskingPerfect(false),
  };
  return { score, submit, perfect };
}

/** The question before the perfect path: a 5 hands the draft in unchanged. */
export function PerfectDialog({ onConfirm, onCancel }: { onConfirm(): void; onCancel(): void }) {
  return (
    <ConfirmDialog title="Submit the draft as it is?" confirmLabel="Score 5 and submit" onConfirm={onConfirm} onCancel={onCancel}>
      <p>A 5 says the draft is perfect: it is submitted for review unchanged, with no critique and no revision.</p>
    </ConfirmDialog>
  );
}

/** The 1–5 score buttons of the draft. */
export function ScoreControl({ score, canScore, onScore }: { score: number | null; canScore: boolean; onScore(value: number): void }) {
  return (
    <section className="card score-card" aria-label="Score">
      <span className="score-label">Draft score</span>
      <div className="score" role="radiogroup" aria-label="Score the draft, 5 = perfect">
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            key={n}
            type="button"
            role="radio"
            aria-checked={score === n}
            className={`score-btn${score === n ? " score-on" : ""}`}
            disabled={!canScore}
            onClick={() => onScore(n)}
            title={n === 5 ? "5: perfect, no critique needed" : `${n}`}
          >
            {n}
          </button>
        ))}
      </div>
      <span className="muted small">5 = perfect</span>
    </section>
  );
}
