import { useEffect, useState, type FormEvent } from "react";
import type { CoachingNote, Spotlight } from "../../../../shared/api/training";
import { formatClipTime } from "../../../../shared/critique/items";
import { errorMessage } from "../../app/api";
import { trainingApi } from "./trainingApi";
import "./training.css";

type Props = {
  taskId: string;
  /** Trainers write notes and spotlights; trainees (and leads) read. */
  canWrite: boolean;
  /** The player's current time, offered as the note's moment. */
  currentTime?: () => number;
  /** Called for every spotlight received (the room can seek or flash the span). */
  onSpotlight?: (s: Spotlight) => void;
};

const SPOTLIGHT_MS = 5000;

/**
 * Private coaching between a trainer and a trainee on one task: the notes so far, new ones live (server-sent
 * events), and spotlights that flash for a few seconds. Nothing here is part of the shared room document.
 */
export function CoachingPanel({ taskId, canWrite, currentTime, onSpotlight }: Props) {
  const [notes, setNotes] = useState<CoachingNote[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [flash, setFlash] = useState<Spotlight | null>(null);
  const [body, setBody] = useState("");
  const [quote, setQuote] = useState("");
  const [time, setTime] = useState("");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const ctl = new AbortController();
    trainingApi.notes(taskId, ctl.signal).then(
      (list) => setNotes((cur) => merge(list, cur)),
      (err: unknown) => !ctl.signal.aborted && setError(errorMessage(err)),
    );
    const source = new EventSource(trainingApi.streamUrl(taskId));
    source.addEventListener("ready", () => setLive(true));
    source.addEventListener("note", (e) => {
      const note = JSON.parse((e as MessageEvent<string>).data) as CoachingNote;
      setNotes((cur) => merge(cur, [note]));
    });
    source.addEventListener("spotlight", (e) => {
      const s = JSON.parse((e as MessageEvent<string>).data) as Spotlight;
      setFlash(s);
      onSpotlight?.(s);
    });
    source.onerror = () => setLive(false);
    return () => {
      ctl.abort();
      source.close();
    };
    // onSpotlight is a callback prop; the stream is per task.
  }, [taskId]);

  useEffect(() => {
    if (!flash) return;
    const t = setTimeout(() => setFlash(null), SPOTLIGHT_MS);
    return () => clearTimeout(t);
  }, [flash]);

  const moment = () => {
    const t = time.trim() ? Number(time) : currentTime?.();
    return t !== undefined && Number.isFinite(t) && t >= 0 ? t : null;
  };

  const send = (e: FormEvent) => {
    e.preventDefault();
    if (!body.trim()) return;
    setBusy(true);
    const t = moment();
    trainingApi
      .addNote(taskId, { body, quote: quote.trim() || null, timeStart: t, timeEnd: t })
      .then(
        (note) => {
          setNotes((cur) => merge(cur, [note]));
          setBody("");
          setQuote("");
          setError(null);
        },
        (err: unknown) => setError(errorMessage(err)),
      )
      .finally(() => setBusy(false));
  };

  const spot = () => {
    const t = moment();
    trainingApi.spotlight(taskId, { quote: quote.trim() || null, timeStart: t, message: body.trim() || null }).then(
      () => setError(null),
      (err: unknown) => setError(errorMessage(err)),
    );
  };

  return (
    <section className="panel coaching-panel" aria-label="Coaching" data-testid="coaching-panel">
      <div className="panel-head">
        <h2>Coaching</h2>
        <span className={`live-dot${live ? " is-live" : ""}`} data-testid="coaching-live" data-live={live}>
          {live ? "live" : "offline"}
        </span>
      </div>
      {flash && (
        <div className="spotlight-flash" role="alert" data-testid="spotlight">
          <strong>Spotlight from {flash.from.name}:</strong> {flash.quote ? <q>{flash.quote}</q> : null}
          {flash.timeStart !== null ? ` at ${formatClipTime(flash.timeStart)}` : ""}
          {flash.message ? ` — ${flash.message}` : ""}
        </div>
      )}
      {error && (
        <p className="alert alert-error" role="alert" data-testid="coaching-error">
          {error}
        </p>
      )}
      <ol className="coaching-notes" data-testid="coaching-notes">
        {notes.length === 0 && !error && <li className="muted">No notes yet.</li>}
        {notes.map((n) => (
          <li key={n.id} className="coaching-note" data-testid="coaching-note">
            <div className="coaching-note-head">
              <strong>{n.trainer.name}</strong>
              {n.timeStart !== null && <span className="time-chip">{formatClipTime(n.timeStart)}</span>}
              {n.quote && <q>{n.quote}</q>}
            </div>
            <p>{n.body}</p>
          </li>
        ))}
      </ol>
      {canWrite && (
        <form className="coaching-form" onSubmit={send}>
          <label>
            Note to the trainee
            <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={3} maxLength={4000} data-testid="coaching-body" />
          </label>
          <div className="coaching-form-row">
            <label>
              Span (quote)
              <input value={quote} onChange={(e) => setQuote(e.target.value)} maxLength={2000} placeholder="optional" />
            </label>
            <label>
              At (s)
              <input value={time} onChange={(e) => setTime(e.target.value)} inputMode="decimal" placeholder="now" size={6} />
            </label>
          </div>
          <div className="coaching-form-row">
            <button type="submit" className="btn btn-primary" disabled={busy || !body.trim()}>
              Send note
            </button>
            <button type="button" className="btn" onClick={spot}>
              Spotlight
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function merge(a: CoachingNote[], b: CoachingNote[]): CoachingNote[] {
  const byId = new Map<string, CoachingNote>();
  for (const n of [...a, ...b]) byId.set(n.id, n);
  return [...byId.values()].sort((x, y) => (x.createdAt < y.createdAt ? -1 : x.createdAt > y.createdAt ? 1 : 0));
}
