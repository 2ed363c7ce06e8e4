import type { TaskDetail } from "../../../../shared/api/tasks";
import type { Stage } from "../../../../shared/domain/stages";
import { Link } from "../../ui/Link";
import { StageBadge } from "../../ui/StageBadge";
import { ASPECT_LABELS } from "../../../../shared/domain";
import type { SaveLabel } from "./connectionState";
import { Presence } from "./Presence";
import { ExamBadge } from "../training/ExamBadge";
import type { Participant } from "./useRoom";

export type RoomNotice = { kind: "info" | "error"; text: string };

type Props = {
  task: TaskDetail;
  stage: Stage;
  participants: Participant[];
  following: string | null;
  onFollow(id: string | null): void;
  save: SaveLabel;
  onHelp(): void;
};

/** The room's title bar: where the task is, its stage, who is here, whether edits are saved. */
export function RoomHeader({ task, stage, participants, following, onFollow, save, onHelp }: Props) {
  return (
    <header className="room-head">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/">Tasks</Link>
        <span aria-hidden="true">/</span>
        <span>{task.projectName}</span>
      </nav>
      <h1>
        {task.video.title} <span className={`aspect aspect-${task.aspect}`}>{ASPECT_LABELS[task.aspect]}</span>
      </h1>
      <StageBadge stage={stage} />
      <ExamBadge exam={task.exam} />
      <div className="room-head-right">
        <Presence participants={participants} fps={task.video.fps} followingId={following} onFollow={onFollow} />
        <span className={`save-state save-${save.kind}`} data-testid="save-state" data-state={save.kind} role="status">
          {save.text}
        </span>
        <button type="button" className="btn btn-small" onClick={onHelp} title="Keyboard shortcuts (?)">
          <kbd>?</kbd> Shortcuts
        </button>
      </div>
    </header>
  );
}

/** A dismissable message from the room (a refused score, a revision started). */
export function RoomNoticeBar({ notice, onDismiss }: { notice: RoomNotice | null; onDismiss(): void }) {
  if (!notice) return null;
  return (
    <p className={`room-notice alert ${notice.kind === "error" ? "alert-error" : "alert-info"}`} role="status">
      {notice.text}
      <button type="button" className="btn-link" onClick={onDismiss}>
        Dismiss
      </button>
    </p>
  );
}
