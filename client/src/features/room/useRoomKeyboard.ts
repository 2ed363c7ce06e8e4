import { useEffect, useRef } from "react";
import type { Editor } from "@tiptap/react";
import { clearEditorSelection } from "./editorSelection";
import { shortcutFor, type Handlers } from "./shortcuts";
import type { CritiqueEditing } from "./useCritiqueEditing";
import type { Player } from "./usePlayer";

type HandlerDeps = {
  player: Player;
  critique: CritiqueEditing;
  editor: Editor | null;
  cycleFollow(): void;
  submitScore(value: number): void;
  help: boolean;
  setHelp(update: (open: boolean) => boolean): void;
  rootRef: React.RefObject<HTMLElement | null>;
};

/** Loops the selected item's range, or stops looping (the R key and the Loop button). */
export function toggleItemLoop(player: Player, selected: CritiqueEditing["selected"]) {
  if (player.loop) return player.setLoop(null);
  if (selected?.timeStart != null) player.setLoop({ start: selected.timeStart, end: selected.timeEnd ?? selected.timeStart });
}

/** What each room shortcut (shortcuts.ts) does. */
export function roomHandlers({ player, critique, editor, cycleFollow, submitScore, help, setHelp, rootRef }: HandlerDeps): Handlers {
  return {
    playPause: () => player.togglePlay(),
    shuttleBack: () => player.shuttleBack(),
    shuttleForward: () => player.shuttleForward(),
    frameBack: () => player.step(-1),
    frameForward: () => player.step(1),
    tenBack: () => player.step(-10),
    tenForward: () => player.step(10),
    toStart: () => player.seek(0),
    toEnd: () => player.step(1e9),
    slower: () => player.nudgeSpeed(-1),
    faster: () => player.nudgeSpeed(1),
    loop: () => toggleItemLoop(player, critique.selected),
    addCritique: critique.addCritique,
    markIn: () => critique.mark("in"),
    markOut: () => critique.mark("out"),
    nextItem: () => critique.moveSelection(1),
    prevItem: () => critique.moveSelection(-1),
    editItem: () => critique.whatFieldRef.current?.focus(),
    deleteItem: critique.deleteSelected,
    focusDraft: () => editor?.commands.focus(),
    follow: cycleFollow,
    score: (e) => submitScore(Number(e.key)),
    help: () => setHelp((h) => !h),
    escape: (e) => {
      if (help) return setHelp(() => false);
      clearEditorSelection(editor);
      const t = e.target;
      if (t instanceof HTMLElement && t !== rootRef.current) {
        rootRef.current?.focus();
        return;
      }
      critique.clearSelection();
    },
  };
}

/**
 * Dispatches the room's shortcuts from one document listener. While the draft's text is locked for this person,
 * the letter keys act inside it too (shortcuts.ts decides which).
 */
export function useRoomShortcuts(handlers: Handlers, textEditable: boolean) {
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  useEffect(() => {
    const isLockedEditor = (t: EventTarget | null) =>
      !textEditable && t instanceof HTMLElement && t.closest('[data-testid="draft-editor"]') !== null;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const s = shortcutFor(e, isLockedEditor);
      if (!s) return;
      const h = handlersRef.current[s.id];
      if (!h) return;
      e.preventDefault();
      h(e);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [textEditable]);
}

/** Focus never falls to <body>: whatever removed it, the room takes it back so shortcuts keep working. */
export function useKeepRoomFocus(rootRef: React.RefObject<HTMLElement | null>) {
  useEffect(() => {
    const onFocusOut = () =>
      window.setTimeout(() => {
        if (document.activeElement === document.body || document.activeElement === null) rootRef.current?.focus({ preventScroll: true });
      }, 0);
    document.addEventListener("focusout", onFocusOut);
    rootRef.current?.focus({ preventScroll: true });
    return () => document.removeEventListener("focusout", onFocusOut);
  }, [rootRef]);
}
