import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState, type Transaction } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import type { ItemSpan, LintSpan } from "./anchorMapping";

/**
 * The room's marks on the draft, as ProseMirror decorations (never document marks: they would enter the shared
 * text and its undo history). The component recomputes the whole set from the items' RelativePositions and pushes
 * it with a meta transaction; in between, local steps map it.
 */
export const roomDecorationsKey = new PluginKey<DecorationSet>("roomDecorations");

export type RoomDecorationInput = {
  spans: ItemSpan[];
  lint: LintSpan[];
  errorTypeOf: (itemId: string) => string | undefined;
  selectedId: string | null;
  flashId: string | null;
};

export function buildDecorations(state: EditorState, input: RoomDecorationInput): DecorationSet {
  const size = state.doc.content.size;
  const clamp = (n: number) => Math.max(0, Math.min(size, n));
  const decos: Decoration[] = [];
  for (const s of input.spans) {
    const from = clamp(s.from);
    const to = clamp(s.to);
    if (to <= from) continue;
    const classes = ["crit-span", `crit-${input.errorTypeOf(s.itemId) ?? "other"}`];
    if (s.itemId === input.selectedId) classes.push("crit-selected");
    if (s.itemId === input.flashId) classes.push("crit-flash");
    decos.push(Decoration.inline(from, to, { class: classes.join(" "), "data-item-id": s.itemId }, { itemId: s.itemId }));
  }
  for (const l of input.lint) {
    const from = clamp(l.from);
    const to = clamp(l.to);
    if (to <= from) continue;
    decos.push(Decoration.inline(from, to, { class: `lint lint-${l.severity}`, title: l.message }, { lint: true }));
  }
  return DecorationSet.create(state.doc, decos);
}

export const setRoomDecorations = (tr: Transaction, set: DecorationSet) => tr.setMeta(roomDecorationsKey, set);

type Options = {
  /** Whether local edits of the text are blocked (annotators critique; read-only participants only watch). */
  isLocked: () => boolean;
  onSpanClick: (itemId: string) => void;
};

/** Critique spans, lint warnings, span clicks, and the text lock, as one Tiptap extension. */
export const RoomDecorations = Extension.create<Options>({
  name: "roomDecorations",
  addOptions() {
    return { isLocked: () => false, onSpanClick: () => undefined };
  },
  addProseMirrorPlugins() {
    const options = this.options;
    return [
      new Plugin<DecorationSet>({
        key: roomDecorationsKey,
        state: {
          init: () => DecorationSet.empty,
          apply: (tr, set) => (tr.getMeta(roomDecorationsKey) as DecorationSet | undefined) ?? set.map(tr.mapping, tr.doc),
        },
        // Remote changes arrive through y-tiptap (its meta marks them) and must always apply; local text changes are
        // dropped while locked, selections and our own meta transactions pass.
        filterTransaction: (tr) => !tr.docChanged || !options.isLocked() || Boolean(tr.getMeta(ySyncPluginKey)),
        props: {
          decorations: (state) => roomDecorationsKey.getState(state),
          handleClick: (view, pos) => {
            const set = roomDecorationsKey.getState(view.state);
            const hit = set?.find(pos, pos, (spec: { itemId?: string }) => Boolean(spec.itemId))[0];
            const itemId = (hit?.spec as { itemId?: string } | undefined)?.itemId;
            if (itemId) options.onSpanClick(itemId);
            return false;
          },
        },
      }),
    ];
  },
});
