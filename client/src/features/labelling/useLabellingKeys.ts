import { useEffect, useRef } from "react";
import type { Label } from "../../../../shared/labels";
import { isTypingTarget } from "../../ui/keys";
import { byData } from "./domQuery";
import { clearLine, patchLabel } from "./labelState";
import type { LabelCursor } from "./useLabelCursor";

type Input = {
  rootRef: React.RefObject<HTMLElement | null>;
  linesRef: React.RefObject<HTMLElement | null>;
  cursor: LabelCursor;
  edit(change: (labels: Label[]) => Label[]): void;
  save(): Promise<unknown>;
  /** Ctrl+Enter: finish labelling (does nothing until it may). */
  finish(): void;
  toggleHelp(): void;
};

/**
 * The labelling keys: one capture-phase listener, so the panel's keys win over the player's while the panel has
 * focus, and labelling keys still work while the video (or nothing) is focused.
 */
export function useLabellingKeys(input: Input) {
  const onKey = useRef<(e: KeyboardEvent) => void>(() => undefined);
  onKey.current = (e: KeyboardEvent) => {
    const root = input.rootRef.current;
    if (!root) return;
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "s") {
      e.preventDefault();
      void input.save();
      return;
    }
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key === "Enter") {
      e.preventDefault();
      input.finish();
      return;
    }
    const target = e.target instanceof Node ? e.target : null;
    // A section with its own controls (the subjects and setting: checkboxes, selects, buttons) keeps its keys.
    if (e.target instanceof Element && e.target.closest("[data-own-keys]")) return;
    const inPanel = target !== null && root.contains(target);
    if (isTypingTarget(e.target)) {
      if (inPanel && e.key === "Escape") input.linesRef.current?.focus();
      return;
    }
    const free = target === null || target === document.body || target instanceof HTMLVideoElement;
    if (!(inPanel || free) || e.ctrlKey || e.metaKey || e.altKey) return;
    const onLines = target === input.linesRef.current;
    if (handleKey(input, e, inPanel, onLines)) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey.current(e);
    document.addEventListener("keydown", listener, true);
    return () => document.removeEventListener("keydown", listener, true);
  }, []);
}

/** Acts on one key press; true when the key was the panel's. */
function handleKey({ rootRef, cursor, edit, toggleHelp }: Input, e: KeyboardEvent, inPanel: boolean, onLines: boolean): boolean {
  const { focus, lines, line, current } = cursor;
  const key = e.key;
  if (key === "ArrowDown" || key === "ArrowUp") {
    cursor.moveLine(key === "ArrowDown" ? 1 : -1);
    return true;
  }
  if (key === "Tab" && onLines && !e.shiftKey && focus.line < lines.length - 1) {
    cursor.moveLine(1);
    return true;
  }
  if (key === "Tab" && onLines && e.shiftKey && focus.line > 0) {
    cursor.moveLine(-1);
    return true;
  }
  // Plain ←/→ move within the line only while the panel has focus; elsewhere they step the player's frames.
  if ((key === "ArrowLeft" || key === "ArrowRight") && inPanel && !e.shiftKey && line) {
    cursor.moveItem(key === "ArrowRight" ? 1 : -1);
    return true;
  }
  if (/^[0-9]$/.test(key) && !e.shiftKey) {
    cursor.pickAt(focus.line, key === "0" ? 9 : Number(key) - 1);
    return true;
  }
  if (key === "Enter" && onLines) {
    cursor.pickAt(focus.line, focus.item);
    return true;
  }
  const lower = key.toLowerCase();
  if (lower === "n" && current) {
    edit((ls) => patchLabel(ls, current.primitiveId, { notSure: !current.notSure }));
    return true;
  }
  if (lower === "i" || lower === "o") {
    cursor.markTime(lower === "i" ? "start" : "end");
    return true;
  }
  if (lower === "x" && current) {
    edit((ls) => patchLabel(ls, current.primitiveId, { timeStart: null, timeEnd: null }));
    return true;
  }
  if ((key === "Delete" || key === "Backspace") && inPanel && line) {
    edit((ls) => clearLine(ls, line));
    return true;
  }
  if (lower === "d" && current) {
    const box = byData(rootRef.current, "data-note", current.primitiveId);
    if (!(box instanceof HTMLTextAreaElement)) return false;
    box.focus();
    return true;
  }
  if (key === "?") {
    toggleHelp();
    return true;
  }
  return false;
}
