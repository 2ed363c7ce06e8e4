import { bareLabel, type Label, type StoredLabel } from "../../../../shared/labels";
import type { Primitive, SubAspect } from "../../../../shared/captionSpec/schema";

/**
 * Pure edits of a label set, one per panel gesture. Each returns a new array; extras a person already set on a
 * label (not sure, time range, description) survive re-picking the same primitive.
 */

/** A focusable row of the panel: a sub-aspect, or one end of a start→end sub-aspect. */
export type Line = { subAspect: SubAspect; role: "value" | "start" | "end" };

export function linesOf(subAspects: readonly SubAspect[]): Line[] {
  return subAspects.flatMap((subAspect): Line[] =>
    subAspect.value === "start_end"
      ? [
          { subAspect, role: "start" },
          { subAspect, role: "end" },
        ]
      : [{ subAspect, role: "value" }],
  );
}

export function lineKey(line: Line): string {
  return `${line.subAspect.id}:${line.role}`;
}

const blank = (primitiveId: string): Omit<Label, "value"> => ({
  primitiveId,
  notSure: false,
  timeStart: null,
  timeEnd: null,
  note: null,
});

function inSubAspect(label: Label, sub: SubAspect): boolean {
  return sub.primitives.some((p) => p.id === label.primitiveId);
}

/** The primitive chosen at the start and at the end of a start→end sub-aspect ("both" counts for each). */
export function startEndOf(labels: readonly Label[], sub: SubAspect): { start: string | null; end: string | null } {
  let start: string | null = null;
  let end: string | null = null;
  for (const l of labels) {
    if (l.value.kind !== "start_end" || !inSubAspect(l, sub)) continue;
    if (l.value.at !== "end") start ??= l.primitiveId;
    if (l.value.at !== "start") end ??= l.primitiveId;
  }
  return { start, end };
}

/** Whether a primitive is picked on a line (for a start→end line: at that end). */
export function isPicked(labels: readonly Label[], line: Line, primitiveId: string): boolean {
  if (line.role === "value") return labels.some((l) => l.primitiveId === primitiveId);
  const { start, end } = startEndOf(labels, line.subAspect);
  return (line.role === "start" ? start : end) === primitiveId;
}

/**
 * Picks (or un-picks, when already picked) a primitive on a line:
 *  - yes_no: toggles it;
 *  - one_of: makes it the one choice, or clears the choice;
 *  - start→end: sets that end; the same primitive at both ends is stored once as "both".
 */
export function pick(labels: readonly Label[], line: Line, primitive: Primitive): Label[] {
  const sub = line.subAspect;
  const existing = labels.find((l) => l.primitiveId === primitive.id);
  if (sub.value === "yes_no") {
    return existing
      ? labels.filter((l) => l !== existing)
      : [...labels, { ...blank(primitive.id), value: { kind: "yes" } }];
  }
  if (sub.value === "one_of") {
    const others = labels.filter((l) => !inSubAspect(l, sub));
    if (existing) return others;
    return [...others, { ...blank(primitive.id), value: { kind: "selected" } }];
  }
  const current = startEndOf(labels, sub);
  const which = line.role === "end" ? "end" : "start";
  const next = { ...current, [which]: current[which] === primitive.id ? null : primitive.id };
  return setStartEnd(labels, sub, next.start, next.end);
}

function setStartEnd(labels: readonly Label[], sub: SubAspect, start: string | null, end: string | null): Label[] {
  const previous = new Map(labels.filter((l) => inSubAspect(l, sub)).map((l) => [l.primitiveId, l]));
  const others = labels.filter((l) => !inSubAspect(l, sub));
  const make = (id: string, at: "start" | "end" | "both"): Label => ({
    ...(previous.get(id) ?? blank(id)),
    value: { kind: "start_end", at },
  });
  if (start && start === end) return [...others, make(start, "both")];
  const out = [...others];
  if (start) out.push(make(start, "start"));
  if (end) out.push(make(end, "end"));
  return out;
}

/** Clears a line: a yes/no or one-of sub-aspect's picks, or one end of a start→end pair. */
export function clearLine(labels: readonly Label[], line: Line): Label[] {
  if (line.role === "value") return labels.filter((l) => !inSubAspect(l, line.subAspect));
  const { start, end } = startEndOf(labels, line.subAspect);
  return setStartEnd(labels, line.subAspect, line.role === "start" ? null : start, line.role === "end" ? null : end);
}

/** Changes the extras of one label (not sure, time range, description). */
export function patchLabel(
  labels: readonly Label[],
  primitiveId: string,
  patch: Partial<Pick<Label, "notSure" | "timeStart" | "timeEnd" | "note">>,
): Label[] {
  return labels.map((l) => (l.primitiveId === primitiveId ? { ...l, ...patch } : l));
}

/**
 * Sets one end of a label's time range from the playhead. Setting a start after the current end (or an end before
 * the start) drops the other end rather than leaving a backwards range.
 */
export function setTime(labels: readonly Label[], primitiveId: string, which: "start" | "end", seconds: number): Label[] {
  const t = Math.max(0, Math.round(seconds * 1000) / 1000);
  return labels.map((l) => {
    if (l.primitiveId !== primitiveId) return l;
    if (which === "start") return { ...l, timeStart: t, timeEnd: l.timeEnd !== null && l.timeEnd < t ? null : l.timeEnd };
    return { ...l, timeEnd: t, timeStart: l.timeStart !== null && l.timeStart > t ? null : l.timeStart };
  });
}

/** The label a line's extras apply to: the focused primitive if labelled, else the line's (first) pick. */
export function labelForLine(labels: readonly Label[], line: Line, focusedPrimitiveId: string | null): Label | null {
  const focused = focusedPrimitiveId ? labels.find((l) => l.primitiveId === focusedPrimitiveId) : undefined;
  if (focused && (line.role === "value" || isPicked(labels, line, focused.primitiveId))) return focused;
  if (line.role === "value") return labels.find((l) => inSubAspect(l, line.subAspect)) ?? null;
  const { start, end } = startEndOf(labels, line.subAspect);
  const id = line.role === "start" ? start : end;
  return id ? (labels.find((l) => l.primitiveId === id) ?? null) : null;
}

/** Labels of one sub-aspect, in the spec's primitive order. */
export function labelsOfSubAspect(labels: readonly Label[], sub: SubAspect): Label[] {
  const order = new Map(sub.primitives.map((p, i) => [p.id, i]));
  return labels.filter((l) => order.has(l.primitiveId)).sort((a, b) => (order.get(a.primitiveId) ?? 0) - (order.get(b.primitiveId) ?? 0));
}

/** "1:05.3" — minutes, seconds, tenths: what a person reads off a player. */
export function formatTime(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return `${m}:${s < 10 ? "0" : ""}${s.toFixed(1)}`;
}

/** A stored label without who and when: what the editor edits and sends back. */
export const toLabel = (l: StoredLabel): Label => bareLabel(l);
