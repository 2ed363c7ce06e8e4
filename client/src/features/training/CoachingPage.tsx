import { api } from "../../app/api";
import { Link } from "../../ui/Link";
import { useAsync } from "../../ui/useAsync";
import { taskHref } from "../../app/router";
import { CoachingPanel } from "./CoachingPanel";
import { trainingApi } from "./trainingApi";
import { GoldScoreCard } from "./GoldScoreCard";
import { PageHead } from "../../ui/PageHead";

/** A task's coaching on its own page: the trainer writes here; the trainee reads notes and spotlights live. */
export function CoachingPage({ taskId }: { taskId: string }) {
  const score = useAsync(`score:${taskId}`, (signal) => trainingApi.goldScore(taskId, signal));
  // Writing notes is the task's "coach" ability, computed by the server with the task.
  const task = useAsync(`task:${taskId}`, (signal) => api.task(taskId, signal));
  return (
    <main className="page coaching-page">
      <PageHead
        title="Coaching"
        intro={
          <>
            Private between trainer and trainee — never part of the task's data or exports. <Link href={taskHref(taskId)}>Open the room</Link>
          </>
        }
      />
      {score.data && <GoldScoreCard score={score.data} />}
      <CoachingPanel taskId={taskId} canWrite={task.data?.abilities.actions.includes("coach") ?? false} />
    </main>
  );
}
