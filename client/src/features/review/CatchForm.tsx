import { useEffect, useState, type FormEvent } from "react";
import { ITEM_CATCH_KINDS, type CatchView } from "../../../../shared/api/review";
import { CATCH_KIND_LABELS, CATCH_KINDS, type CatchKind } from "../../../../shared/domain";
import { ErrorNote } from "../../ui/Alert";
import { Choice, Field, InputField } from "../../ui/Field";
import { useAction } from "../../ui/useAction";
import type { CatchTarget } from "./catchTarget";
import { newRequestKey } from "./requestKey";
import { reviewApi } from "./reviewApi";

const NEEDS_ITEM: ReadonlySet<CatchKind> = new Set(ITEM_CATCH_KINDS);
const KIND_OPTIONS = CATCH_KINDS.map((k) => ({ value: k, label: CATCH_KIND_LABELS[k] }));

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
  const { busy, error, run } = useAction();

  useEffect(() => {
    if (target?.quote !== undefined) setQuote(target.quote);
    if (target?.timeStart !== undefined) setTimeStart(String(target.timeStart));
    if (target?.timeEnd !== undefined) setTimeEnd(String(target.timeEnd));
  }, [target?.quote, target?.timeStart, target?.timeEnd]);

  const reversed = timeStart.trim() !== "" && timeEnd.trim() !== "" && Number(timeEnd) < Number(timeStart);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const num = (s: string) => (s.trim() === "" ? undefined : Number(s));
    const useAnchor = target?.anchor && target.anchor.quote === quote;
    const body = {
      requestKey,
      kind,
      note: note.trim(),
      ...(NEEDS_ITEM.has(kind) && itemId ? { itemId } : {}),
      ...(useAnchor && target?.anchor ? { anchor: target.anchor } : {}),
      ...(quote.trim() ? { quote: quote.trim() } : {}),
      ...(num(timeStart) !== undefined ? { timeStart: num(timeStart) } : {}),
      ...(num(timeEnd) !== undefined ? { timeEnd: num(timeEnd) } : {}),
    };
    if (!(await run(async () => onRecorded(await reviewApi.addCatch(taskId, body))))) return;
    // The next catch starts empty: a range or quote left over from this one would be recorded on the wrong moment.
    setNote("");
    setQuote("");
    setItemId("");
    setTimeStart("");
    setTimeEnd("");
    setRequestKey(newRequestKey());
  };

  return (
    <form className="catch-form" onSubmit={(e) => void submit(e)} aria-label="Record a catch">
      <Field label="Kind">
        <Choice value={kind} options={KIND_OPTIONS} onChange={setKind} name="kind" />
      </Field>
      {NEEDS_ITEM.has(kind) && (
        <Field label="Critique item">
          <Choice
            value={itemId}
            empty="Choose the item…"
            options={items.map((i) => ({ value: i.id, label: i.label }))}
            onChange={setItemId}
            name="itemId"
            required
          />
        </Field>
      )}
      <InputField label={kind === "residual_error" ? "Post-caption text" : "Draft text"} value={quote} maxLength={2000} onValue={setQuote} name="quote" />
      <div className="catch-times">
        <InputField label="From (s)" type="number" min="0" step="0.1" value={timeStart} onValue={setTimeStart} name="timeStart" />
        <InputField label="To (s)" type="number" min="0" step="0.1" value={timeEnd} onValue={setTimeEnd} name="timeEnd" />
      </div>
      {reversed && (
        <p className="field-error" role="alert">
          The end time is before the start time: swap them.
        </p>
      )}
      <Field label="Note (what is wrong)">
        <textarea value={note} maxLength={2000} rows={2} required onChange={(e) => setNote(e.target.value)} name="note" />
      </Field>
      <button type="submit" className="btn btn-primary" disabled={busy || note.trim() === "" || reversed}>
        Record catch
      </button>
      <ErrorNote message={error} />
    </form>
  );
}
