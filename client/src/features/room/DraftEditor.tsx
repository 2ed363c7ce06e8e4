import { useEffect, useRef } from "react";
import { EditorContent, useEditor, type Editor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import type { WebsocketProvider } from "y-websocket";
import type * as Y from "yjs";
import type { PresenceUser } from "../../../../shared/collab/presence";
import { draftFragment } from "../../../../shared/room/document";
import { RoomDecorations } from "./roomDecorations";

type Props = {
  doc: Y.Doc;
  provider: WebsocketProvider;
  self: PresenceUser;
  /** Text edits allowed (lead, or a writer in an editing stage); otherwise selection and markup only. */
  textEditable: boolean;
  lockReason: string;
  onEditor(editor: Editor | null): void;
  onSpanClick(itemId: string): void;
};

function caret(user: Record<string, unknown>): HTMLElement {
  const colour = typeof user.colour === "string" ? user.colour : "#888888";
  const el = document.createElement("span");
  el.className = "collab-caret";
  el.style.borderColor = colour;
  const label = document.createElement("span");
  label.className = "collab-caret-label";
  label.style.backgroundColor = colour;
  label.textContent = typeof user.name === "string" ? user.name : "?";
  el.append(label);
  return el;
}

/** The model's draft, bound to the room's Y.Doc, with everyone's carets and the critique spans drawn on it. */
export function DraftEditor({ doc, provider, self, textEditable, lockReason, onEditor, onSpanClick }: Props) {
  const locked = useRef(!textEditable);
  locked.current = !textEditable;
  const spanClick = useRef(onSpanClick);
  spanClick.current = onSpanClick;

  const editor = useEditor(
    {
      extensions: [
        // Collaboration brings its own undo (per user, over the shared document).
        StarterKit.configure({ undoRedo: false, heading: false, codeBlock: false, blockquote: false, horizontalRule: false }),
        Collaboration.configure({ fragment: draftFragment(doc) }),
        CollaborationCaret.configure({
          provider,
          // The whole identity: the extension writes this as our awareness `user` (the server re-stamps it anyway).
          user: { ...self, color: self.colour },
          render: caret,
          selectionRender: (user: Record<string, unknown>) => ({
            style: `background-color: ${typeof user.colour === "string" ? user.colour : "#888888"}33`,
            class: "collab-selection",
          }),
        }),
        RoomDecorations.configure({ isLocked: () => locked.current, onSpanClick: (id) => spanClick.current(id) }),
      ],
      editorProps: {
        attributes: {
          class: "draft-text",
          "aria-label": "Draft caption",
          "aria-readonly": textEditable ? "false" : "true",
          "data-testid": "draft-editor",
          spellcheck: "false",
        },
      },
    },
    [doc, provider],
  );

  useEffect(() => {
    onEditor(editor);
    return () => onEditor(null);
  }, [editor, onEditor]);

  useEffect(() => {
    editor?.setOptions({ editorProps: { ...editor.options.editorProps, attributes: { ...(editor.options.editorProps.attributes as Record<string, string>), "aria-readonly": textEditable ? "false" : "true" } } });
  }, [editor, textEditable]);

  return (
    <div className={`draft ${textEditable ? "" : "draft-locked"}`}>
      <EditorContent editor={editor} />
      {!textEditable && <p className="draft-lock muted">{lockReason}</p>}
    </div>
  );
}
