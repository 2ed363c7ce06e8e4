import { useCallback, useEffect, useRef, useState } from "react";
import type { TaskAbilities } from "../../../../shared/api/abilities";
import type { TaskDetail } from "../../../../shared/api/tasks";
import type { Stage } from "../../../../shared/domain/stages";
import { api, errorMessage } from "../../app/api";
import type { LiveTaskState } from "./useRoom";

export type TaskState = { stage: Stage; abilities: TaskAbilities };

/**
 * The task's stage and what this person may do now; never derived here. The room connection pushes both on every
 * stage change (another person's start, a decision, the model finishing), so the badge, the controls and the panels
 * follow without a reload. `reload` re-reads the task over HTTP (after this person acted, or before the first push);
 * an answer that arrives after a newer push is dropped.
 */
export function useTaskState(task: TaskDetail, live: LiveTaskState | null, onError: (message: string) => void): TaskState & { reload(): void } {
  const [state, setState] = useState<TaskState>(() => live ?? { stage: task.stage, abilities: task.abilities });
  const pushes = useRef(0);
  useEffect(() => {
    if (!live) return;
    pushes.current++;
    setState(live);
  }, [live]);
  const reload = useCallback(() => {
    const pushesAtStart = pushes.current;
    api.task(task.id).then(
      (t) => {
        if (pushes.current === pushesAtStart) setState({ stage: t.stage, abilities: t.abilities });
      },
      (err: unknown) => onError(errorMessage(err)),
    );
  }, [task.id, onError]);
  return { ...state, reload };
}
