import type { TaskSummary } from "../../../../shared/api/tasks";
import { api } from "../../app/api";
import { feedbackHref, navigate, taskHref } from "../../app/router";

/**
 * After handing a task in: straight to the next task waiting on this person (the server picks it from their
 * queue), or back to the queue when nothing is waiting.
 */
export async function goToNextTask(afterTaskId: string): Promise<void> {
  try {
    const next = await api.nextTask(afterTaskId);
    navigate(next.task ? taskHref(next.task.id) : "/");
  } catch {
    navigate("/");
  }
}

/**
 * Where a hand-in leads: an exam attempt (the server says so in `task.exam`) to its instant feedback, any other
 * task to the next one.
 */
export function afterHandIn(task: Pick<TaskSummary, "id" | "exam">): Promise<void> {
  if (task.exam) {
    navigate(feedbackHref(task.id));
    return Promise.resolve();
  }
  return goToNextTask(task.id);
}
