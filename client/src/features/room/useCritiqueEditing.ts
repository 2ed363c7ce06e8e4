import { useCallback, useEffect, useRef, useState } from "react";
import type { Editor } from "@tiptap/react";
import type * as Y from "yjs";
import type { CritiqueItem } from "../../../../shared/critique/items";
import { putCritiqueItem, removeCritiqueItem, updateCritiqueItem } from "../../../../shared/room/document";
import { selectedAnchor } from "./editorSelection";
import { playheadTime, rangeAroundPlayhead } from "./playheadRange";
import type { Player } from "./usePlayer";

const FLASH_MS = 900;

type Input = {
  doc: Y.Doc;
  items: CritiqueItem[];
  editor: Editor | null;
  player: Player;
  /** The server lets this person change the room document (abilities.roomWrites). */
  writable: boolean;
  selfId: string;
  onReadOnly(): void;
  /** Where focus goes when the selected item is deleted. */
  focusRoom(): void;
};

export type CritiqueEditing = {
  selectedId: string | null;
  selected: CritiqueItem | null;
  flashId: string | null;
  whatFieldRef: React.RefObject<HTMLTextAreaElement | null>;
  selectItem(id: string, opts: { seek: boolean }): void;
  clearSelection(): void;
  update(id: string, patch: Partial<Omit<CritiqueItem, "id">>): void;
  addCritique(): void;
  mark(edge: "in" | "out"): void;
  moveSelection(direction: 1 | -1): void;
  deleteSelected(): void;
  remove(id: string): void;
};

/** The critique items in the room document: which one is selected, and every change made to them. */
export function useCritiqueEditing({ doc, items, editor, player, writable, selfId, onReadOnly, focusRoom }: Input): CritiqueEditing {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [flashId, setFlashId] = useState<string | null>(null);
  const whatFieldRef = useRef<HTMLTextAreaElement | null>(null);
  const focusWhatNext = useRef(false);
  const latestItems = useRef(items);
  latestItems.current = items;
  const selected = items.find((i) => i.id === selectedId) ?? null;

  const flash = useCallback((id: string) => {
    setFlashId(id);
    window.setTimeout(() => setFlashId((f) => (f === id ? null : f)), FLASH_MS);
  }, []);

  const selectItem = useCallback(
    (id: string, opts: { seek: boolean }) => {
      const item = latestItems.current.find((i) => i.id === id);
      if (!item) return;
      setSelectedId(id);
      if (opts.seek && item.timeStart !== null) {
        player.pause();
        player.seek(item.timeStart);
      }
      flash(id);
      if (player.loop && item.timeStart !== null) player.setLoop({ start: item.timeStart, end: item.timeEnd ?? item.timeStart });
    },
    [player, flash],
  );

  const update = useCallback(
    (id: string, patch: Partial<Omit<CritiqueItem, "id">>) => {
      if (writable) updateCritiqueItem(doc, id, patch);
    },
    [doc, writable],
  );

  const addCritique = () => {
    if (!writable) return onReadOnly();
    const anchor = selectedAnchor(editor, doc);
    const item: CritiqueItem = {
      id: crypto.randomUUID(),
      errorType: anchor ? "wrong_term" : "missing_information",
      primitiveId: null,
      what: "",
      fix: "",
      anchor,
      ...rangeAroundPlayhead(player),
      createdBy: selfId,
      createdAt: new Date().toISOString(),
    };
    putCritiqueItem(doc, item);
    setSelectedId(item.id);
    focusWhatNext.current = true;
  };
  // A new item opens with the caret in its "what is wrong" field.
  useEffect(() => {
    if (focusWhatNext.current && selectedId && whatFieldRef.current) {
      focusWhatNext.current = false;
      whatFieldRef.current.focus();
    }
  });

  const mark = (edge: "in" | "out") => {
    if (!selected || !writable) return;
    const t = playheadTime(player);
    const start = selected.timeStart ?? t;
    const end = selected.timeEnd ?? t;
    if (edge === "in") update(selected.id, { timeStart: t, timeEnd: Math.max(end, t) });
    else update(selected.id, { timeStart: Math.min(start, t), timeEnd: t });
  };

  const moveSelection = (direction: 1 | -1) => {
    if (items.length === 0) return;
    const i = items.findIndex((x) => x.id === selectedId);
    const next = items[i < 0 ? (direction > 0 ? 0 : items.length - 1) : (i + direction + items.length) % items.length];
    if (next) selectItem(next.id, { seek: true });
  };

  const deleteSelected = () => {
    if (!selected || !writable) return;
    removeCritiqueItem(doc, selected.id);
    setSelectedId(null);
    focusRoom();
  };

  const remove = (id: string) => {
    removeCritiqueItem(doc, id);
    setSelectedId(null);
  };

  return {
    selectedId,
    selected,
    flashId,
    whatFieldRef,
    selectItem,
    clearSelection: () => setSelectedId(null),
    update,
    addCritique,
    mark,
    moveSelection,
    deleteSelected,
    remove,
  };
}
