import { useEffect } from "react";
import { ASPECT_LABELS } from "../../../../shared/domain";
import { Link } from "../../ui/Link";
import { RoomPage } from "../room/RoomPage";
import { LabellingStageView } from "./LabellingStageView";
import { useTaskDetail } from "./useTaskDetail";

/** One task: labelled on this page, then worked on together in the review room. */
export function TaskPage({ taskId }: { taskId: string }) {
  const state = useTaskDetail(taskId);
  const task = state.status === "ready" ? state.task : null;

  useEffect(() => {
    if (task) document.title = `${task.video.title} · ${ASPECT_LABELS[task.aspect]} · CHAI Studio`;
  }, [task]);

  if (state.status === "error") {
    return (
      <main className="page">
        <p className="alert alert-error" role="alert">
          {state.message}
        </p>
        <Link href="/">Back to tasks</Link>
      </main>
    );
  }
  if (state.status === "loading") {
    return (
      <main className="page">
        <p className="muted">Loading task…</p>
      </main>
    );
  }

  // Past labelling the task is worked on together in the review room.
  if (state.task.stage !== "labelling") return <RoomPage key={`room:${state.task.id}`} task={state.task} onLeftRoom={state.reload} />;
  return <LabellingStageView task={state.task} onMetadata={state.onMetadata} onStageChanged={state.reload} />;
}
