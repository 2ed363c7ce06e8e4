import { ASPECT_LABELS, type Aspect } from "../../../shared/domain";
import type { Stage } from "../../../shared/domain/stages";
import { STAGE_LABELS } from "../../../shared/domain/stages";

/** A task's stage as a coloured pill; the colour groups stages (annotating, waiting, review, done). */
export function StageBadge({ stage }: { stage: Stage }) {
  return (
    <span className={`badge stage-${stage}`} data-stage={stage}>
      {STAGE_LABELS[stage]}
    </span>
  );
}

/** A task's aspect as a coloured tag. */
export function AspectTag({ aspect }: { aspect: Aspect }) {
  return <span className={`aspect aspect-${aspect}`}>{ASPECT_LABELS[aspect]}</span>;
}

/** The aspect, stage, annotator and reviewer cells every task table shows, in that order. */
export function TaskPeopleCells({ task, noAnnotator = "—" }: { task: { aspect: Aspect; stage: Stage; annotator: { name: string } | null; reviewer: { name: string } | null }; noAnnotator?: string }) {
  return (
    <>
      <td>
        <AspectTag aspect={task.aspect} />
      </td>
      <td>
        <StageBadge stage={task.stage} />
      </td>
      <td>{task.annotator?.name ?? <span className="muted">{noAnnotator}</span>}</td>
      <td>{task.reviewer?.name ?? <span className="muted">—</span>}</td>
    </>
  );
}
