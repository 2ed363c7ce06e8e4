import { useCallback, useEffect, useState } from "react";
import type { TaskAbilities } from "../../../../shared/api/abilities";
import type { TaskDetail } from "../../../../shared/api/tasks";
import type { Stage } from "../../../../shared/domain/stages";
import { api, errorMessage } from "../../app/api";

/**
 * What the server says this person may do in the room now; never derived here. Two sources, the newest answer
 * wins: the room connection's live abilities, and the task (GET /api/tasks/:id), re-read whenever the stage moves
 * under the room (another person's start or decision) or after this person acted.
 */
export function useRoomAbilities(
  task: TaskDetail,
  stage: Stage,
  live: TaskAbilities | null,
  onError: (message: string) => void,
): { abilities: TaskAbilities; reload(): void } {
  const [readAt, setReadAt] = useState<Stage>(task.stage);
  const [abilities, setAbilities] = useState<TaskAbilities>(live ?? task.abilities);
  useEffect(() => {
    if (live) setAbilities(live);
  }, [live]);
  const reload = useCallback(() => {
    api.task(task.id).then(
      (t) => {
        setReadAt(t.stage);
        setAbilities(t.abilities);
      },
      (err: unknown) => onError(errorMessage(err)),
    );
  }, [task.id, onError]);
  useEffect(() => {
    if (stage !== readAt) reload();
  }, [stage, readAt, reload]);
  return { abilities, reload };
}
