import { get, post } from "../../app/api";
import {
  EXPORT_PATHS,
  EXPORT_PROGRESS_EVENT,
  ExportJob,
  ExportJobList,
  StartExportResponse,
  type StartExportRequest,
} from "../../../../shared/api/exports";

export const exportsApi = {
  list: (signal?: AbortSignal) => get(EXPORT_PATHS.list, { schema: ExportJobList, signal }),
  get: (id: string, signal?: AbortSignal) => get(EXPORT_PATHS.one(id), { schema: ExportJob, signal }),
  start: (body: StartExportRequest) => post(EXPORT_PATHS.list, body, { schema: StartExportResponse }),
};

/**
 * Follows a job's progress over server-sent events; `onJob` gets every change, the stream closes itself once the
 * job is finished. `onLost` is called when the stream breaks, so the caller can fall back to polling.
 * Returns a function that stops listening.
 */
export function followExport(id: string, onJob: (job: ExportJob) => void, onLost: () => void): () => void {
  const source = new EventSource(EXPORT_PATHS.progress(id), { withCredentials: true });
  let finished = false;
  source.addEventListener(EXPORT_PROGRESS_EVENT, (e) => {
    const parsed = ExportJob.safeParse(JSON.parse((e as MessageEvent<string>).data));
    if (!parsed.success) return;
    onJob(parsed.data);
    if (parsed.data.state === "done" || parsed.data.state === "failed") {
      finished = true;
      source.close();
    }
  });
  source.onerror = () => {
    // EventSource would reconnect forever (and replay a finished job); one broken stream is enough to give up on.
    source.close();
    if (!finished) onLost();
  };
  return () => {
    finished = true;
    source.close();
  };
}
