import { useMemo, useRef, type RefObject, type UIEvent } from "react";
import type { DiffCatch, DiffCritiqueItem, DiffSide } from "../../../../shared/api/training";
import { formatClipTime } from "../../../../shared/critique/items";
import { CATCH_KIND_LABELS, ERROR_TYPE_LABELS } from "../../../../shared/domain";
import { diffStats, wordDiff } from "../../../../shared/wordDiff";
import { labelOf } from "../../ui/format";
import { sideSegments, type Mark } from "./diffSegments";
import "./diff.css";

type Props = { left: DiffSide; right: DiffSide; onSeek(time: number): void };

const marksOf = (side: DiffSide): Mark[] => [
  ...side.items.flatMap((i) => (i.quote ? [{ id: `item:${i.id}`, quote: i.quote }] : [])),
  ...side.catches.flatMap((c) => (c.quote ? [{ id: `catch:${c.id}`, quote: c.quote }] : [])),
];

function TimeChip({ start, end, onSeek }: { start: number | null; end: number | null; onSeek(t: number): void }) {
  if (start === null) return null;
  return (
    <button type="button" className="time-chip" onClick={() => onSeek(start)} title="Jump the video to this time">
      {formatClipTime(start)}
      {end !== null && end !== start ? `–${formatClipTime(end)}` : ""}
    </button>
  );
}

function ItemCard({ item, onSeek, catches }: { item: DiffCritiqueItem; onSeek(t: number): void; catches: DiffCatch[] }) {
  return (
    <li className="diff-item" data-testid="diff-item">
      <div className="diff-item-head">
        <span className="error-chip">{labelOf(ERROR_TYPE_LABELS, item.errorType)}</span>
        <TimeChip start={item.timeStart} end={item.timeEnd} onSeek={onSeek} />
        {item.quote && <q className="diff-quote">{item.quote}</q>}
      </div>
      <p>{item.what}</p>
      {item.fix && <p className="muted">Fix: {item.fix}</p>}
      {catches.map((c) => (
        <p key={c.id} className={`catch-note catch-${c.kind}`}>
          {labelOf(CATCH_KIND_LABELS, c.kind)}
          {c.status !== "open" ? ` (${c.status})` : ""}: {c.note}
        </p>
      ))}
    </li>
  );
}

function Column({ side, segs, which, onSeek, onScroll, scrollRef }: {
  side: DiffSide;
  segs: ReturnType<typeof sideSegments>;
  which: "left" | "right";
  onSeek(t: number): void;
  onScroll(e: UIEvent<HTMLDivElement>): void;
  scrollRef: RefObject<HTMLDivElement | null>;
}) {
  const Changed = which === "left" ? "del" : "ins";
  const looseCatches = side.catches.filter((c) => !c.itemId || !side.items.some((i) => i.id === c.itemId));
  return (
    <section className="diff-col" aria-label={side.label} data-side={which}>
      <header className="diff-col-head">
        <h2>{side.label}</h2>
        {side.author && <span className="muted">{side.author}</span>}
      </header>
      <div className="diff-scroll" ref={scrollRef} onScroll={onScroll} data-testid={`diff-scroll-${which}`}>
        <p className="diff-text" data-testid={`diff-text-${which}`}>
          {segs.map((s, i) => {
            const content = s.marks.length ? (
              <mark className={s.marks.some((m) => m.startsWith("catch:")) ? "mark-catch" : "mark-item"} data-marks={s.marks.join(" ")}>
                {s.text}
              </mark>
            ) : (
              s.text
            );
            return s.changed ? <Changed key={i}>{content}</Changed> : <span key={i}>{content}</span>;
          })}
        </p>
        {(side.items.length > 0 || looseCatches.length > 0) && (
          <ul className="diff-items">
            {side.items.map((item) => (
              <ItemCard key={item.id} item={item} onSeek={onSeek} catches={side.catches.filter((c) => c.itemId === item.id)} />
            ))}
            {looseCatches.map((c) => (
              <li key={c.id} className={`diff-item catch-card catch-${c.kind}`} data-testid="diff-catch">
                <div className="diff-item-head">
                  <span className="error-chip catch-chip">{labelOf(CATCH_KIND_LABELS, c.kind)}</span>
                  <TimeChip start={c.timeStart} end={c.timeEnd} onSeek={onSeek} />
                  {c.quote && <q className="diff-quote">{c.quote}</q>}
                  {c.status !== "open" && <span className="muted">{c.status}</span>}
                </div>
                <p>{c.note}</p>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

/** Two texts side by side at word level: removed words struck on the left, added words on the right. */
export function DiffView({ left, right, onSeek }: Props) {
  const parts = useMemo(() => wordDiff(left.text, right.text), [left.text, right.text]);
  const stats = diffStats(parts);
  const leftSegs = useMemo(() => sideSegments(parts, "left", marksOf(left)), [parts, left]);
  const rightSegs = useMemo(() => sideSegments(parts, "right", marksOf(right)), [parts, right]);
  const leftRef = useRef<HTMLDivElement | null>(null);
  const rightRef = useRef<HTMLDivElement | null>(null);
  // Set while we move the other column, so its scroll event does not echo back.
  const echo = useRef<HTMLDivElement | null>(null);

  const sync = (from: HTMLDivElement, to: HTMLDivElement | null) => {
    if (!to || echo.current === from) {
      echo.current = null;
      return;
    }
    const range = from.scrollHeight - from.clientHeight;
    const share = range > 0 ? from.scrollTop / range : 0;
    echo.current = to;
    to.scrollTop = share * (to.scrollHeight - to.clientHeight);
  };

  return (
    <div className="diff-view">
      <p className="diff-stats" data-testid="diff-stats">
        <span className="stat-removed">−{stats.removed} words</span> <span className="stat-added">+{stats.added} words</span>
      </p>
      <div className="diff-columns">
        <Column side={left} segs={leftSegs} which="left" onSeek={onSeek} scrollRef={leftRef} onScroll={(e) => sync(e.currentTarget, rightRef.current)} />
        <Column side={right} segs={rightSegs} which="right" onSeek={onSeek} scrollRef={rightRef} onScroll={(e) => sync(e.currentTarget, leftRef.current)} />
      </div>
    </div>
  );
}
