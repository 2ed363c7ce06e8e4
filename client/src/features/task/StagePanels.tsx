import type { TaskDetail } from "../../../../shared/api/tasks";
import type { PlayerHandle } from "../player/types";
import { STAGE_LABELS } from "../../../../shared/domain/stages";
import { LabellingPanel } from "../labelling/LabellingPanel";

const RELATION_LABELS: Record<TaskDetail["relation"], string> = {
  annotator: "annotator",
  reviewer: "reviewer",
  trainer: "trainer",
  lead: "lead",
  admin: "admin",
};

type Props = { task: TaskDetail; player: PlayerHandle | null; onStageChanged(): void };

/**
 * ─── STAGE PANELS GO HERE ───
 * The task page's side panel. Each stage's panel (primitive labelling, critique, review, coaching…) is rendered
 * from this component with the task and the player handle, so it can read and move the playhead.
 */
export function StagePanels({ task, player, onStageChanged }: Props) {
  return (
    <section className="panel stage-panels" data-slot="stage-panels" aria-label="Stage panels">
      <header className="panel-head">
        <h2>{STAGE_LABELS[task.stage]}</h2>
        <span className="muted">You: {RELATION_LABELS[task.relation]}</span>
      </header>
      <div className="panel-body">
        {task.stage === "labelling" ? (
          <LabellingPanel
            taskId={task.id}
            player={player}
            canFinish={task.abilities.actions.includes("request_draft")}
            onFinished={onStageChanged}
          />
        ) : (
          <p className="muted">
            The tools for this stage open here: primitive labelling, the draft and critique editor, review and catches.
            The collaborative room arrives with the next issues.
          </p>
        )}
      </div>
    </section>
  );
}
