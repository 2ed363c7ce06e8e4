import { useEffect, useState } from "react";
import type { Editor } from "@tiptap/react";
import type { PresenceUser } from "../../../../shared/collab/presence";
import { constructiveCount } from "../../../../shared/critique/items";
import { CritiquePanel } from "./CritiquePanel";
import { DraftEditor } from "./DraftEditor";
import type { CritiqueEditing } from "./useCritiqueEditing";
import type { Room } from "./useRoom";
import type { SpecLint } from "./useSpecLint";

type Props = {
  room: Room;
  self: PresenceUser;
  critique: CritiqueEditing;
  lint: SpecLint;
  orphaned: ReadonlyMap<string, string>;
  fps: number | null;
  /** The server lets this person change the room document at all (abilities.roomWrites not empty). */
  writable: boolean;
  /** ... and the draft's text itself (abilities.roomWrites includes "draft"). */
  textEditable: boolean;
  /** The server's words for why the room is read-only for this person (abilities.readOnlyReason). */
  readOnlyReason: string | null;
  onEditor(editor: Editor | null): void;
};

/** The draft with its critique spans, and the critique items written against it. */
export function DraftCritiqueColumn({ room, self, critique, lint, orphaned, fps, writable, textEditable, readOnlyReason, onEditor }: Props) {
  const { draftFindings } = lint;
  // The editor is bound to the draft only once the server's copy has arrived: bound to an empty local fragment, it
  // writes ProseMirror's empty paragraph into it, a change to the draft that people who may not write it have refused.
  const [bound, setBound] = useState(room.save.synced);
  useEffect(() => {
    if (room.save.synced) setBound(true);
  }, [room.save.synced]);
  const lockReason = !writable
    ? (readOnlyReason ?? "Read only.")
    : "The draft's text is locked for you: select words and press C to critique them.";
  return (
    <>
      <section className="card draft-card" aria-label="Draft">
        <header className="card-head">
          <h2>Draft</h2>
          <span className="muted small">
            {draftFindings.length > 0 ? `${draftFindings.length} spec warning${draftFindings.length === 1 ? "" : "s"}` : "Model pre-caption"}
          </span>
        </header>
        {room.draft.trim() === "" && room.save.synced && <p className="muted small">The draft has not arrived yet.</p>}
        {bound ? (
          <DraftEditor
            doc={room.doc}
            provider={room.provider}
            self={self}
            textEditable={textEditable}
            lockReason={lockReason}
            onEditor={onEditor}
            onSpanClick={(id) => critique.selectItem(id, { seek: false })}
          />
        ) : (
          <p className="muted small">Loading the draft…</p>
        )}
      </section>
      <section className="card crit-card" aria-label="Critique">
        <header className="card-head">
          <h2>
            Critique <span className="count" title="Constructive items">{constructiveCount(room.items)}</span>
          </h2>
          <button type="button" className="btn btn-small btn-primary" onClick={critique.addCritique} disabled={!writable} title="Add critique on the selected words (C)">
            + Add critique <kbd>C</kbd>
          </button>
        </header>
        <CritiquePanel
          items={room.items}
          orphaned={orphaned}
          selectedId={critique.selectedId}
          fps={fps}
          primitives={lint.primitives}
          editable={writable}
          lintText={lint.lintText}
          onSelect={(id) => critique.selectItem(id, { seek: true })}
          onUpdate={critique.update}
          onDelete={critique.remove}
          onMark={critique.mark}
          whatFieldRef={critique.whatFieldRef}
        />
      </section>
    </>
  );
}
