import type { MeResponse } from "../../../../shared/api/auth";
import type { GoldScoreRow } from "../../../../shared/api/training";
import { ApiError, request } from "../../app/api";
import { Link } from "../../ui/Link";
import { useAsync } from "../../ui/useAsync";
import { taskHref } from "../../app/router";
import { CoachingPanel } from "./CoachingPanel";
import { GoldScoreCard } from "./GoldScoreCard";

/** The task's latest gold score, or null when it is not a scored gold attempt (404). */
function loadScore(taskId: string, signal: AbortSignal): Promise<GoldScoreRow | null> {
  return request<GoldScoreRow>("GET", `/api/tasks/${encodeURIComponent(taskId)}/gold-score`, { signal }).catch((err: unknown) => {
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) return null;
    throw err;
  });
}

/** A task's coaching on its own page: the trainer writes here; the trainee reads notes and spotlights live. */
export function CoachingPage({ taskId, me }: { taskId: string; me: MeResponse }) {
  const score = useAsync(`score:${taskId}`, (signal) => loadScore(taskId, signal));
  return (
    <main className="page coaching-page">
      <div className="page-head">
        <div>
          <h1>Coaching</h1>
          <p className="muted">
            Private between trainer and trainee — never part of the task's data or exports. <Link href={taskHref(taskId)}>Open the room</Link>
          </p>
        </div>
      </div>
      {score.data && <GoldScoreCard score={score.data} />}
      <CoachingPanel taskId={taskId} canWrite={me.role === "trainer"} />
    </main>
  );
}
