import type { DiffPart } from "../../../../shared/wordDiff";

/** A run of one side's text: unchanged or changed (removed on the left, added on the right), and the marks over it. */
export type Segment = { text: string; changed: boolean; marks: string[] };

export type Mark = { id: string; quote: string };

/**
 * One side of a word diff, cut at the edges of the marked quotes (critique items, catches) so both can be drawn
 * over the same text. A quote marks its first occurrence in the side's text; a quote not found is not drawn.
 */
export function sideSegments(parts: readonly DiffPart[], side: "left" | "right", marks: readonly Mark[]): Segment[] {
  const own = parts.filter((p) => p.kind === "same" || p.kind === (side === "left" ? "removed" : "added"));
  const text = own.map((p) => p.text).join("");
  const ranges = marks.flatMap((m) => {
    const q = m.quote.trim();
    const at = q ? text.indexOf(q) : -1;
    return at < 0 ? [] : [{ id: m.id, start: at, end: at + q.length }];
  });
  const cuts = new Set<number>([0, text.length]);
  let offset = 0;
  for (const p of own) {
    cuts.add(offset);
    offset += p.text.length;
  }
  for (const r of ranges) {
    cuts.add(r.start);
    cuts.add(r.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const changedAt = (pos: number) => {
    let o = 0;
    for (const p of own) {
      if (pos < o + p.text.length) return p.kind !== "same";
      o += p.text.length;
    }
    return false;
  };
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i] ?? 0;
    const end = points[i + 1] ?? 0;
    if (end <= start) continue;
    segments.push({
      text: text.slice(start, end),
      changed: changedAt(start),
      marks: ranges.filter((r) => r.start <= start && end <= r.end).map((r) => r.id),
    });
  }
  return segments;
}
