import { useCallback, useEffect, useRef, useState } from "react";
import type { TaskDetail } from "../../../../shared/api/tasks";
import { api } from "../../app/api";
import { useAsync } from "../../ui/useAsync";
import { metadataToFill, type MeasuredMetadata } from "../player/metadata";

export type TaskDetailState =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; task: TaskDetail; onMetadata(measured: MeasuredMetadata): void; reload(): void };

/**
 * GET /api/tasks/:id, and the video metadata the browser measured that the server could not probe. `reload` reads
 * the task again after its stage moved (labelling finished, the task went back to labelling).
 */
export function useTaskDetail(taskId: string): TaskDetailState {
  const [readNo, setReadNo] = useState(0);
  const loaded = useAsync(`${taskId}#${readNo}`, (signal) => api.task(taskId, signal));
  const reload = useCallback(() => setReadNo((n) => n + 1), []);
  const [task, setTask] = useState<TaskDetail | null>(null);
  const patched = useRef(false);

  useEffect(() => {
    if (loaded.status === "ready") setTask(loaded.data);
    patched.current = false;
  }, [loaded]);

  // Fill in what the server could not probe, once per page; a failure only means the next viewer tries again.
  const onMetadata = useCallback(
    (measured: MeasuredMetadata) => {
      if (!task || patched.current) return;
      const patch = metadataToFill(task.video, measured);
      if (!patch) return;
      patched.current = true;
      api.patchVideoMetadata(task.video.id, patch).then(
        (video) => setTask((t) => (t ? { ...t, video } : t)),
        () => undefined,
      );
    },
    [task],
  );

  if (loaded.status === "error") return { status: "error", message: loaded.message };
  if (!task) return { status: "loading" };
  return { status: "ready", task, onMetadata, reload };
}
