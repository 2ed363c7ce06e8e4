import { useState } from "react";
import { errorMessage } from "../../app/api";
import { loopApi } from "./loopApi";

/** The draft's score: shown at once, saved on the server, the server's answer kept. */
export function useScore(taskId: string, initial: number | null, canScore: boolean, onError: (message: string) => void) {
  const [score, setScore] = useState<number | null>(initial);
  const submit = (value: number) => {
    if (!canScore) return;
    setScore(value);
    loopApi.score(taskId, value).then(
      (r) => setScore(r.score),
      (err: unknown) => onError(`Score not saved: ${errorMessage(err)}`),
    );
  };
  return { score, submit };
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
