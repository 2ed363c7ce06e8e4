import { useState } from "react";
import type { TaskDetail } from "../../../../shared/api/tasks";
import { ASPECT_LABELS } from "../../../../shared/domain";
import { Link } from "../../ui/Link";
import { StageBadge } from "../../ui/StageBadge";
import type { MeasuredMetadata } from "../player/metadata";
import type { PlayerHandle } from "../player/types";
import { VideoPlayer } from "../player/VideoPlayer";
import { StagePanels } from "./StagePanels";
import { TaskMeta } from "./TaskMeta";
import { ExamBadge } from "../training/ExamBadge";

/** The task page while the task is being labelled: the clip and its details beside the stage's panel. */
type Props = { task: TaskDetail; onMetadata(measured: MeasuredMetadata): void; onStageChanged(): void };

export function LabellingStageView({ task, onMetadata, onStageChanged }: Props) {
  const [player, setPlayer] = useState<PlayerHandle | null>(null);
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
        <ExamBadge exam={task.exam} />
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
          <TaskMeta task={task} />
        </div>
        <aside className="task-side">
          <StagePanels task={task} player={player} onStageChanged={onStageChanged} />
        </aside>
      </div>
    </main>
  );
}
