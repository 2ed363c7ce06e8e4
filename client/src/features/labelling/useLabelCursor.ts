import { useMemo, useState } from "react";
import type { Label } from "../../../../shared/labels";
import type { AspectSpec } from "../../../../shared/captionSpec/schema";
import type { PlayerHandle } from "../player/types";
import { isPicked, labelForLine, linesOf, pick, setTime } from "./labelState";

/**
 * Where the keyboard is in the labelling lines (a sub-aspect line and a chip on it), and the edits made there:
 * pick the chip, mark the picked label's time range at the playhead.
 */
export function useLabelCursor(aspect: AspectSpec, labels: Label[], edit: (change: (labels: Label[]) => Label[]) => void, player: PlayerHandle | null) {
  const [focus, setFocus] = useState({ line: 0, item: 0 });
  const lines = useMemo(() => linesOf(aspect.subAspects), [aspect]);
  const line = lines[focus.line];
  const focusedPrimitive = line?.subAspect.primitives[focus.item] ?? null;
  const current = line ? labelForLine(labels, line, focusedPrimitive?.id ?? null) : null;

  const moveLine = (delta: number) =>
    setFocus((f) => {
      const next = Math.max(0, Math.min(lines.length - 1, f.line + delta));
      const nextLine = lines[next];
      // Land on the line's pick when it has one, so n / I / O act on it straight away.
      const pickedAt = nextLine ? nextLine.subAspect.primitives.findIndex((p) => isPicked(labels, nextLine, p.id)) : -1;
      return { line: next, item: pickedAt >= 0 ? pickedAt : 0 };
    });

  const moveItem = (delta: number) => {
    if (!line) return;
    const count = line.subAspect.primitives.length;
    setFocus((f) => ({ ...f, item: Math.max(0, Math.min(count - 1, f.item + delta)) }));
  };

  const pickAt = (lineIndex: number, item: number) => {
    const l = lines[lineIndex];
    const primitive = l?.subAspect.primitives[item];
    if (!l || !primitive) return;
    setFocus({ line: lineIndex, item });
    edit((ls) => pick(ls, l, primitive));
  };

  const markTime = (which: "start" | "end") => {
    if (!current || !player) return;
    const t = player.currentTime();
    edit((ls) => setTime(ls, current.primitiveId, which, t));
  };

  return { lines, focus, setFocus, line, focusedPrimitive, current, moveLine, moveItem, pickAt, markTime };
}

export type LabelCursor = ReturnType<typeof useLabelCursor>;
