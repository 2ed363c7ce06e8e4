import type { TaskExamRef } from "../../../../shared/api/tasks";
import "./training.css";

/** Marks a task as an exam attempt (the server's `task.exam`), in the queue, the labelling page and the room. */
export function ExamBadge({ exam }: { exam: TaskExamRef | null }) {
  if (!exam) return null;
  return (
    <span className="badge badge-exam" data-testid="exam-badge" title="An exam attempt: scored against the answer key when you submit it">
      Exam: {exam.name}
    </span>
  );
}
