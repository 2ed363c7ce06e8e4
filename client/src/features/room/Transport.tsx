import { formatTimecode } from "../../../../shared/timecode";
import { SPEEDS, type Player } from "./usePlayer";

/** The player's buttons under the video: frame steps, play/pause, timecode, speed and the item loop. */
export function Transport({ player, canLoop, onToggleLoop }: { player: Player; canLoop: boolean; onToggleLoop(): void }) {
  const { fps, duration } = player;
  return (
    <div className="transport room-transport">
      <button type="button" className="btn btn-icon" onClick={() => player.step(-1)} aria-label="One frame back" title="One frame back (←)">
        ◀︎|
      </button>
      <button type="button" className="btn btn-icon" onClick={() => player.togglePlay()} aria-label={player.playing ? "Pause" : "Play"} title="Play / pause (Space, K)">
        {player.playing ? "❚❚" : "▶"}
      </button>
      <button type="button" className="btn btn-icon" onClick={() => player.step(1)} aria-label="One frame forward" title="One frame forward (→)">
        |▶︎
      </button>
      <output className="timecode" data-testid="timecode" aria-label="Timecode">
        {formatTimecode(player.time, fps)}
      </output>
      <span className="timecode-total">/ {duration ? formatTimecode(duration, fps) : "--:--:--:--"}</span>
      {player.shuttle !== 0 && <span className="shuttle">{player.shuttle > 0 ? "▶▶" : "◀◀"} {Math.abs(player.shuttle)}×</span>}
      <span className="transport-spacer" />
      <label className="speed" title="Playback speed ([ / ])">
        <span className="sr-only">Speed</span>
        <select value={player.speed} onChange={(e) => player.setSpeed(Number(e.currentTarget.value))}>
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className={`btn btn-small${player.loop ? " btn-primary" : ""}`}
        aria-pressed={player.loop !== null}
        onClick={onToggleLoop}
        disabled={!player.loop && !canLoop}
        title="Loop the selected item's range (R)"
      >
        Loop
      </button>
    </div>
  );
}
