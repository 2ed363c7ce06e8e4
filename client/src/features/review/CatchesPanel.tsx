import { useCallback, useEffect, useState, type FormEvent } from "react";
import type { CatchAnchor, CatchView, Decision, Resolution } from "../../../../shared/api/review";
import { CATCH_KINDS, type CatchKind } from "../../../../shared/domain";
import { errorMessage } from "../../app/api";
import { formatDateTime } from "../../ui/format";
import { canDecide, canDispute, canRecordCatch, canResolve, canStartReview, newRequestKey, type PanelTask, type PanelViewer } from "./permissions";
import { reviewApi } from "./reviewApi";
import "./review.css";

export const CATCH_KIND_LABELS: Record<CatchKind, string> = {
  false_flag: "False flag",
  missed_error: "Missed error",
  non_constructive: "Non-constructive item",
  residual_error: "Residual error (post-caption)",
};

const DECISION_LABELS: Record<Decision, string> = {
  approve: "Approve",
  fix_and_approve: "Fix and approve",
  reject_and_redo: "Reject and redo",
};

/** What the room knows that a catch can be anchored to: the draft selection and/or a time range. */
export type CatchTarget = { anchor?: CatchAnchor; quote?: string; timeStart?: number; timeEnd?: number };

export type CatchesPanelProps = {
  taskId: string;
  me: PanelViewer;
  task: PanelTask;
  /** The critique items a false flag or non-constructive catch can name (id + a short label), from the room. */
  items?: readonly { id: string; label: string }[];
  /** The room's current draft selection / playhead range, offered as the new catch's anchor. */
  target?: CatchTarget;
  /** How often to refetch the list (ms); the room may also bump `refreshKey` when its catches map changes. */
  pollMs?: number;
  refreshKey?: unknown;
  /** After starting a review or deciding: the room reloads the task (stage, reviewer). */
  onTaskChanged?: () => void;
};

/**
 * The review side panel of a task room: catches listed live (polled; the room can also trigger a refetch), the
 * reviewer's catch form, the annotator's dispute, the lead's verdict, and the reviewer's decision.
 */
export function CatchesPanel({ taskId, me, task, items = [], target, pollMs = 4000, refreshKey, onTaskChanged }: CatchesPanelProps) {
  const [list, setList] = useState<CatchView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const rows = await reviewApi.catches(taskId, signal);
        if (!signal?.aborted) {
          setList(rows);
          setError(null);
        }
      } catch (err) {
        if (!signal?.aborted) setError(errorMessage(err));
      }
    },
    [taskId],
  );

  useEffect(() => {
    const ctl = new AbortController();
    void reload(ctl.signal);
    const timer = window.setInterval(() => {
      if (document.visibilityState !== "hidden") void reload(ctl.signal);
    }, pollMs);
    return () => {
      ctl.abort();
      window.clearInterval(timer);
    };
  }, [reload, pollMs, refreshKey]);

  const replace = (c: CatchView) => setList((l) => (l ?? []).map((x) => (x.id === c.id ? c : x)));

  return (
    <section className="panel review-panel" aria-labelledby="review-panel-title" data-testid="catches-panel">
      <div className="panel-head">
        <h2 id="review-panel-title">Review</h2>
        <span className="muted">{list ? `${list.length} catch${list.length === 1 ? "" : "es"}` : ""}</span>
      </div>
      <div className="panel-body">
        <DecisionBar taskId={taskId} me={me} task={task} onTaskChanged={onTaskChanged} />
        {error && (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        )}
        {canRecordCatch(me, task) && (
          <CatchForm taskId={taskId} items={items} target={target} onRecorded={(c) => setList((l) => [...(l ?? []).filter((x) => x.id !== c.id), c])} />
        )}
        <ul className="catch-list" aria-label="Catches">
          {(list ?? []).map((c) => (
            <CatchCard key={c.id} c={c} me={me} task={task} itemLabel={items.find((i) => i.id === c.itemId)?.label ?? null} onChanged={replace} />
          ))}
        </ul>
        {list && list.length === 0 && <p className="muted">No catches yet.</p>}
      </div>
    </section>
  );
}

function DecisionBar({ taskId, me, task, onTaskChanged }: { taskId: string; me: PanelViewer; task: PanelTask; onTaskChanged?: () => void }) {
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      setNote("");
      onTaskChanged?.();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  if (canStartReview(me, task)) {
    return (
      <div className="decision-bar">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void run(() => reviewApi.startReview(taskId))}>
          Start review
        </button>
        {error && <p className="alert alert-error">{error}</p>}
      </div>
    );
  }
  if (!canDecide(me, task)) return null;
  return (
    <div className="decision-bar">
      <label className="field">
        <span>Decision note</span>
        <textarea value={note} maxLength={2000} rows={2} onChange={(e) => setNote(e.target.value)} />
      </label>
      <div className="decision-buttons">
        {(Object.keys(DECISION_LABELS) as Decision[]).map((d) => (
          <button
            key={d}
            type="button"
            className={d === "approve" ? "btn btn-primary" : "btn"}
            disabled={busy}
            onClick={() => void run(() => reviewApi.decide(taskId, { decision: d, note }))}
          >
            {DECISION_LABELS[d]}
          </button>
        ))}
      </div>
      {error && <p className="alert alert-error">{error}</p>}
    </div>
  );
}

const NEEDS_ITEM: ReadonlySet<CatchKind> = new Set(["false_flag", "non_constructive"]);

function CatchForm({
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

function CatchCard({
  c,
  me,
  task,
  itemLabel,
  onChanged,
}: {
  c: CatchView;
  me: PanelViewer;
  task: PanelTask;
  /** The named critique item as the room labels it; null when the item is gone from the room. */
  itemLabel: string | null;
  onChanged(c: CatchView): void;
}) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (fn: () => Promise<CatchView>) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await fn());
      setText("");
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const time = c.timeStart !== null ? `${c.timeStart.toFixed(1)}–${(c.timeEnd ?? c.timeStart).toFixed(1)} s` : null;
  const dispute = canDispute(me, task, c);
  const resolve = canResolve(me, task, c);
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
              {d.resolution === "upheld" ? "Upheld" : "Overturned"} by {d.resolvedBy?.name ?? "a lead"}: {d.resolutionNote}
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
            (["upheld", "overturned"] as Resolution[]).map((r) => (
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
      {error && <p className="alert alert-error">{error}</p>}
    </li>
  );
}
