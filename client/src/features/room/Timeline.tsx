import { useRef, useState } from "react";
import type { CritiqueItem } from "../../../../shared/critique/items";
import { errorTypeText } from "../../../../shared/critique/items";
import { formatTimecode, frameAt } from "../../../../shared/timecode";
import { ERROR_COLOURS } from "./errorTypes";
import type { Loop } from "./usePlayer";
import type { Participant } from "./useRoom";

/** Lanes so overlapping ranges sit on separate rows: the first lane whose last bar ended before this one starts. */
export function assignLanes(items: readonly { id: string; start: number; end: number }[]): Map<string, number> {
  const ends: number[] = [];
  const lanes = new Map<string, number>();
  for (const it of [...items].sort((a, b) => a.start - b.start || a.end - b.end)) {
    let lane = ends.findIndex((end) => end <= it.start);
    if (lane < 0) lane = ends.push(0) - 1;
    ends[lane] = it.end;
    lanes.set(it.id, lane);
  }
  return lanes;
}

type Drag = { itemId: string; edge: "start" | "end"; start: number; end: number };

type Props = {
  duration: number | null;
  fps: number | null;
  time: number;
  items: CritiqueItem[];
  selectedId: string | null;
  participants: Participant[];
  loop: Loop;
  editable: boolean;
  onSeek(seconds: number): void;
  onSelect(itemId: string): void;
  onChangeRange(itemId: string, start: number, end: number): void;
};

const MIN_BAR_SECONDS = 0.04;

/** Critique ranges as bars (coloured by error type, edges draggable), everyone's playheads, and scrubbing. */
export function Timeline({ duration, fps, time, items, selectedId, participants, loop, editable, onSeek, onSelect, onChangeRange }: Props) {
  const trackRef = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [scrubbing, setScrubbing] = useState(false);
  const d = duration && duration > 0 ? duration : null;
  const pct = (t: number) => (d ? `${Math.max(0, Math.min(100, (100 * t) / d))}%` : "0%");

  /** Time under the pointer, snapped to the start of a frame so ranges are frame-exact. */
  const timeAt = (clientX: number) => {
    const rect = trackRef.current?.getBoundingClientRect();
    if (!rect || !d) return 0;
    const t = Math.max(0, Math.min(d, ((clientX - rect.left) / rect.width) * d));
    return fps ? frameAt(t, fps) / fps : t;
  };

  const bars = items.flatMap((it) => {
    if (it.timeStart === null) return [];
    const live = drag?.itemId === it.id ? drag : null;
    const start = live ? live.start : it.timeStart;
    const end = live ? live.end : (it.timeEnd ?? it.timeStart);
    return [{ item: it, id: it.id, start, end: Math.max(end, start + MIN_BAR_SECONDS) }];
  });
  const lanes = assignLanes(bars);
  const laneCount = Math.max(1, ...[...lanes.values()].map((l) => l + 1));

  // Whole seconds; the one at the very end would have no room for its label.
  const ticks = d ? Array.from({ length: Math.ceil(d) }, (_, s) => s).filter((s) => d - s > 0.2) : [];

  return (
    <div className="timeline" aria-label="Timeline">
      <div
        className="timeline-track"
        ref={trackRef}
        style={{ height: 22 + laneCount * 18 }}
        data-testid="timeline"
        onPointerDown={(e) => {
          if (e.button !== 0 || (e.target as HTMLElement).closest(".tl-bar")) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          setScrubbing(true);
          onSeek(timeAt(e.clientX));
        }}
        onPointerMove={(e) => {
          if (scrubbing) onSeek(timeAt(e.clientX));
          else if (drag) {
            const t = timeAt(e.clientX);
            setDrag(drag.edge === "start" ? { ...drag, start: Math.min(t, drag.end) } : { ...drag, end: Math.max(t, drag.start) });
          }
        }}
        onPointerUp={() => {
          setScrubbing(false);
          if (drag) {
            onChangeRange(drag.itemId, drag.start, drag.end);
            setDrag(null);
          }
        }}
        onPointerCancel={() => {
          setScrubbing(false);
          setDrag(null);
        }}
      >
        <div className="tl-ruler" aria-hidden="true">
          {ticks.map((s) => (
            <span key={s} className="tl-tick" style={{ left: pct(s) }}>
              {s}s
            </span>
          ))}
        </div>
        {loop && <div className="tl-loop" style={{ left: pct(loop.start), width: `calc(${pct(loop.end)} - ${pct(loop.start)})` }} />}
        {bars.map(({ item, start, end }) => (
          <div
            key={item.id}
            className={`tl-bar${item.id === selectedId ? " tl-bar-selected" : ""}`}
            data-item-id={item.id}
            title={`${errorTypeText(item.errorType)} · ${formatTimecode(start, fps)} – ${formatTimecode(end, fps)}${item.anchor ? ` · “${item.anchor.quote}”` : ""}`}
            style={{
              left: pct(start),
              width: `max(4px, calc(${pct(end)} - ${pct(start)}))`,
              top: 20 + (lanes.get(item.id) ?? 0) * 18,
              background: ERROR_COLOURS[item.errorType],
            }}
            onPointerDown={(e) => {
              if (e.button !== 0) return;
              e.stopPropagation();
              const edge = (e.target as HTMLElement).dataset.edge as "start" | "end" | undefined;
              if (edge && editable) {
                trackRef.current?.setPointerCapture(e.pointerId);
                setDrag({ itemId: item.id, edge, start, end });
                return;
              }
              onSelect(item.id);
            }}
          >
            {editable && <span className="tl-edge tl-edge-start" data-edge="start" aria-hidden="true" />}
            <span className="tl-bar-label">{item.anchor?.quote || errorTypeText(item.errorType)}</span>
            {editable && <span className="tl-edge tl-edge-end" data-edge="end" aria-hidden="true" />}
          </div>
        ))}
        {participants
          .filter((p) => !p.isSelf && p.playhead)
          .map((p) => (
            <div
              key={p.clientId}
              className="tl-playhead tl-playhead-other"
              style={{ left: pct(p.playhead?.time ?? 0), borderColor: p.user.colour }}
              title={`${p.user.name}: ${formatTimecode(p.playhead?.time ?? 0, fps)}`}
              data-testid="remote-playhead"
            >
              <span className="tl-playhead-flag" style={{ background: p.user.colour }}>
                {p.user.name.split(" ")[0]}
              </span>
            </div>
          ))}
        <div className="tl-playhead tl-playhead-self" style={{ left: pct(time) }} aria-hidden="true" />
      </div>
    </div>
  );
}
