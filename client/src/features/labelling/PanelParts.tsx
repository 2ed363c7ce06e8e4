import type { LabelsResponse } from "../../../../shared/api/labels";
import type { LabelProblem } from "../../../../shared/labelValidation";
import type { Primitive } from "../../../../shared/captionSpec/schema";
import { formatDateTime, formatRelative } from "../../ui/format";
import { specHref } from "../spec/links";

/** The labelling panel's smaller pieces: save status, problem summary, definition card, key help. */

export function SaveStatus({ saved, dirty, saving }: { saved: LabelsResponse; dirty: boolean; saving: boolean }) {
  const last = saved.lastLabelled;
  return (
    <span className="labelling-status" aria-live="polite" data-testid="labels-status">
      {saving ? (
        "Saving…"
      ) : dirty ? (
        <span className="dirty">● Unsaved changes</span>
      ) : last ? (
        <span title={formatDateTime(last.at)}>
          Saved · {last.byName}, {formatRelative(last.at)}
        </span>
      ) : (
        <span className="muted">Nothing labelled yet</span>
      )}
    </span>
  );
}

export function Summary({ errors, warnings, canFinish }: { errors: LabelProblem[]; warnings: LabelProblem[]; canFinish: boolean }) {
  if (canFinish) return <p className="labelling-ok">✓ Every required sub-aspect is answered and the facts needed are named.</p>;
  return (
    <div className="labelling-summary" aria-live="polite">
      {errors.length > 0 && (
        <>
          <p className="problem-error">
            {errors.length} error{errors.length === 1 ? "" : "s"} to fix before saving:
          </p>
          <ul className="problem-list">
            {errors.slice(0, 5).map((p, i) => (
              <li key={i} className="problem-error">
                {p.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {warnings.length > 0 && (
        <p className="problem-warning">
          {warnings.length} open point{warnings.length === 1 ? "" : "s"} before labelling is finished (saving is fine).
        </p>
      )}
    </div>
  );
}

export function DefinitionCard({ primitive }: { primitive: Primitive }) {
  return (
    <aside className="definition-card" aria-label={`Definition of ${primitive.label}`} data-testid="definition">
      <strong>{primitive.label}</strong> <code>{primitive.id}</code>
      <p>{primitive.definition}</p>
      <p>
        <b>Applies:</b> {primitive.rule.applies}
      </p>
      <p>
        <b>Not when:</b> {primitive.rule.doesNotApply}
      </p>
      <a href={specHref(primitive.id)} target="_blank" rel="noreferrer">
        Open in the spec ↗
      </a>
    </aside>
  );
}

export function KeyHelp({ open, onToggle }: { open: boolean; onToggle(): void }) {
  return (
    <div className="key-help">
      <button type="button" className="btn btn-small btn-quiet" onClick={onToggle} aria-expanded={open}>
        Keyboard <kbd>?</kbd>
      </button>
      {open && (
        <dl>
          <dt>↑ ↓ / Tab</dt>
          <dd>previous / next sub-aspect</dd>
          <dt>1–9, 0</dt>
          <dd>pick in the focused sub-aspect (again to un-pick)</dd>
          <dt>← → Enter</dt>
          <dd>move within the sub-aspect, pick</dd>
          <dt>n</dt>
          <dd>not sure</dd>
          <dt>I / O</dt>
          <dd>time range start / end at the playhead; x clears</dd>
          <dt>d</dt>
          <dd>write the description (Esc to leave)</dd>
          <dt>Delete</dt>
          <dd>clear the sub-aspect</dd>
          <dt>Ctrl/⌘ S</dt>
          <dd>save</dd>
        </dl>
      )}
    </div>
  );
}
