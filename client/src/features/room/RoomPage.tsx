import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Editor } from "@tiptap/react";
import type { TaskDetail } from "../../../../shared/api/tasks";
import type { MeResponse } from "../../../../shared/api/auth";
import { colourForUser, type PresenceUser } from "../../../../shared/collab/presence";
import { api, errorMessage } from "../../app/api";
import { ClipColumn } from "./ClipColumn";
import { saveLabel } from "./connectionState";
import { DraftCritiqueColumn } from "./DraftCritiqueColumn";
import { HelpOverlay } from "./HelpOverlay";
import { loopApi } from "./loopApi";
import { RoomHeader, RoomNoticeBar, type RoomNotice } from "./RoomHeader";
import { RoomSidePanels } from "./RoomSidePanels";
import { ScoreControl, useScore } from "./ScoreControl";
import { useCritiqueEditing } from "./useCritiqueEditing";
import { useFollow } from "./useFollow";
import { usePlayer } from "./usePlayer";
import { usePublishPlayhead, useRoom, useRoomConnection, type RoomConnection } from "./useRoom";
import { useRoomAbilities } from "./useRoomAbilities";
import { useRoomDecorations } from "./useRoomDecorations";
import { roomHandlers, toggleItemLoop, useKeepRoomFocus, useRoomShortcuts } from "./useRoomKeyboard";
import { useRounds } from "./useRounds";
import { useSpecLint } from "./useSpecLint";
import "./room.css";

/** Loads who "I" am, then opens the room. */
export function RoomPage({ task }: { task: TaskDetail }) {
  const [me, setMe] = useState<MeResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.me().then(setMe, (err: unknown) => setError(errorMessage(err)));
  }, []);
  if (error) return <main className="page"><p className="alert alert-error" role="alert">{error}</p></main>;
  if (!me) return <main className="page"><p className="muted">Opening the room…</p></main>;
  const self: PresenceUser = { id: me.id, name: me.displayName, role: me.role, relation: task.relation, colour: colourForUser(me.id) };
  return <Room task={task} self={self} />;
}

function Room({ task, self }: { task: TaskDetail; self: PresenceUser }) {
  const conn = useRoomConnection(task.id, self);
  if (!conn) return <main className="page"><p className="muted">Joining the room…</p></main>;
  return <RoomView key={conn.provider.doc.guid} conn={conn} task={task} self={self} />;
}

/** The room once connected: wires the document, the player and the server's abilities into the layout. */
function RoomView({ conn, task, self }: { conn: RoomConnection; task: TaskDetail; self: PresenceUser }) {
  const room = useRoom(conn);
  // The stage moves under the room (revising → refining): the badge shows the server's, re-read with the rounds.
  const { rounds, stage } = useRounds(task.id, room.revision, task.stage);
  const player = usePlayer(task.video.durationSec, task.video.fps);
  usePublishPlayhead(room.awareness, useMemo(() => ({ time: player.time, playing: player.playing }), [player.time, player.playing]));

  const [notice, setNotice] = useState<RoomNotice | null>(null);
  const notifyError = useCallback((text: string) => setNotice({ kind: "error", text }), []);
  const { abilities, reload: reloadAbilities } = useRoomAbilities(task, stage, room.abilities, notifyError);
  const writable = abilities.roomWrites.length > 0;
  const textEditable = abilities.roomWrites.includes("draft");
  const canScore = abilities.actions.includes("score");

  const [editor, setEditor] = useState<Editor | null>(null);
  const [help, setHelp] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const focusRoom = useCallback(() => rootRef.current?.focus(), []);

  const lint = useSpecLint(task.id, task.aspect, room.draft);
  const critique = useCritiqueEditing({
    doc: room.doc,
    items: room.items,
    editor,
    player,
    writable,
    selfId: self.id,
    onReadOnly: () => setNotice({ kind: "info", text: "You are following this room read-only." }),
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
  const score = useScore(task.id, task.score, canScore, notifyError);
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
            onEditor={setEditor}
          />
          <ScoreControl score={score.score} canScore={canScore} onScore={score.submit} />
          <RoomSidePanels taskId={task.id} abilities={abilities} room={room} editor={editor} player={player} onTaskChanged={reloadAbilities} />
        </section>
      </div>
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
