import { useMemo, useRef, useEffect, useState } from "react";
import { MAX_CRITIQUE_FIELD, constructiveProblems, errorTypeText, type CritiqueItem } from "../../../../shared/critique/items";
import type { Finding } from "../../../../shared/captionSpec/lint";
import { formatTimecode } from "../../../../shared/timecode";
import { Choice } from "../../ui/Field";
import { ERROR_COLOURS, ERROR_TYPE_OPTIONS } from "./errorTypes";

export type PrimitiveOption = { id: string; label: string };

type Props = {
  items: CritiqueItem[];
  orphaned: ReadonlyMap<string, string>;
  selectedId: string | null;
  fps: number | null;
  primitives: PrimitiveOption[];
  editable: boolean;
  lintText(text: string): Finding[];
  onSelect(itemId: string): void;
  onUpdate(itemId: string, patch: Partial<Omit<CritiqueItem, "id">>): void;
  onDelete(itemId: string): void;
  onMark(edge: "in" | "out"): void;
  /** Gets the "what is wrong" field of the selected item, so Enter can focus it. */
  whatFieldRef: React.RefObject<HTMLTextAreaElement | null>;
};

function Findings({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) return null;
  return (
    <ul className="crit-lint" aria-label="Spec warnings">
      {findings.slice(0, 4).map((f, i) => (
        <li key={i} className={`lint-note lint-note-${f.severity}`}>
          <strong>{f.text}</strong>: {f.message}
        </li>
      ))}
    </ul>
  );
}

/** One of an item's text fields, with the spec's warnings about what is written in it. */
/** From here on the field shows how much room is left. */
const NEAR_LIMIT = MAX_CRITIQUE_FIELD - 200;

function ItemText({
  label,
  value,
  editable,
  placeholder,
  findings,
  fieldRef,
  onChange,
}: {
  label: string;
  value: string;
  editable: boolean;
  placeholder: string;
  findings: Finding[];
  fieldRef?: React.RefObject<HTMLTextAreaElement | null>;
  onChange(value: string): void;
}) {
  const [pasteCut, setPasteCut] = useState(false);
  return (
    <>
      <label>
        <span>{label}</span>
        <textarea
          ref={fieldRef}
          rows={2}
          value={value}
          maxLength={MAX_CRITIQUE_FIELD}
          readOnly={!editable}
          placeholder={placeholder}
          onChange={(e) => onChange(e.currentTarget.value)}
          onPaste={(e) => {
            const t = e.currentTarget;
            const after = t.value.length - (t.selectionEnd - t.selectionStart) + e.clipboardData.getData("text").length;
            setPasteCut(after > MAX_CRITIQUE_FIELD);
          }}
        />
      </label>
      {editable && value.length >= NEAR_LIMIT && (
        <p className={value.length >= MAX_CRITIQUE_FIELD ? "field-error" : "muted small"} role={value.length >= MAX_CRITIQUE_FIELD ? "alert" : undefined}>
          {value.length.toLocaleString("en")} / {MAX_CRITIQUE_FIELD.toLocaleString("en")} characters
          {value.length >= MAX_CRITIQUE_FIELD &&
            (pasteCut ? ": the pasted text was cut at the limit. Split the point into two items." : ": the field is full. Split the point into two items.")}
        </p>
      )}
      <Findings findings={findings} />
    </>
  );
}

/** The critique items: a list in time order, the selected one opened for editing. */
export function CritiquePanel(props: Props) {
  const { items, orphaned, selectedId, fps, onSelect } = props;
  const listRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (!selectedId) return;
    listRef.current?.querySelector(`[data-item-id="${CSS.escape(selectedId)}"]`)?.scrollIntoView({ block: "nearest" });
  }, [selectedId]);

  if (items.length === 0) {
    return (
      <p className="crit-empty muted">
        No critique yet. Select words in the draft and press <kbd>C</kbd>, or press <kbd>C</kbd> with nothing selected for
        a time-only item (missing information).
      </p>
    );
  }
  return (
    <ol className="crit-list" ref={listRef} aria-label="Critique items">
      {items.map((item, index) => {
        const problems = constructiveProblems(item);
        const selected = item.id === selectedId;
        const orphanQuote = orphaned.get(item.id);
        return (
          <li
            key={item.id}
            className={`crit-item${selected ? " crit-item-selected" : ""}`}
            data-item-id={item.id}
            data-testid="critique-item"
            style={{ borderLeftColor: ERROR_COLOURS[item.errorType] }}
          >
            <button type="button" className="crit-summary" onClick={() => onSelect(item.id)} aria-expanded={selected}>
              <span className="crit-index">{index + 1}</span>
              <span className="crit-type" style={{ color: ERROR_COLOURS[item.errorType] }}>
                {errorTypeText(item.errorType)}
              </span>
              <span className="crit-time">
                {item.timeStart === null ? "no time" : `${formatTimecode(item.timeStart, fps)} – ${formatTimecode(item.timeEnd ?? item.timeStart, fps)}`}
              </span>
              {problems.length > 0 && (
                <span className="badge badge-warn" title={problems.join(" ")}>
                  Non-constructive
                </span>
              )}
              <span className="crit-quote">
                {item.anchor === null ? (
                  <em className="muted">time only</em>
                ) : orphanQuote !== undefined ? (
                  <span className="crit-orphan" title="The quoted words were deleted from the draft; the item keeps its quote.">
                    orphaned: “{orphanQuote}”
                  </span>
                ) : (
                  <>“{item.anchor.quote}”</>
                )}
              </span>
              {!selected && item.what && <span className="crit-what">{item.what}</span>}
            </button>
            {selected && <ItemEditor {...props} item={item} problems={problems} />}
          </li>
        );
      })}
    </ol>
  );
}

function ItemEditor({ item, problems, fps, primitives, editable, lintText, onUpdate, onDelete, onMark, whatFieldRef }: Props & { item: CritiqueItem; problems: string[] }) {
  const whatFindings = useMemo(() => lintText(item.what), [lintText, item.what]);
  const fixFindings = useMemo(() => lintText(item.fix), [lintText, item.fix]);
  const primitiveLabel = primitives.find((p) => p.id === item.primitiveId)?.label;
  const listId = `prims-${item.id}`;
  return (
    <div className="crit-editor">
      <div className="crit-row">
        <label>
          <span>Error type</span>
          <Choice value={item.errorType} options={ERROR_TYPE_OPTIONS} disabled={!editable} onChange={(errorType) => onUpdate(item.id, { errorType })} />
        </label>
        <label className="crit-prim">
          <span>Primitive {primitiveLabel && <em className="muted">· {primitiveLabel}</em>}</span>
          <input
            list={listId}
            placeholder="Search the spec…"
            defaultValue={item.primitiveId ?? ""}
            key={item.primitiveId ?? ""}
            disabled={!editable}
            onChange={(e) => {
              const v = e.currentTarget.value.trim();
              if (v === "") onUpdate(item.id, { primitiveId: null });
              else if (primitives.some((p) => p.id === v)) onUpdate(item.id, { primitiveId: v });
            }}
          />
          <datalist id={listId}>
            {primitives.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </datalist>
        </label>
      </div>
      <ItemText
        label="What is wrong"
        value={item.what}
        editable={editable}
        fieldRef={whatFieldRef}
        findings={whatFindings}
        placeholder="e.g. The camera does not zoom: the near posts grow faster than the backdrop."
        onChange={(what) => onUpdate(item.id, { what })}
      />
      <ItemText
        label="How to fix it"
        value={item.fix}
        editable={editable}
        findings={fixFindings}
        placeholder='e.g. Write "dollies in".'
        onChange={(fix) => onUpdate(item.id, { fix })}
      />
      {problems.length > 0 && <p className="crit-problems">{problems.join(" ")}</p>}
      <div className="crit-actions">
        <span className="crit-range">
          <button type="button" className="btn btn-small" disabled={!editable} onClick={() => onMark("in")} title="Set start from the playhead (I)">
            In <kbd>I</kbd>
          </button>
          <output>{item.timeStart === null ? "—" : formatTimecode(item.timeStart, fps)}</output>
          <button type="button" className="btn btn-small" disabled={!editable} onClick={() => onMark("out")} title="Set end from the playhead (O)">
            Out <kbd>O</kbd>
          </button>
          <output>{item.timeEnd === null ? "—" : formatTimecode(item.timeEnd, fps)}</output>
        </span>
        <button type="button" className="btn btn-small btn-danger" disabled={!editable} onClick={() => onDelete(item.id)} title="Delete (Shift+Delete)">
          Delete
        </button>
      </div>
    </div>
  );
}
