import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Editor } from "@tiptap/react";
import type { TaskDetail } from "../../../../shared/api/tasks";
import type { MeResponse } from "../../../../shared/api/auth";
import { colourForUser, type PresenceUser } from "../../../../shared/collab/presence";
import { api, errorMessage } from "../../app/api";
import { ClipColumn } from "./ClipColumn";
import { saveLabel } from "./connectionState";
import { DraftCritiqueColumn } from "./DraftCritiqueColumn";
import { DraftStatus } from "./DraftStatus";
import { HelpOverlay } from "./HelpOverlay";
import { loopApi } from "./loopApi";
import { RoomHeader, RoomNoticeBar, type RoomNotice } from "./RoomHeader";
import { RoomSidePanels } from "./RoomSidePanels";
import { afterHandIn } from "./nextTask";
import { PerfectDialog, ScoreControl, useScore } from "./ScoreControl";
import { StageBar } from "./StageBar";
import { useCritiqueEditing } from "./useCritiqueEditing";
import { useFollow } from "./useFollow";
import { usePlayer } from "./usePlayer";
import { usePublishPlayhead, useRoom, useRoomConnection, type RoomConnection } from "./useRoom";
import { useTaskState } from "./useTaskState";
import { useRoomDecorations } from "./useRoomDecorations";
import { roomHandlers, toggleItemLoop, useKeepRoomFocus, useRoomShortcuts } from "./useRoomKeyboard";
import { useRounds } from "./useRounds";
import { useSpecLint } from "./useSpecLint";
import "./room.css";

type RoomPageProps = {
  task: TaskDetail;
  /** The task went back to labelling (a failed draft, a relabel): the task page shows the labels again. */
  onLeftRoom(): void;
};

/** Loads who "I" am, then opens the room. */
export function RoomPage({ task, onLeftRoom }: RoomPageProps) {
  const [me, setMe] = useState<MeResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.me().then(setMe, (err: unknown) => setError(errorMessage(err)));
  }, []);
  if (error) return <main className="page"><p className="alert alert-error" role="alert">{error}</p></main>;
  if (!me) return <main className="page"><p className="muted">Opening the room…</p></main>;
  const self: PresenceUser = { id: me.id, name: me.displayName, role: me.role, relation: task.relation, colour: colourForUser(me.id) };
  return <Room task={task} self={self} onLeftRoom={onLeftRoom} />;
}

type RoomProps = { task: TaskDetail; self: PresenceUser; onLeftRoom(): void };

function Room({ task, self, onLeftRoom }: RoomProps) {
  const conn = useRoomConnection(task.id, self);
  if (!conn) return <main className="page"><p className="muted">Joining the room…</p></main>;
  return <RoomView key={conn.provider.doc.guid} conn={conn} task={task} self={self} onLeftRoom={onLeftRoom} />;
}

/** The room once connected: wires the document, the player and the server's abilities into the layout. */
function RoomView({ conn, task, self, onLeftRoom }: RoomProps & { conn: RoomConnection }) {
  const room = useRoom(conn);
  const player = usePlayer(task.video.durationSec, task.video.fps);
  usePublishPlayhead(room.awareness, useMemo(() => ({ time: player.time, playing: player.playing }), [player.time, player.playing]));

  const [notice, setNotice] = useState<RoomNotice | null>(null);
  const notifyError = useCallback((text: string) => setNotice({ kind: "error", text }), []);
  // A change the server refused: said once, in the room that was reloaded from the saved state.
  useEffect(() => {
    if (conn.refusal) setNotice({ kind: "error", text: conn.refusal });
  }, [conn.refusal]);
  // The stage moves under the room (a decision, the model finishing): the server pushes it with the abilities.
  const { stage, abilities, reload: reloadAbilities } = useTaskState(task, room.live, notifyError);
  const rounds = useRounds(task.id, room.revision, stage);
  const writable = abilities.roomWrites.length > 0;
  const textEditable = abilities.roomWrites.includes("draft");
  const canScore = abilities.actions.includes("score");

  const [editor, setEditor] = useState<Editor | null>(null);
  const [help, setHelp] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const focusRoom = useCallback(() => rootRef.current?.focus(), []);

  const lint = useSpecLint(task.id, task.aspect, room.draft);
  const postFindings = useMemo(() => lint.lintText(room.post), [lint, room.post]);
  const critique = useCritiqueEditing({
    doc: room.doc,
    items: room.items,
    editor,
    player,
    writable,
    selfId: self.id,
    onReadOnly: () => setNotice({ kind: "info", text: abilities.readOnlyReason ?? "This room is read-only for you." }),
    focusRoom,
  });
  const orphaned = useRoomDecorations({
    editor,
    doc: room.doc,
    items: room.items,
    draft: room.draft,
    draftFindings: lint.draftFindings,
    selectedId: critique.selectedId,
    flashId: critique.flashId,
  });
  const follow = useFollow(room.participants, self.id, player);
  const score = useScore(task.id, task.score, canScore, notifyError, () => void afterHandIn(task));
  const afterMove = (action: string) => {
    if (action === "relabel") onLeftRoom();
    else if (action === "submit") void afterHandIn(task);
    else reloadAbilities();
  };
  const revise = () => {
    loopApi.revise(task.id).then(
      (r) => setNotice({ kind: "info", text: r.joined ? `Joined revision round ${r.n}.` : `Revision round ${r.n} started.` }),
      (err: unknown) => setNotice({ kind: "error", text: `Could not start a revision: ${errorMessage(err)}` }),
    );
  };

  const handlers = roomHandlers({ player, critique, editor, cycleFollow: follow.cycle, submitScore: score.submit, help, setHelp, rootRef });
  useRoomShortcuts(handlers, textEditable);
  useKeepRoomFocus(rootRef);

  return (
    <div className="room" ref={rootRef} tabIndex={-1} data-testid="room" aria-label="Review room">
      <RoomHeader
        task={task}
        stage={stage}
        participants={room.participants}
        following={follow.following}
        onFollow={follow.setFollowing}
        save={saveLabel(room.save, writable)}
        onHelp={() => setHelp(true)}
      />
      <RoomNoticeBar notice={notice} onDismiss={() => setNotice(null)} />
      <DraftStatus taskId={task.id} stage={stage} abilities={abilities} revision={room.revision} onEditLabels={onLeftRoom} />
      <div className="room-grid">
        <ClipColumn
          video={task.video}
          room={room}
          player={player}
          critique={critique}
          followed={follow.followed}
          rounds={rounds}
          writable={writable}
          canRevise={abilities.actions.includes("request_revision")}
          showRounds={abilities.panels.includes("rounds")}
          onRevise={revise}
          onToggleLoop={() => toggleItemLoop(player, critique.selected)}
        />
        <section className="room-right" aria-label="Draft and critique">
          <DraftCritiqueColumn
            room={room}
            self={self}
            critique={critique}
            lint={lint}
            orphaned={orphaned}
            fps={task.video.fps}
            writable={writable}
            textEditable={textEditable}
            readOnlyReason={abilities.readOnlyReason}
            onEditor={setEditor}
          />
          <ScoreControl score={score.score} canScore={canScore} onScore={score.submit} />
          <StageBar
            taskId={task.id}
            stage={stage}
            abilities={abilities}
            items={room.items}
            post={room.post}
            postFindings={postFindings}
            onMoved={afterMove}
          />
          <RoomSidePanels taskId={task.id} stage={stage} abilities={abilities} room={room} editor={editor} player={player} onTaskChanged={reloadAbilities} />
        </section>
      </div>
      {score.perfect.asking && <PerfectDialog onConfirm={score.perfect.confirm} onCancel={score.perfect.cancel} />}
      {help && (
        <HelpOverlay
          onClose={() => {
            setHelp(false);
            focusRoom();
          }}
        />
      )}
    </div>
  );
}
