import { useEffect, useState, type FormEvent } from "react";
import type { CatchView } from "../../../../shared/api/review";
import { CATCH_KIND_LABELS, CATCH_KINDS, type CatchKind } from "../../../../shared/domain";
import { errorMessage } from "../../app/api";
import type { CatchTarget } from "./CatchesPanel";
import { newRequestKey } from "./requestKey";
import { reviewApi } from "./reviewApi";

const NEEDS_ITEM: ReadonlySet<CatchKind> = new Set(["false_flag", "non_constructive"]);

/** The reviewer's form for a new catch, pre-filled from the room's selection and playhead. */
export function CatchForm({
  taskId,
  items,
  target,
  onRecorded,
}: {
  taskId: string;
  items: readonly { id: string; label: string }[];
  target?: CatchTarget;
  onRecorded(c: CatchView): void;
}) {
  const [kind, setKind] = useState<CatchKind>("missed_error");
  const [itemId, setItemId] = useState("");
  const [quote, setQuote] = useState("");
  const [timeStart, setTimeStart] = useState("");
  const [timeEnd, setTimeEnd] = useState("");
  const [note, setNote] = useState("");
  // Kept across failed attempts so a retry of the same catch is recognised by the server.
  const [requestKey, setRequestKey] = useState(newRequestKey);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (target?.quote !== undefined) setQuote(target.quote);
    if (target?.timeStart !== undefined) setTimeStart(String(target.timeStart));
    if (target?.timeEnd !== undefined) setTimeEnd(String(target.timeEnd));
  }, [target?.quote, target?.timeStart, target?.timeEnd]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const num = (s: string) => (s.trim() === "" ? undefined : Number(s));
    const useAnchor = target?.anchor && target.anchor.quote === quote;
    try {
      const c = await reviewApi.addCatch(taskId, {
        requestKey,
        kind,
        note: note.trim(),
        ...(NEEDS_ITEM.has(kind) && itemId ? { itemId } : {}),
        ...(useAnchor && target?.anchor ? { anchor: target.anchor } : {}),
        ...(quote.trim() ? { quote: quote.trim() } : {}),
        ...(num(timeStart) !== undefined ? { timeStart: num(timeStart) } : {}),
        ...(num(timeEnd) !== undefined ? { timeEnd: num(timeEnd) } : {}),
      });
      onRecorded(c);
      setNote("");
      setQuote("");
      setItemId("");
      setRequestKey(newRequestKey());
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="catch-form" onSubmit={(e) => void submit(e)} aria-label="Record a catch">
      <label className="field">
        <span>Kind</span>
        <select value={kind} onChange={(e) => setKind(e.target.value as CatchKind)} name="kind">
          {CATCH_KINDS.map((k) => (
            <option key={k} value={k}>
              {CATCH_KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      {NEEDS_ITEM.has(kind) && (
        <label className="field">
          <span>Critique item</span>
          <select value={itemId} onChange={(e) => setItemId(e.target.value)} name="itemId" required>
            <option value="">Choose the item…</option>
            {items.map((i) => (
              <option key={i.id} value={i.id}>
                {i.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="field">
        <span>{kind === "residual_error" ? "Post-caption text" : "Draft text"}</span>
        <input value={quote} maxLength={2000} onChange={(e) => setQuote(e.target.value)} name="quote" />
      </label>
      <div className="catch-times">
        <label className="field">
          <span>From (s)</span>
          <input type="number" min="0" step="0.1" value={timeStart} onChange={(e) => setTimeStart(e.target.value)} name="timeStart" />
        </label>
        <label className="field">
          <span>To (s)</span>
          <input type="number" min="0" step="0.1" value={timeEnd} onChange={(e) => setTimeEnd(e.target.value)} name="timeEnd" />
        </label>
      </div>
      <label className="field">
        <span>Note (what is wrong)</span>
        <textarea value={note} maxLength={2000} rows={2} required onChange={(e) => setNote(e.target.value)} name="note" />
      </label>
      <button type="submit" className="btn btn-primary" disabled={busy || note.trim() === ""}>
        Record catch
      </button>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
