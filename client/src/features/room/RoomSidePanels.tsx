import { useMemo } from "react";
import type { Editor } from "@tiptap/react";
import type { TaskAbilities } from "../../../../shared/api/abilities";
import type { Stage } from "../../../../shared/domain/stages";
import { CoachingPanel } from "../training/CoachingPanel";
import { CatchesPanel } from "../review/CatchesPanel";
import { useCatchesVersion } from "../review/useCatchesVersion";
import { useCatchTarget } from "./useCatchTarget";
import type { Room } from "./useRoom";
import type { Player } from "./usePlayer";

type Props = {
  taskId: string;
  stage: Stage;
  abilities: TaskAbilities;
  room: Room;
  editor: Editor | null;
  player: Player;
  /** After starting a review or deciding: the room re-reads the task's abilities. */
  onTaskChanged(): void;
};

/** The panels beside the critique that the server shows this person: review (catches) and private coaching. */
export function RoomSidePanels({ taskId, stage, abilities, room, editor, player, onTaskChanged }: Props) {
  // Catches live in the room: the panel refetches when the server mirrors a catch into the document.
  const catchesVersion = useCatchesVersion(room.doc);
  const catchItems = useMemo(
    () => room.items.map((i, n) => ({ id: i.id, label: `${n + 1}. ${i.what.trim().slice(0, 60) || i.errorType}` })),
    [room.items],
  );
  const catchTarget = useCatchTarget(editor, room.doc, player);
  const { panels, actions } = abilities;
  return (
    <>
      {/* Review: the reviewer records catches and decides, the annotator sees them live and disputes, leads rule. */}
      {(panels.includes("review") || panels.includes("catches")) && (
        <CatchesPanel
          taskId={taskId}
          abilities={abilities}
          items={catchItems}
          target={catchTarget}
          refreshKey={catchesVersion}
          onTaskChanged={onTaskChanged}
          stage={stage}
        />
      )}
      {/* Private trainer ↔ trainee coaching: kept out of the shared document, so others in the room never see it. */}
      {panels.includes("coaching") && (
        <section className="card coaching-card" aria-label="Coaching">
          <CoachingPanel
            taskId={taskId}
            canWrite={actions.includes("coach")}
            currentTime={() => player.currentTime()}
            onSpotlight={(s) => {
              if (s.timeStart !== null) player.seek(s.timeStart);
            }}
          />
        </section>
      )}
    </>
  );
}
