import { useState } from "react";
import type { CatchView } from "../../../../shared/api/review";
import { CATCH_KIND_LABELS, CATCH_STATUS_LABELS, RESOLUTIONS } from "../../../../shared/domain";
import { ErrorNote } from "../../ui/Alert";
import { useAction } from "../../ui/useAction";
import { formatDateTime } from "../../ui/format";
import { reviewApi } from "./reviewApi";

/** One catch: what was caught, its disputes and verdicts, and the dispute or verdict this person may give. */
export function CatchCard({
  c,
  itemLabel,
  onChanged,
}: {
  c: CatchView;
  /** The named critique item as the room labels it; null when the item is gone from the room. */
  itemLabel: string | null;
  onChanged(c: CatchView): void;
}) {
  const [text, setText] = useState("");
  const { busy, error, run } = useAction();
  const act = async (fn: () => Promise<CatchView>) => {
    if (await run(async () => onChanged(await fn()))) setText("");
  };
  const time = c.timeStart !== null ? `${c.timeStart.toFixed(1)}–${(c.timeEnd ?? c.timeStart).toFixed(1)} s` : null;
  // The server decides, per catch and per person, whether it may be disputed or ruled on now.
  const dispute = c.mayDispute;
  const resolve = c.mayResolve;
  return (
    <li className="catch-card" data-status={c.status} data-testid="catch">
      <div className="catch-head">
        <strong>{CATCH_KIND_LABELS[c.kind]}</strong>
        <span className={`badge catch-status-${c.status}`}>{c.status}</span>
      </div>
      <p className="catch-note">{c.note}</p>
      <p className="muted catch-meta">
        {c.reviewer.name} · {formatDateTime(c.createdAt)}
        {c.itemId ? ` · on item ${itemLabel ?? "(removed from the critique)"}` : ""}
        {time ? ` · ${time}` : ""}
        {c.quote ? ` · “${c.quote}”` : ""}
      </p>
      {c.disputes.map((d) => (
        <div key={d.id} className="dispute">
          <p>
            Disputed by {d.raisedBy.name}: {d.reason}
          </p>
          {d.resolution && (
            <p>
              {CATCH_STATUS_LABELS[d.resolution]} by {d.resolvedBy?.name ?? "a lead"}: {d.resolutionNote}
            </p>
          )}
        </div>
      ))}
      {(dispute || resolve) && (
        <div className="catch-actions">
          <textarea
            aria-label={dispute ? "Reason for the dispute" : "Verdict note"}
            value={text}
            rows={2}
            maxLength={2000}
            onChange={(e) => setText(e.target.value)}
          />
          {dispute && (
            <button type="button" className="btn" disabled={busy || !text.trim()} onClick={() => void act(() => reviewApi.dispute(c.id, text.trim()))}>
              Dispute
            </button>
          )}
          {resolve &&
            RESOLUTIONS.map((r) => (
              <button
                key={r}
                type="button"
                className="btn"
                disabled={busy || !text.trim()}
                onClick={() => void act(() => reviewApi.resolve(c.id, r, text.trim()))}
              >
                {r === "upheld" ? "Uphold" : "Overturn"}
              </button>
            ))}
        </div>
      )}
      <ErrorNote message={error} />
    </li>
  );
}
