import { useState } from "react";
import type { TaskAbilities } from "../../../../shared/api/abilities";
import type { Finding } from "../../../../shared/captionSpec/lint";
import type { CritiqueItem } from "../../../../shared/critique/items";
import type { Stage } from "../../../../shared/domain/stages";
import type { PersonStageAction } from "../../../../shared/stage/machine";
import { ErrorNote } from "../../ui/Alert";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { useAction } from "../../ui/useAction";
import { loopApi } from "./loopApi";
import { SubmitDialog } from "./SubmitDialog";

/** The room's stage moves besides scoring, revising and the review decisions (those have their own controls). */
const BAR_ACTIONS = ["submit", "withdraw", "relabel", "redo", "release_review", "reopen"] as const satisfies readonly PersonStageAction[];
type BarAction = (typeof BAR_ACTIONS)[number];

const LABELS: Record<BarAction, string> = {
  submit: "Submit…",
  withdraw: "Withdraw submission",
  relabel: "Back to labelling…",
  redo: "Redo the critique",
  release_review: "Release review",
  reopen: "Reopen review",
};

/** Moves that need a second thought: the question asked before them. */
const CONFIRM: Partial<Record<BarAction, { title: string; body: string; confirm: string }>> = {
  relabel: {
    title: "Go back to labelling?",
    body: "The draft and this critique are set aside; the model writes a new draft from the corrected labels.",
    confirm: "Back to labelling",
  },
  withdraw: {
    title: "Withdraw the submission?",
    body: "The task returns to you for refining; the reviewer's queue no longer shows it.",
    confirm: "Withdraw",
  },
};

type Props = {
  taskId: string;
  stage: Stage;
  abilities: TaskAbilities;
  items: readonly CritiqueItem[];
  post: string;
  /** Findings of the caption linter on the text being submitted. */
  postFindings: Finding[];
  /** After a move: the room re-reads the task (the server also pushes the new stage). */
  onMoved(action: BarAction): void;
};

/** The stage moves this person may make now, straight from their abilities; nothing is re-derived here. */
export function StageBar({ taskId, stage, abilities, items, post, postFindings, onMoved }: Props) {
  const offered = BAR_ACTIONS.filter((a) => abilities.actions.includes(a));
  const [asking, setAsking] = useState<BarAction | null>(null);
  const action = useAction();
  if (offered.length === 0) return null;

  const move = async (a: BarAction) => {
    if (await action.run(() => loopApi.transition(taskId, a, stage))) {
      setAsking(null);
      onMoved(a);
    }
  };
  const press = (a: BarAction) => {
    if (a === "submit" || CONFIRM[a]) setAsking(a);
    else void move(a);
  };
  const question = asking && asking !== "submit" ? CONFIRM[asking] : undefined;

  return (
    <div className="stage-bar" data-testid="stage-bar">
      {offered.map((a) => (
        <button
          key={a}
          type="button"
          className={a === "submit" ? "btn btn-primary" : "btn"}
          data-action={a}
          disabled={action.busy}
          onClick={() => press(a)}
        >
          {LABELS[a]}
        </button>
      ))}
      {!asking && <ErrorNote message={action.error} />}
      {asking === "submit" && (
        <SubmitDialog
          items={items}
          post={post}
          findings={postFindings}
          busy={action.busy}
          error={action.error}
          onConfirm={() => void move("submit")}
          onCancel={() => setAsking(null)}
        />
      )}
      {question && asking && (
        <ConfirmDialog
          title={question.title}
          confirmLabel={question.confirm}
          busy={action.busy}
          error={action.error}
          onConfirm={() => void move(asking)}
          onCancel={() => setAsking(null)}
        >
          <p>{question.body}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
