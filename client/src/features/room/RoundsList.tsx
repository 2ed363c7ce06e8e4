import { useMemo, useState } from "react";
import type { RoundSummary } from "../../../../shared/api/loop";
import { comparedPair, formatDuration, roundDiff, togglePick } from "./rounds";
import { WordDiffText } from "./WordDiffText";

/** Every revision round of the task, newest last; tick two to compare their post-captions word by word. */
export function RoundsList({ rounds }: { rounds: readonly RoundSummary[] }) {
  const [picked, setPicked] = useState<number[]>([]);
  const pair = useMemo(() => comparedPair(rounds, picked), [rounds, picked]);
  const parts = useMemo(() => (pair ? roundDiff(pair) : []), [pair]);
  if (rounds.length === 0) return null;
  return (
    <div className="rounds" data-testid="rounds">
      <ol className="rounds-list" aria-label="Revision rounds">
        {rounds.map((r) => (
          <li key={r.id} className="round" data-testid="round" data-n={r.n} data-status={r.status}>
            <label title={r.postCaption === null ? "No post-caption to compare" : "Tick two rounds to compare them"}>
              <input type="checkbox" checked={picked.includes(r.n)} disabled={r.postCaption === null} onChange={() => setPicked((p) => togglePick(p, r.n))} />
              Round {r.n}
            </label>
            <span className={`round-status round-${r.status}`}>{r.status}</span>
            <span className="muted small">
              {r.provider} · {r.model}
            </span>
            <span className="muted small">{formatDuration(r.durationMs)}</span>
          </li>
        ))}
      </ol>
      {pair && (
        <div className="round-compare" data-testid="round-compare">
          <div className="muted small">
            Round {pair[0].n} → round {pair[1].n}
          </div>
          <WordDiffText parts={parts} className="round-compare-text" />
        </div>
      )}
    </div>
  );
}
