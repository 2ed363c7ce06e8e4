import { useEffect, useState } from "react";
import type { RoundSummary } from "../../../../shared/api/loop";
import type { Stage } from "../../../../shared/domain/stages";
import type { RevisionState } from "../../../../shared/room/document";
import { loopApi } from "./loopApi";
import { roundsSettling } from "./rounds";

/** Re-reads while the server finishes a round; bounded so a stuck round cannot poll forever. */
const SETTLE_RETRY_MS = 300;
const SETTLE_TRIES = 20;

/**
 * The task's revision rounds, re-read whenever the room's revision status or the task's stage changes (the room
 * document carries the live text; the rounds live in the database).
 */
export function useRounds(taskId: string, revision: RevisionState, stage: Stage): RoundSummary[] {
  const [rounds, setRounds] = useState<RoundSummary[]>([]);
  // Only the status and the round matter; the rest of the revision state is display text.
  const { status, roundId } = revision;
  useEffect(() => {
    const ctl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let tries = 0;
    const load = async () => {
      try {
        const list = await loopApi.rounds(taskId, ctl.signal);
        setRounds(list);
        if (roundsSettling(list, stage, { status, roundId }) && ++tries < SETTLE_TRIES) {
          timer = setTimeout(() => void load(), SETTLE_RETRY_MS);
        }
      } catch {
        // Aborted, or not allowed: the list is a convenience, so the last one stays (a follower may simply see none).
      }
    };
    void load();
    return () => {
      ctl.abort();
      if (timer) clearTimeout(timer);
    };
  }, [taskId, status, roundId, stage]);
  return rounds;
}
