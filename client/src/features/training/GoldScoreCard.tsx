import type { GoldScoreRow } from "../../../../shared/api/training";
import { formatClipTime } from "../../../../shared/critique/items";
import { ERROR_TYPE_LABELS } from "../../../../shared/domain";
import { f1Of, type ScoredItemRef } from "../../../../shared/goldScoring";
import { formatShare } from "./format";

/** One scored critique item: its error type, time, quote, what it says and the spec entry it concerns. */
export function ItemText({ item }: { item: ScoredItemRef }) {
  return (
    <>
      <strong>{ERROR_TYPE_LABELS[item.errorType]}</strong>
      {item.timeStart !== null && <span className="time-chip">{formatClipTime(item.timeStart)}</span>}
      {item.quote && <q>{item.quote}</q>} {item.what}
      {item.spec && (
        <span className="spec-ref" title={item.spec.primitiveId}>
          {" "}
          · spec: {item.spec.label} ({item.spec.subAspect})
        </span>
      )}
    </>
  );
}

function ItemLine({ item }: { item: ScoredItemRef }) {
  return (
    <li>
      <ItemText item={item} />
    </li>
  );
}

/** A trainee's attempt at a gold task: the figures, then what was missed and what was flagged wrongly. */
export function GoldScoreCard({ score }: { score: GoldScoreRow }) {
  const d = score.details;
  return (
    <section className="panel gold-score" aria-label="Gold score" data-testid="gold-score">
      <div className="panel-head">
        <h2>Scored against gold</h2>
        {score.passed !== null && <span className={`badge ${score.passed ? "badge-ok" : "badge-bad"}`}>{score.passed ? "pass" : "below the bar"}</span>}
      </div>
      <dl className="gold-figures">
        <div>
          <dt>Precision</dt>
          <dd data-testid="gold-precision">{formatShare(score.precision)}</dd>
        </div>
        <div>
          <dt>Recall</dt>
          <dd data-testid="gold-recall">{formatShare(score.recall)}</dd>
        </div>
        <div>
          <dt>F1</dt>
          <dd>{formatShare(f1Of(score.precision, score.recall))}</dd>
        </div>
        <div>
          <dt>Constructive</dt>
          <dd>{formatShare(score.constructiveShare)}</dd>
        </div>
        <div>
          <dt>Found</dt>
          <dd>
            {d.matched.length} of {d.goldCount}
          </dd>
        </div>
      </dl>
      {d.missed.length > 0 && (
        <>
          <h3>Missed ({d.missed.length})</h3>
          <ul className="gold-list" data-testid="gold-missed">
            {d.missed.map((m) => (
              <ItemLine key={m.id} item={m} />
            ))}
          </ul>
        </>
      )}
      {d.falseItems.length > 0 && (
        <>
          <h3>Not in the answer key ({d.falseItems.length})</h3>
          <ul className="gold-list" data-testid="gold-false">
            {d.falseItems.map((m) => (
              <ItemLine key={m.id} item={m} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
