import { useEffect, useId, useRef } from "react";
import type { SuggestedFacts } from "../../../../shared/api/labels";
import { MAX_SETTING, MAX_SUBJECT_PHRASE, MAX_SUBJECTS, PRONOUNS, type Pronoun } from "../../../../shared/captionFacts";
import { ASPECT_LABELS, type Aspect } from "../../../../shared/domain";
import { FACTS_NEEDED, type LabelProblem } from "../../../../shared/labelValidation";
import { addRow, fillFrom, moveRow, patchRow, pickSuggestion, removeRow, rowProblem, settingProblem, type FactsDraft } from "./factsState";

type Props = {
  aspect: Aspect;
  draft: FactsDraft;
  editable: boolean;
  /** The facts named on the clip's other tasks (newest first). */
  suggested: readonly SuggestedFacts[];
  /** What this aspect still needs named before labelling is finished (warnings from the shared validation). */
  missing: readonly LabelProblem[];
  onChange(change: (draft: FactsDraft) => FactsDraft): void;
};

const PRONOUN_TEXT: Record<Pronoun, string> = { he: "he / him", she: "she / her", it: "it / its", they: "they / them" };

function neededText(aspect: Aspect): string {
  const needed = FACTS_NEEDED[aspect];
  if (needed.subject && needed.setting) return "Needed to finish: at least one subject and the setting.";
  if (needed.subject) return "Needed to finish: at least one subject.";
  if (needed.setting) return "Needed to finish: the setting.";
  return "Optional for this aspect; the draft uses them when given.";
}

/**
 * What the captions need and the primitives cannot say: who or what the subjects are, as short noun phrases in
 * order of prominence, and the setting. Saved with the labels (Save / Ctrl+S). Its inputs keep their own keys: the
 * labelling shortcuts (digits, n, Delete…) leave this section alone (data-own-keys, useLabellingKeys).
 */
export function CaptionFactsPanel({ aspect, draft, editable, suggested, missing, onChange }: Props) {
  const id = useId();
  const suggestion = pickSuggestion(suggested);
  const settingError = settingProblem(draft.setting);
  const full = draft.subjects.length >= MAX_SUBJECTS;
  // A subject just added gets the keyboard, so adding one is: click (or Enter on the button), type.
  const listRef = useRef<HTMLOListElement>(null);
  const focusNew = useRef(false);
  useEffect(() => {
    if (!focusNew.current) return;
    focusNew.current = false;
    const inputs = listRef.current?.querySelectorAll<HTMLInputElement>("input.caption-facts-phrase");
    inputs?.[inputs.length - 1]?.focus();
  }, [draft.subjects.length]);
  return (
    <section className="caption-facts" aria-labelledby={`${id}-title`} data-own-keys="true" data-testid="caption-facts">
      <header className="caption-facts-head">
        <h3 id={`${id}-title`}>Subjects and setting</h3>
        <span className="muted">{neededText(aspect)}</span>
        {editable && suggestion && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => onChange((d) => fillFrom(d, suggestion.facts))}
            title={describe(suggestion.facts.subjects.map((s) => s.phrase), suggestion.facts.setting)}
            data-testid="facts-use-suggestion"
          >
            Use the {ASPECT_LABELS[suggestion.from].toLowerCase()} task&apos;s
          </button>
        )}
      </header>

      {draft.subjects.length === 0 ? (
        <p className="muted caption-facts-empty">No subject named yet.</p>
      ) : (
        <ol className="caption-facts-subjects" aria-label="Subjects, most prominent first" ref={listRef}>
          {draft.subjects.map((row, i) => {
            const problem = rowProblem(row);
            const base = `${id}-subject-${row.key}`;
            return (
              <li key={row.key} className="caption-facts-row" data-testid="facts-subject">
                <label htmlFor={`${base}-phrase`} className="sr-only">
                  Subject {i + 1} noun phrase
                </label>
                <input
                  id={`${base}-phrase`}
                  type="text"
                  className="caption-facts-phrase"
                  value={row.phrase}
                  placeholder={i === 0 ? "the man in the grey coat" : "two striped orange posts"}
                  maxLength={MAX_SUBJECT_PHRASE}
                  readOnly={!editable}
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={problem ? `${base}-problem` : undefined}
                  onChange={(e) => onChange((d) => patchRow(d, row.key, { phrase: e.target.value }))}
                />
                <label className="caption-facts-plural">
                  <input
                    type="checkbox"
                    checked={row.plural}
                    disabled={!editable}
                    onChange={(e) => onChange((d) => patchRow(d, row.key, { plural: e.target.checked }))}
                  />
                  more than one
                </label>
                <label className="caption-facts-pronoun">
                  <span className="sr-only">Subject {i + 1} pronoun</span>
                  <select
                    value={row.plural ? "they" : row.pronoun}
                    disabled={!editable || row.plural}
                    title={row.plural ? 'More than one: referred to as "they"' : "How the caption refers back to it"}
                    onChange={(e) => {
                      const pronoun = PRONOUNS.find((p) => p === e.target.value);
                      if (pronoun) onChange((d) => patchRow(d, row.key, { pronoun }));
                    }}
                  >
                    {PRONOUNS.map((p) => (
                      <option key={p} value={p}>
                        {PRONOUN_TEXT[p]}
                      </option>
                    ))}
                  </select>
                </label>
                {editable && (
                  <span className="caption-facts-actions">
                    <button type="button" className="btn btn-small btn-quiet" aria-label={`Move subject ${i + 1} up`} disabled={i === 0} onClick={() => onChange((d) => moveRow(d, row.key, -1))}>
                      ↑
                    </button>
                    <button
                      type="button"
                      className="btn btn-small btn-quiet"
                      aria-label={`Move subject ${i + 1} down`}
                      disabled={i === draft.subjects.length - 1}
                      onClick={() => onChange((d) => moveRow(d, row.key, 1))}
                    >
                      ↓
                    </button>
                    <button type="button" className="btn btn-small btn-quiet" aria-label={`Remove subject ${i + 1}`} onClick={() => onChange((d) => removeRow(d, row.key))}>
                      ✕
                    </button>
                  </span>
                )}
                {problem && (
                  <span id={`${base}-problem`} className="problem-error caption-facts-problem" role="alert">
                    {problem}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {editable && (
        <button type="button" className="btn btn-small" onClick={() => {
            focusNew.current = true;
            onChange(addRow);
          }}
          disabled={full} data-testid="facts-add-subject">
          {full ? `At most ${MAX_SUBJECTS} subjects` : "+ Add a subject"}
        </button>
      )}

      <div className="caption-facts-setting">
        <label htmlFor={`${id}-setting`}>Setting</label>
        <input
          id={`${id}-setting`}
          type="text"
          value={draft.setting}
          placeholder="on a pebble beach at low tide"
          maxLength={MAX_SETTING}
          readOnly={!editable}
          aria-invalid={settingError ? true : undefined}
          aria-describedby={`${id}-setting-hint`}
          onChange={(e) => {
            const setting = e.target.value;
            onChange((d) => ({ ...d, setting }));
          }}
        />
        <span id={`${id}-setting-hint`} className={settingError ? "problem-error" : "muted"}>
          {settingError ?? "Starts with its preposition: on a pebble beach at low tide."}
        </span>
      </div>

      {missing.length > 0 && (
        <ul className="problem-list" aria-live="polite" data-testid="facts-missing">
          {missing.map((p) => (
            <li key={p.code} className="problem-warning">
              {p.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function describe(subjects: string[], setting: string | null): string {
  const who = subjects.length > 0 ? subjects.join("; ") : "no subjects";
  return setting ? `${who} — ${setting}` : who;
}
