import { useCallback, useEffect, useRef, useState } from "react";
import type { TaskDetail } from "../../../../shared/api/tasks";
import { api } from "../../app/api";
import { Link } from "../../ui/Link";
import { StageBadge } from "../../ui/StageBadge";
import { ASPECT_LABELS, formatDateTime } from "../../ui/format";
import { formatDuration, formatFps } from "../player/timecode";
import type { PlayerHandle } from "../player/types";
import { metadataToFill, type MeasuredMetadata } from "../player/metadata";
import { VideoPlayer } from "../player/VideoPlayer";
import { useAsync } from "../../ui/useAsync";
import { RoomPage } from "../room/RoomPage";
import { StagePanels } from "./StagePanels";

export function TaskPage({ taskId }: { taskId: string }) {
  const loaded = useAsync(taskId, (signal) => api.task(taskId, signal));
  const [task, setTask] = useState<TaskDetail | null>(null);
  const [player, setPlayer] = useState<PlayerHandle | null>(null);
  const patched = useRef(false);

  useEffect(() => {
    if (loaded.status === "ready") setTask(loaded.data);
    patched.current = false;
  }, [loaded]);

  useEffect(() => {
    if (task) document.title = `${task.video.title} · ${ASPECT_LABELS[task.aspect]} · CHAI Studio`;
  }, [task]);

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

  if (loaded.status === "error") {
    return (
      <main className="page">
        <p className="alert alert-error" role="alert">
          {loaded.message}
        </p>
        <Link href="/">Back to tasks</Link>
      </main>
    );
  }
  if (!task) {
    return (
      <main className="page">
        <p className="muted">Loading task…</p>
      </main>
    );
  }

  // Past labelling the task is worked on together in the review room.
  if (task.stage !== "labelling") return <RoomPage task={task} />;
  const v = task.video;
  return (
    <main className="page task-page">
      <div className="task-head">
        <nav className="crumbs" aria-label="Breadcrumb">
          <Link href="/">Tasks</Link>
          <span aria-hidden="true">/</span>
          <span>{task.projectName}</span>
          <span aria-hidden="true">/</span>
        </nav>
        <h1>
          {v.title} <span className={`aspect aspect-${task.aspect}`}>{ASPECT_LABELS[task.aspect]}</span>
        </h1>
        <StageBadge stage={task.stage} />
        {task.isGold && <span className="badge badge-gold">Gold</span>}
      </div>
      <div className="task-layout">
        <div className="task-main">
          <VideoPlayer
            src={v.fileUrl}
            title={v.title}
            durationSec={v.durationSec}
            fps={v.fps}
            onHandle={setPlayer}
            onMetadata={onMetadata}
          />
          <section className="panel meta" aria-label="Clip and task details">
            <dl className="meta-grid">
              <Meta term="Duration" value={formatDuration(v.durationSec)} />
              <Meta term="Frame rate" value={formatFps(v.fps)} />
              <Meta term="Resolution" value={v.width && v.height ? `${v.width} × ${v.height}` : "—"} />
              <Meta term="Aspect" value={ASPECT_LABELS[task.aspect]} />
              <Meta term="Annotator" value={task.annotator?.name ?? "—"} />
              <Meta term="Reviewer" value={task.reviewer?.name ?? "—"} />
              <Meta term="Spec version" value={task.specVersion} />
              <Meta term="Updated" value={formatDateTime(task.updatedAt)} />
            </dl>
            {/* The demo clips' notes name the correct labels: only people who check work see them. */}
            {v.description && (task.relation === "lead" || task.relation === "admin") && (
              <details className="clip-notes">
                <summary>Clip notes (hidden from annotators)</summary>
                <p>{v.description}</p>
              </details>
            )}
          </section>
        </div>
        <aside className="task-side">
          <StagePanels task={task} player={player} />
        </aside>
      </div>
    </main>
  );
}

function Meta({ term, value }: { term: string; value: string }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}
