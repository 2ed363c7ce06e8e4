import { useCallback, useEffect, useState } from "react";
import type { TaskAbilities } from "../../../../shared/api/abilities";
import type { CatchView } from "../../../../shared/api/review";
import { errorMessage } from "../../app/api";
import { CatchCard } from "./CatchCard";
import { CatchForm } from "./CatchForm";
import type { CatchTarget } from "./catchTarget";
import { DecisionBar } from "./DecisionBar";
import { DecisionHistory } from "./DecisionHistory";
import { reviewApi } from "./reviewApi";
import "./review.css";

export type CatchesPanelProps = {
  taskId: string;
  /** What the server lets this person do with the task (GET /api/tasks/:id, or live from the room). */
  abilities: TaskAbilities;
  /** The critique items a false flag or non-constructive catch can name (id + a short label), from the room. */
  items?: readonly { id: string; label: string }[];
  /** The room's current draft selection / playhead range, offered as the new catch's anchor. */
  target?: CatchTarget;
  /** How often to refetch the list (ms); the room may also bump `refreshKey` when its catches map changes. */
  pollMs?: number;
  refreshKey?: unknown;
  /** After starting a review or deciding: the room reloads the task (stage, abilities). */
  onTaskChanged?: () => void;
  /** The task's stage as the room knows it: the decisions are re-read when it moves. */
  stage?: string;
};

/**
 * The review side panel of a task room: catches listed live (polled; the room can also trigger a refetch), the
 * reviewer's catch form, the annotator's dispute, the lead's verdict, and the reviewer's decision — each shown
 * exactly when the server's abilities offer it.
 */
export function CatchesPanel({ taskId, abilities, items = [], target, pollMs = 4000, refreshKey, onTaskChanged, stage = "" }: CatchesPanelProps) {
  const [list, setList] = useState<CatchView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const rows = await reviewApi.catches(taskId, signal);
        if (!signal?.aborted) {
          setList(rows);
          setError(null);
        }
      } catch (err) {
        if (!signal?.aborted) setError(errorMessage(err));
      }
    },
    [taskId],
  );

  useEffect(() => {
    const ctl = new AbortController();
    void reload(ctl.signal);
    const timer = window.setInterval(() => {
      if (document.visibilityState !== "hidden") void reload(ctl.signal);
    }, pollMs);
    return () => {
      ctl.abort();
      window.clearInterval(timer);
    };
  }, [reload, pollMs, refreshKey]);

  const replace = (c: CatchView) => setList((l) => (l ?? []).map((x) => (x.id === c.id ? c : x)));

  return (
    <section className="panel review-panel" aria-labelledby="review-panel-title" data-testid="catches-panel">
      <div className="panel-head">
        <h2 id="review-panel-title">Review</h2>
        <span className="muted">{list ? `${list.length} catch${list.length === 1 ? "" : "es"}` : ""}</span>
      </div>
      <div className="panel-body">
        <DecisionHistory taskId={taskId} stageKey={stage} />
        <DecisionBar taskId={taskId} abilities={abilities} onTaskChanged={onTaskChanged} />
        {error && (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        )}
        {abilities.actions.includes("record_catch") && (
          <CatchForm taskId={taskId} items={items} target={target} onRecorded={(c) => setList((l) => [...(l ?? []).filter((x) => x.id !== c.id), c])} />
        )}
        <ul className="catch-list" aria-label="Catches">
          {(list ?? []).map((c) => (
            <CatchCard key={c.id} c={c} itemLabel={items.find((i) => i.id === c.itemId)?.label ?? null} onChanged={replace} />
          ))}
        </ul>
        {list && list.length === 0 && <p className="muted">No catches yet.</p>}
      </div>
    </section>
  );
}
