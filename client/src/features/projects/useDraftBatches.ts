import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { DraftBatch } from "../../../../shared/api/draftBatches";
import { errorMessage, isAbort } from "../../app/api";
import { draftBatchesApi, isUnfinished } from "./draftBatchesApi";

/** How often a waiting or running batch is read again. */
export const DRAFT_BATCH_POLL_MS = 1500;

export type DraftBatchesState = {
  /** This project's batches, newest first. */
  batches: DraftBatch[];
  loading: boolean;
  /** The last read that failed (cleared by the next one that works). */
  error: string | null;
  /** Puts a batch (new or changed) into the list. */
  upsert(batch: DraftBatch): void;
};

/**
 * The project's recent draft batches; each waiting or running one is read again every `pollMs` until it ends, from
 * whichever server process answers (the batch's progress lives in the database). A failed read is shown and
 * retried: behind a balancer the next request may reach a process that is up. `onFinished` hears of each batch
 * that ended while it was followed here.
 */
export function useDraftBatches(projectId: string, opts: { pollMs?: number; onFinished?: (batch: DraftBatch) => void } = {}): DraftBatchesState {
  const pollMs = opts.pollMs ?? DRAFT_BATCH_POLL_MS;
  const [batches, setBatches] = useState<DraftBatch[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  // A ref, so a new callback each render does not restart the polling.
  const onFinished = useRef(opts.onFinished);
  onFinished.current = opts.onFinished;

  const upsert = useCallback(
    (batch: DraftBatch) => {
      if (batch.project.id !== projectId) return;
      setBatches((list) => {
        const i = list.findIndex((b) => b.id === batch.id);
        if (i === -1) return [batch, ...list];
        const next = list.slice();
        next[i] = batch;
        return next;
      });
    },
    [projectId],
  );

  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    draftBatchesApi.list(ctl.signal).then(
      (r) => {
        // The server lists every project's recent batches; this page shows its own.
        setBatches(r.batches.filter((b) => b.project.id === projectId));
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (isAbort(err)) return;
        setError(errorMessage(err));
        setLoading(false);
      },
    );
    return () => ctl.abort();
  }, [projectId]);

  const unfinishedKey = useMemo(
    () =>
      batches
        .filter((b) => isUnfinished(b.state))
        .map((b) => b.id)
        .join(","),
    [batches],
  );

  useEffect(() => {
    if (!unfinishedKey) return;
    const ctl = new AbortController();
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const later = (fn: () => void) => {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, pollMs);
      timers.add(t);
    };
    const follow = (id: string) =>
      draftBatchesApi.one(id, ctl.signal).then(
        (batch) => {
          setError(null);
          upsert(batch);
          if (isUnfinished(batch.state)) later(() => void follow(id));
          else onFinished.current?.(batch);
        },
        (err: unknown) => {
          if (isAbort(err)) return;
          setError(errorMessage(err));
          later(() => void follow(id));
        },
      );
    for (const id of unfinishedKey.split(",")) later(() => void follow(id));
    return () => {
      ctl.abort();
      for (const t of timers) clearTimeout(t);
    };
  }, [unfinishedKey, pollMs, upsert]);

  return { batches, loading, error, upsert };
}
