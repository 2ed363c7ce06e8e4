import { useCallback, useEffect, useMemo, useState } from "react";
import { isFinished, type ExportJob } from "../../../../shared/api/exports";
import { errorMessage, isAbort } from "../../app/api";
import { exportsApi, followExport } from "./exportsApi";

/** When the live stream breaks, the job is polled this often instead. */
const POLL_MS = 1500;

export type ExportJobsState = {
  jobs: ExportJob[];
  loading: boolean;
  error: string | null;
  /** Puts a job (new or changed) into the list, newest first. */
  upsert(job: ExportJob): void;
};

/** The past and current exports; every unfinished one is followed live until it finishes. */
export function useExportJobs(): ExportJobsState {
  const [jobs, setJobs] = useState<ExportJob[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const upsert = useCallback((job: ExportJob) => {
    setJobs((list) => {
      const i = list.findIndex((j) => j.id === job.id);
      if (i === -1) return [job, ...list];
      const next = list.slice();
      next[i] = job;
      return next;
    });
  }, []);

  useEffect(() => {
    const ctl = new AbortController();
    exportsApi.list(ctl.signal).then(
      (r) => {
        setJobs(r.jobs);
        setLoading(false);
      },
      (err: unknown) => {
        if (isAbort(err)) return;
        setError(errorMessage(err));
        setLoading(false);
      },
    );
    return () => ctl.abort();
  }, []);

  const unfinishedKey = useMemo(
    () =>
      jobs
        .filter((j) => !isFinished(j.state))
        .map((j) => j.id)
        .join(","),
    [jobs],
  );

  useEffect(() => {
    if (!unfinishedKey) return;
    const stops = unfinishedKey.split(",").map((id) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let stopped = false;
      const poll = () => {
        exportsApi.get(id).then(
          (job) => {
            if (stopped) return;
            upsert(job);
            if (!isFinished(job.state)) timer = setTimeout(poll, POLL_MS);
          },
          (err: unknown) => {
            if (!stopped) setError(errorMessage(err));
          },
        );
      };
      const stopStream = followExport(id, upsert, () => {
        if (!stopped) timer = setTimeout(poll, POLL_MS);
      });
      return () => {
        stopped = true;
        stopStream();
        clearTimeout(timer);
      };
    });
    return () => stops.forEach((stop) => stop());
  }, [unfinishedKey, upsert]);

  return { jobs, loading, error, upsert };
}
