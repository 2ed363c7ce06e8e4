import { sameLabel } from "../../../../shared/api/labels";
import type { Label, StoredLabel } from "../../../../shared/labels";
import type { LabelProblem } from "../../../../shared/labelValidation";
import type { Primitive, SubAspect } from "../../../../shared/captionSpec/schema";
import { formatDateTime, formatRelative } from "../../ui/format";
import type { PlayerHandle } from "../player/types";
import { kindLabel } from "../spec/format";
import { formatTime, isPicked, labelsOfSubAspect, lineKey, toLabel, type Line } from "./labelState";

/** One sub-aspect of the labelling panel: its line(s) of choices, its problems, and the extras of each pick. */

export function chipId(line: Line, p: Primitive): string {
  return `chip-${lineKey(line)}-${p.id}`.replace(/[^a-zA-Z0-9_-]/g, "_");
}

const EDGES = {
  start: { key: "I", empty: "in", title: "Start of the range at the playhead (I)" },
  end: { key: "O", empty: "out", title: "End of the range at the playhead (O)" },
} as const;

/** Sets one end of a pick's time range from the playhead, showing the time it holds. */
function EdgeButton({ edge, at, disabled, onClick }: { edge: keyof typeof EDGES; at: number | null; disabled: boolean; onClick(): void }) {
  const { key, empty, title } = EDGES[edge];
  return (
    <button type="button" className="btn btn-small" disabled={disabled} onClick={onClick} title={title}>
      <kbd>{key}</kbd> {at !== null ? formatTime(at) : empty}
    </button>
  );
}

export type SectionProps = {
  sub: SubAspect;
  lines: Line[];
  focus: { line: number; item: number };
  labels: Label[];
  saved: StoredLabel[];
  problems: LabelProblem[];
  editable: boolean;
  player: PlayerHandle | null;
  onPick(line: number, item: number): void;
  onFocusItem(line: number, item: number): void;
  onHover(id: string | null): void;
  onPatch(id: string, patch: Partial<Pick<Label, "notSure" | "timeStart" | "timeEnd" | "note">>): void;
  onTime(id: string, which: "start" | "end"): void;
};

export function SubAspectSection(props: SectionProps) {
  const { sub, lines, focus, labels, problems, editable } = props;
  const mine = labelsOfSubAspect(labels, sub);
  const focusedHere = lines[focus.line]?.subAspect.id === sub.id;
  return (
    <div className={`sub-aspect${focusedHere ? " focused" : ""}`} data-sub={sub.id}>
      <h3>
        {sub.label}
        <span className="sub-kind">
          {kindLabel(sub.value)}
          {sub.optional ? " · optional" : ""}
        </span>
      </h3>
      {lines.map((line, lineIndex) =>
        line.subAspect.id !== sub.id ? null : (
          <div
            key={lineKey(line)}
            className={`line${focus.line === lineIndex ? " focused" : ""}`}
            data-line={lineKey(line)}
            role="group"
            aria-label={line.role === "value" ? sub.label : `${sub.label} at the ${line.role}`}
          >
            {line.role !== "value" && <span className="line-role">{line.role === "start" ? "Start" : "End"}</span>}
            <div className="chips">
              {sub.primitives.map((p, item) => {
                const picked = isPicked(labels, line, p.id);
                const label = labels.find((l) => l.primitiveId === p.id);
                const focused = focus.line === lineIndex && focus.item === item;
                return (
                  <button
                    key={p.id}
                    id={chipId(line, p)}
                    type="button"
                    tabIndex={-1}
                    className={`chip${picked ? " picked" : ""}${focused ? " focused" : ""}${picked && label?.notSure ? " not-sure" : ""}`}
                    aria-pressed={picked}
                    disabled={!editable && !picked}
                    data-primitive={p.id}
                    title={p.definition}
                    onMouseDown={(e) => e.preventDefault()}
                    onMouseEnter={() => props.onHover(p.id)}
                    onMouseLeave={() => props.onHover(null)}
                    onFocus={() => props.onFocusItem(lineIndex, item)}
                    onClick={() => (editable ? props.onPick(lineIndex, item) : props.onFocusItem(lineIndex, item))}
                  >
                    {item < 10 && <kbd>{item === 9 ? 0 : item + 1}</kbd>}
                    {p.label}
                    {picked && label?.notSure && <span className="not-sure-mark" title="not sure">?</span>}
                  </button>
                );
              })}
            </div>
          </div>
        ),
      )}
      {problems.map((p, i) => (
        <p key={i} className={p.severity === "error" ? "problem-error" : "problem-warning"} role={p.severity === "error" ? "alert" : undefined}>
          {p.message}
        </p>
      ))}
      {mine.map((l) => (
        <LabelExtras key={l.primitiveId} label={l} {...props} />
      ))}
    </div>
  );
}

function LabelExtras({ label, saved, editable, player, sub, onPatch, onTime }: SectionProps & { label: Label }) {
  const primitive = sub.primitives.find((p) => p.id === label.primitiveId);
  if (!primitive) return null;
  const stored = saved.find((s) => s.primitiveId === label.primitiveId);
  const unchanged = stored !== undefined && sameLabel(toLabel(stored), label);
  const at = label.value.kind === "start_end" ? label.value.at : null;
  const hasTime = label.timeStart !== null || label.timeEnd !== null;
  return (
    <div className="label-extras" data-label={label.primitiveId}>
      <span className="label-name">
        {primitive.label}
        {at && <span className="label-at">{at === "both" ? "start & end" : at}</span>}
      </span>
      <label className="not-sure-toggle">
        <input
          type="checkbox"
          checked={label.notSure}
          disabled={!editable}
          onChange={(e) => onPatch(label.primitiveId, { notSure: e.target.checked })}
        />{" "}
        not sure <kbd>n</kbd>
      </label>
      <span className="time-range">
        <EdgeButton edge="start" at={label.timeStart} disabled={!editable || !player} onClick={() => onTime(label.primitiveId, "start")} />
        –
        <EdgeButton edge="end" at={label.timeEnd} disabled={!editable || !player} onClick={() => onTime(label.primitiveId, "end")} />
        {hasTime && player && (
          <button
            type="button"
            className="btn btn-small btn-quiet"
            onClick={() => player.seek(label.timeStart ?? label.timeEnd ?? 0)}
            title="Play from the range"
          >
            ▶
          </button>
        )}
        {hasTime && editable && (
          <button
            type="button"
            className="btn btn-small btn-quiet"
            onClick={() => onPatch(label.primitiveId, { timeStart: null, timeEnd: null })}
            title="Clear the time range (x)"
            aria-label={`Clear the time range of ${primitive.label}`}
          >
            ×
          </button>
        )}
      </span>
      {primitive.needsDescription && (
        <textarea
          data-note={label.primitiveId}
          className="label-note"
          aria-label={`Description of ${primitive.label}`}
          placeholder="Describe the move in order, e.g. “arcs left around the man, then cranes up” (d to edit, Esc to leave)"
          value={label.note ?? ""}
          readOnly={!editable}
          maxLength={2000}
          rows={2}
          onChange={(e) => onPatch(label.primitiveId, { note: e.target.value === "" ? null : e.target.value })}
        />
      )}
      <span className="label-who muted">
        {unchanged && stored ? (
          <span title={formatDateTime(stored.labelledAt)}>
            {stored.labelledByName}, {formatRelative(stored.labelledAt)}
          </span>
        ) : (
          "not saved yet"
        )}
      </span>
    </div>
  );
}
