import { useEffect, useMemo, useState } from "react";
import type { Participant } from "./useRoom";
import type { Player } from "./usePlayer";

export type Follow = {
  /** The user id being followed, if any. */
  following: string | null;
  setFollowing(id: string | null): void;
  /** The followed participant while their playhead is known. */
  followed: Participant | undefined;
  /** Follows the next other person in the room, then no one. */
  cycle(): void;
};

/** Following another person's playhead: this player seeks to wherever theirs is. */
export function useFollow(participants: Participant[], selfId: string, player: Player): Follow {
  const [following, setFollowing] = useState<string | null>(null);
  const others = useMemo(() => {
    const seen = new Map<string, Participant>();
    for (const p of participants) if (!p.isSelf && p.user.id !== selfId && !seen.has(p.user.id)) seen.set(p.user.id, p);
    return [...seen.values()];
  }, [participants, selfId]);
  const followed = following ? participants.find((p) => p.user.id === following && p.playhead) : undefined;
  const followedTime = followed?.playhead?.time;
  const fps = player.fps;
  useEffect(() => {
    if (followedTime === undefined) return;
    const frame = fps ? 1 / fps : 0.04;
    if (Math.abs(player.currentTime() - followedTime) > frame / 2) {
      player.pause();
      player.seek(followedTime);
    }
  }, [followedTime, fps, player]);
  const cycle = () => {
    if (others.length === 0) return setFollowing(null);
    const i = others.findIndex((p) => p.user.id === following);
    const next = i + 1 < others.length ? others[i + 1] : undefined;
    setFollowing(next ? next.user.id : null);
  };
  return { following, setFollowing, followed, cycle };
}
