import { frameAt } from "../../../../shared/timecode";
import type { Player } from "./usePlayer";

/** Default range of a new item or catch: half a second either side of the playhead. */
const DEFAULT_HALF_RANGE = 0.5;

/** A time snapped to the start of its frame (unchanged when the frame rate is unknown). */
export const snapToFrame = (t: number, fps: number | null) => (fps ? frameAt(t, fps) / fps : t);

/** The playhead's time, snapped to its frame. */
export const playheadTime = (player: Pick<Player, "time" | "fps">) => snapToFrame(player.time, player.fps);

/** The range offered to a new critique item or catch: around the playhead, within the clip, on frame starts. */
export function rangeAroundPlayhead(player: Pick<Player, "time" | "fps" | "duration">): { timeStart: number; timeEnd: number } {
  const { fps, duration } = player;
  const clamp = (t: number) => Math.max(0, duration ? Math.min(duration, t) : t);
  const t = playheadTime(player);
  return {
    timeStart: snapToFrame(clamp(t - DEFAULT_HALF_RANGE), fps),
    timeEnd: snapToFrame(clamp(t + DEFAULT_HALF_RANGE), fps),
  };
}
