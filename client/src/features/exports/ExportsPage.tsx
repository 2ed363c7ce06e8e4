import { useState } from "react";
import type { ExportJob, StartExportRequest } from "../../../../shared/api/exports";
import type { ExportStatus } from "../../../../shared/dataset/formats";
import { api } from "../../app/api";
import { formatDateTime, formatRelative } from "../../ui/format";
import { useAsync } from "../../ui/useAsync";
import { ExportForm } from "./ExportForm";
import { ExportManifest } from "./ExportManifest";
import { ExportProgress } from "./ExportProgress";
import { exportsApi } from "./exportsApi";
import { STATE_LABELS, formatCount } from "./format";
import { useExportJobs } from "./useExportJobs";
import { Panel } from "../../ui/Panel";
import { TableHead } from "../../ui/TableHead";
import { ErrorNote } from "../../ui/Alert";
import { useAction } from "../../ui/useAction";
import "./exports.css";
import { PageHead } from "../../ui/PageHead";

const STATUS_SHORT: Record<ExportStatus, string> = { approved: "approved", submitted: "submitted or later", all: "any submitted version" };

const optionsText = (job: ExportJob) => {
  const o = job.options;
  const parts = [o.format === "all" ? "all formats" : o.format, STATUS_SHORT[o.status]];
  if (o.split > 0) parts.push(`test ${Math.round(o.split * 1000) / 10}% · seed ${o.seed}`);
  if (o.clips !== "link") parts.push(`clips: ${o.clips}`);
  if (o.project) parts.push(o.project);
  return parts.join(" · ");
};

/** Leads' dataset export: pick the options, start, watch it run, download the files it wrote. */
export function ExportsPage() {
  const projects = useAsync("projects", (signal) => api.projects(signal));
  const { jobs, loading, error, upsert } = useExportJobs();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const { busy: starting, error: startError, run } = useAction();

  const selected = jobs.find((j) => j.id === selectedId) ?? jobs[0] ?? null;

  const start = (request: StartExportRequest) =>
    run(async () => {
      const { id } = await exportsApi.start(request);
      upsert(await exportsApi.get(id));
      setSelectedId(id);
    });

  return (
    <main className="page exports-page">
      <PageHead
        title="Dataset export"
        intro="Training data in the formats trainers load: JSON Lines per format and split, the clips beside them, LLaMA-Factory's dataset_info.json, and a manifest of what each file carries, counts, spec versions and SHA-256 checksums."
      />
      <div className="exports-layout">
        <Panel id="export-new-title" title="New export">
          <div className="panel-body">
            <ErrorNote message={startError} />
            <ExportForm projects={projects.data ?? []} busy={starting} onStart={(r) => void start(r)} />
          </div>
        </Panel>

        <Panel id="export-current-title" title={selected ? `Export of ${formatDateTime(selected.createdAt)}` : "Export"} aside={selected && <span className="muted">{optionsText(selected)}</span>}>
          <div className="panel-body">
            {!selected && !loading && <p className="empty">No exports yet. Choose the options and start one.</p>}
            {selected && <ExportProgress job={selected} />}
            {selected?.state === "done" && selected.manifest && <ExportManifest jobId={selected.id} manifest={selected.manifest} />}
          </div>
        </Panel>
      </div>

      <Panel id="export-history-title" title="Recent exports" className="exports-history" aside={<span className="muted">The server keeps the most recent ones.</span>}>
        <ErrorNote message={error} />
        {jobs.length === 0 ? (
          <p className="empty">{loading ? "Loading…" : "None yet."}</p>
        ) : (
          <div className="table-wrap">
            <table className="task-table export-jobs">
              <TableHead columns={["Started", "By", "Options", "State", { label: "Tasks", num: true }, { label: "Records", num: true }]} />
              <tbody>
                {jobs.map((j) => (
                  <tr key={j.id} className={j.id === selected?.id ? "selected" : undefined} onClick={() => setSelectedId(j.id)}>
                    <td>
                      <button
                        type="button"
                        className="linklike"
                        aria-current={j.id === selected?.id ? "true" : undefined}
                        title={formatDateTime(j.createdAt)}
                        onClick={(e) => {
                          e.stopPropagation();
                          setSelectedId(j.id);
                        }}
                      >
                        {formatRelative(j.createdAt)}
                      </button>
                    </td>
                    <td>{j.createdBy.name}</td>
                    <td>{optionsText(j)}</td>
                    <td>
                      <span className={`export-state export-state-${j.state}`}>{STATE_LABELS[j.state]}</span>
                    </td>
                    <td className="num">{formatCount(j.progress.tasks)}</td>
                    <td className="num">{formatCount(j.progress.records)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </main>
  );
}
