import type { Editor } from "@tiptap/react";
import type * as Y from "yjs";
import type { CritiqueAnchor } from "../../../../shared/critique/items";
import { anchorFromSelection } from "./anchorMapping";

/**
 * The words selected in the draft. The DOM selection wins when it lies in the editor: ProseMirror reads it on the
 * asynchronous selectionchange event, so a key pressed right after a double-click could otherwise see the old one.
 */
export function editorSelection(editor: Editor): { from: number; to: number } | null {
  const view = editor.view;
  const dom = window.getSelection();
  if (dom && !dom.isCollapsed && dom.anchorNode && dom.focusNode && view.dom.contains(dom.anchorNode) && view.dom.contains(dom.focusNode)) {
    try {
      const a = view.posAtDOM(dom.anchorNode, dom.anchorOffset);
      const b = view.posAtDOM(dom.focusNode, dom.focusOffset);
      if (a !== b) return { from: Math.min(a, b), to: Math.max(a, b) };
    } catch {
      // A node ProseMirror does not own (a caret label): fall back to the editor's own selection.
    }
  }
  const sel = editor.state.selection;
  return sel.empty ? null : { from: sel.from, to: sel.to };
}

/** The anchor of the draft's current selection: what a new critique item or catch is attached to. */
export function selectedAnchor(editor: Editor | null, doc: Y.Doc): CritiqueAnchor | null {
  const sel = editor ? editorSelection(editor) : null;
  return editor && sel ? anchorFromSelection(doc, editor.state.doc, sel.from, sel.to) : null;
}

/**
 * Drops the draft's selection (Esc): both the browser's and the editor's, so the next C makes a time-only item
 * instead of a second item on the old quote.
 */
export function clearEditorSelection(editor: Editor | null): void {
  if (!editor) return;
  const dom = window.getSelection();
  if (dom && dom.anchorNode && editor.view.dom.contains(dom.anchorNode)) dom.removeAllRanges();
  const sel = editor.state.selection;
  if (!sel.empty) editor.commands.setTextSelection(sel.to);
}
