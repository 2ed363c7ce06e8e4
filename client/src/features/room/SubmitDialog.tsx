import { useMemo, useState } from "react";
import type { Finding } from "../../../../shared/captionSpec/lint";
import { formatClipTime, type CritiqueItem } from "../../../../shared/critique/items";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { submitCheck } from "./submitCheck";

type Props = {
  items: readonly CritiqueItem[];
  post: string;
  findings: Finding[];
  busy: boolean;
  error: string | null;
  onConfirm(): void;
  onCancel(): void;
};

/**
 * The check before handing a task in: the caption as it will be submitted, every critique item that is not
 * constructive yet and the linter's findings. When anything is listed, submitting needs an explicit tick.
 */
export function SubmitDialog({ items, post, findings, busy, error, onConfirm, onCancel }: Props) {
  const check = useMemo(() => submitCheck(items, findings), [items, findings]);
  const [accepted, setAccepted] = useState(false);
  return (
    <ConfirmDialog
      title="Submit for review?"
      confirmLabel="Submit"
      canConfirm={check.clean || accepted}
      busy={busy}
      error={error}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <div className="submit-check" data-testid="submit-check">
        <p className="muted">
          {items.length} critique item{items.length === 1 ? "" : "s"}; the reviewer sees this caption and your critique.
        </p>
        {post.trim() && <blockquote className="submit-post">{post}</blockquote>}
        {check.vagueItems.length > 0 && (
          <>
            <h3>Items that are not constructive yet</h3>
            <ul data-testid="submit-vague">
              {check.vagueItems.map((v) => (
                <li key={v.item.id}>
                  <strong>Item {v.index + 1}</strong>
                  {v.item.timeStart !== null && <span className="muted"> at {formatClipTime(v.item.timeStart)}</span>}: {v.problems.join(" ")}
                </li>
              ))}
            </ul>
          </>
        )}
        {check.findings.length > 0 && (
          <>
            <h3>The linter's findings on the caption</h3>
            <ul data-testid="submit-findings">
              {check.findings.map((f, i) => (
                <li key={`${f.rule}:${f.start ?? "x"}:${i}`}>
                  “{f.text}”: {f.message}
                </li>
              ))}
            </ul>
          </>
        )}
        {check.clean ? (
          <p className="alert alert-info">Every item is constructive and the linter found nothing.</p>
        ) : (
          <label className="check-row">
            <input type="checkbox" checked={accepted} onChange={(e) => setAccepted(e.target.checked)} /> I have checked these and
            submit them as they are.
          </label>
        )}
      </div>
    </ConfirmDialog>
  );
}
