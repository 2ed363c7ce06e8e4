import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Editor } from "@tiptap/react";
import type * as Y from "yjs";
import type { Finding } from "../../../../shared/captionSpec/lint";
import type { CritiqueItem } from "../../../../shared/critique/items";
import { lintSpans, resolveItemSpans, type OrphanedItem } from "./anchorMapping";
import { buildDecorations, setRoomDecorations } from "./roomDecorations";

type Input = {
  editor: Editor | null;
  doc: Y.Doc;
  items: CritiqueItem[];
  draft: string;
  draftFindings: Finding[];
  selectedId: string | null;
  flashId: string | null;
};

/**
 * Paints the critique spans and lint marks on the draft, re-resolved from the anchors whenever the document, the
 * items or the selection change. Returns the items whose anchored words are gone (item id → quote).
 */
export function useRoomDecorations({ editor, doc, items, draft, draftFindings, selectedId, flashId }: Input): ReadonlyMap<string, string> {
  const [orphaned, setOrphaned] = useState<OrphanedItem[]>([]);
  const latest = useRef({ items, draft, draftFindings, selectedId, flashId });
  latest.current = { items, draft, draftFindings, selectedId, flashId };
  const refresh = useCallback(() => {
    if (!editor || editor.isDestroyed) return;
    const { items, draft, draftFindings: findings, selectedId: sel, flashId: flash } = latest.current;
    const resolved = resolveItemSpans(doc, editor.state.doc, items, draft);
    if (!resolved) return; // the editor has not caught up yet; its next update calls again
    const types = new Map(items.map((i) => [i.id, i.errorType]));
    const set = buildDecorations(editor.state, {
      spans: resolved.spans,
      lint: lintSpans(editor.state.doc, findings),
      errorTypeOf: (id) => types.get(id),
      selectedId: sel,
      flashId: flash,
    });
    editor.view.dispatch(setRoomDecorations(editor.state.tr, set));
    setOrphaned((prev) => (JSON.stringify(prev) === JSON.stringify(resolved.orphaned) ? prev : resolved.orphaned));
  }, [editor, doc]);
  useEffect(() => {
    queueMicrotask(refresh);
  }, [refresh, items, draft, draftFindings, selectedId, flashId]);
  useEffect(() => {
    if (!editor) return;
    const onUpdate = () => queueMicrotask(refresh);
    editor.on("update", onUpdate);
    return () => {
      editor.off("update", onUpdate);
    };
  }, [editor, refresh]);
  return useMemo(() => new Map(orphaned.map((o) => [o.itemId, o.quote])), [orphaned]);
}
