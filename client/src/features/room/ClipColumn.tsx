import type { RoundSummary } from "../../../../shared/api/loop";
import type { TaskDetail } from "../../../../shared/api/tasks";
import { PostCaption } from "./PostCaption";
import { RoundsList } from "./RoundsList";
import { Timeline } from "./Timeline";
import { Transport } from "./Transport";
import type { CritiqueEditing } from "./useCritiqueEditing";
import type { Participant, Room } from "./useRoom";
import type { Player } from "./usePlayer";

type Props = {
  video: TaskDetail["video"];
  room: Room;
  player: Player;
  critique: CritiqueEditing;
  followed: Participant | undefined;
  rounds: RoundSummary[];
  writable: boolean;
  canRevise: boolean;
  showRounds: boolean;
  onRevise(): void;
  onToggleLoop(): void;
};

/** The room's left column: the clip, its transport and timeline, and the model's post-caption with its rounds. */
export function ClipColumn({ video, room, player, critique, followed, rounds, writable, canRevise, showRounds, onRevise, onToggleLoop }: Props) {
  return (
    <section className="room-left" aria-label="Clip">
      <div className="room-video">
        <video
          ref={player.videoRef}
          src={video.fileUrl}
          preload="auto"
          playsInline
          muted
          aria-label={`Clip: ${video.title}`}
          data-testid="task-video"
          onClick={() => player.togglePlay()}
          {...player.videoProps}
        />
        {followed && <span className="follow-flag" style={{ background: followed.user.colour }}>Following {followed.user.name}</span>}
      </div>
      <Transport player={player} canLoop={critique.selected?.timeStart != null} onToggleLoop={onToggleLoop} />
      <Timeline
        duration={player.duration}
        fps={player.fps}
        time={player.time}
        items={room.items}
        selectedId={critique.selectedId}
        participants={room.participants}
        loop={player.loop}
        editable={writable}
        onSeek={(t) => {
          player.pause();
          player.seek(t);
        }}
        onSelect={(id) => critique.selectItem(id, { seek: true })}
        onChangeRange={(id, start, end) => critique.update(id, { timeStart: start, timeEnd: end })}
      />
      <section className="card post-card" aria-label="Post-caption">
        <header className="card-head">
          <h2>Post-caption</h2>
          {canRevise && (
            <button type="button" className="btn btn-small" onClick={onRevise} disabled={room.revision.status === "running" || room.items.length === 0}>
              Revise from critique
            </button>
          )}
        </header>
        <PostCaption draft={room.draft} post={room.post} revision={room.revision} />
        {showRounds && <RoundsList rounds={rounds} />}
      </section>
    </section>
  );
}
