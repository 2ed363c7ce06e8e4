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
