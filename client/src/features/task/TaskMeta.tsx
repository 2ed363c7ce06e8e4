import type { TaskDetail } from "../../../../shared/api/tasks";
import { ASPECT_LABELS } from "../../../../shared/domain";
import { formatDateTime } from "../../ui/format";
import { formatDuration, formatFps } from "../player/timecode";

/** The clip's and the task's details under the video; the clip notes only for those the server shows them to. */
export function TaskMeta({ task }: { task: TaskDetail }) {
  const v = task.video;
  return (
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
      {v.description && task.abilities.panels.includes("video_description") && (
        <details className="clip-notes">
          <summary>Clip notes (hidden from annotators)</summary>
          <p>{v.description}</p>
        </details>
      )}
    </section>
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
