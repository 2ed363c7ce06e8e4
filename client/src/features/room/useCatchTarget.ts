import { useEffect, useMemo, useState } from "react";
import type { Editor } from "@tiptap/react";
import type * as Y from "yjs";
import type { CatchTarget } from "../review/catchTarget";
import { selectedAnchor } from "./editorSelection";
import { rangeAroundPlayhead } from "./playheadRange";
import type { Player } from "./usePlayer";

/** What a new catch is anchored to: like "Add critique", the draft's selected words and the playhead's range. */
export function useCatchTarget(editor: Editor | null, doc: Y.Doc, player: Player): CatchTarget {
  // The selection is not React state: re-read it when the editor reports a change, so the offered anchor follows.
  const [selectionTick, setSelectionTick] = useState(0);
  useEffect(() => {
    if (!editor) return;
    const onSelection = () => setSelectionTick((n) => n + 1);
    editor.on("selectionUpdate", onSelection);
    return () => {
      editor.off("selectionUpdate", onSelection);
    };
  }, [editor]);
  const { time, fps, duration } = player;
  return useMemo((): CatchTarget => {
    const anchor = selectedAnchor(editor, doc);
    return { ...(anchor ? { anchor, quote: anchor.quote } : {}), ...rangeAroundPlayhead({ time, fps, duration }) };
    // selectionTick: the editor's selection moved (read above from the editor, not from state).
  }, [editor, doc, selectionTick, time, fps, duration]);
}
