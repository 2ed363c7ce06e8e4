import { useEffect, useState, type DragEvent } from "react";
import { defaultOptions } from "tus-js-client";
import { get } from "../../app/api";
import { LoadError } from "../../ui/Alert";
import { Panel } from "../../ui/Panel";
import { TableHead } from "../../ui/TableHead";
import { formatRelative } from "../../ui/format";
import { useAsync } from "../../ui/useAsync";
import { ProjectClipsResponse, UPLOAD_PATHS } from "../../../../shared/api/uploads";
import { filesFromDrop, filesFromInput } from "./uploadFiles";
import { isFinished, useUploadQueue, type UploadItem, type UploadStatus } from "./uploadQueue";
import "./uploadClips.css";

const STATUS_LABEL: Record<UploadStatus, string> = {
  waiting: "Waiting",
  uploading: "Uploading",
  paused: "Stopped",
  created: "Added",
  duplicate: "Duplicate",
  refused: "Refused",
  failed: "Failed",
};

const ACCEPT = ".webm,.mp4,.m4v,video/webm,video/mp4";

function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${Math.max(1, Math.round(n / 1024))} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

const percent = (sent: number, size: number) => (size > 0 ? Math.round((sent / size) * 100) : 100);
const tasksText = (n: number) => (n === 0 ? "No new tasks." : `${n} new task${n === 1 ? "" : "s"}, one per aspect of the project.`);

/** Names of this project's uploads a previous visit left unfinished (tus-js-client keeps them in localStorage). */
function useUnfinished(projectId: string, items: UploadItem[]): string[] {
  const [names, setNames] = useState<string[]>([]);
  const active = new Set(items.map((it) => it.name));
  useEffect(() => {
    let live = true;
    // Inside a promise, so a storage without the lookup (tus-js-client's Node build, in tests) is just "none".
    Promise.resolve()
      .then(() => defaultOptions.urlStorage.findAllUploads())
      .then(
        (all) => {
          if (live) setNames(all.filter((u) => u.metadata.projectId === projectId).map((u) => u.metadata.filename ?? "a clip"));
        },
        () => undefined, // No storage (private mode): nothing to offer.
      );
    return () => {
      live = false;
    };
  }, [projectId]);
  return names.filter((n) => !active.has(n));
}

/**
 * The project's Clips tab: drop files or folders (or pick them) to upload them resumably, with a bar per file and
 * one for all; duplicates and clips browsers cannot play come back with the server's message. Below, the clips the
 * project has. The server makes each new clip's tasks (one per aspect) as the upload completes, and says how many;
 * "Make missing tasks" on the Tasks tab remains for older clips. `onClipsAdded` is called after each new clip (not
 * after a duplicate or a refusal), for the page to refresh its counts.
 */
export function ProjectClips({ projectId, onClipsAdded }: { projectId: string; onClipsAdded?: () => void }) {
  const [version, setVersion] = useState(0);
  const clips = useAsync(`${projectId}/${version}`, (signal) =>
    get(UPLOAD_PATHS.clips, { schema: ProjectClipsResponse, query: { projectId }, signal }),
  );
  const queue = useUploadQueue(projectId, (status) => {
    setVersion((v) => v + 1);
    if (status === "created") onClipsAdded?.();
  });
  const unfinished = useUnfinished(projectId, queue.items);
  const [over, setOver] = useState(false);

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    void filesFromDrop(e.dataTransfer).then(queue.add);
  };

  const total = queue.items.reduce((acc, it) => ({ sent: acc.sent + it.sent, size: acc.size + it.size }), { sent: 0, size: 0 });
  const done = queue.items.filter(isFinished).length;
  const newTasks = queue.items.reduce((n, it) => n + (it.tasksMade ?? 0), 0);

  return (
    <Panel id="project-clips-title" title="Clips" testId="project-clips">
      <div className="panel-body">
        <div
          className="upload-drop"
          data-over={over}
          data-testid="upload-drop"
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={onDrop}
        >
          <p>Drop clips or folders of clips here (WebM or MP4, up to 2 GiB each).</p>
          <div className="upload-pickers">
            <label className="upload-picker">
              Choose files
              <input type="file" multiple accept={ACCEPT} data-testid="upload-files" onChange={(e) => queue.add(filesFromInput(e.currentTarget.files))} />
            </label>
            <label className="upload-picker">
              Choose a folder
              <input
                type="file"
                multiple
                data-testid="upload-folder"
                // React does not know the attribute that turns the picker into a folder picker.
                ref={(el) => el?.setAttribute("webkitdirectory", "")}
                onChange={(e) => queue.add(filesFromInput(e.currentTarget.files))}
              />
            </label>
          </div>
          {unfinished.length > 0 && (
            <p className="muted" data-testid="upload-unfinished">
              Unfinished from before: {unfinished.join(", ")}. Drop the same files again and they continue where they stopped.
            </p>
          )}
        </div>

        {queue.items.length > 0 && (
          <>
            <div className="upload-total" data-testid="upload-total">
              <span>
                {done} of {queue.items.length} done{done > 0 && ` · ${newTasks} new task${newTasks === 1 ? "" : "s"}`}
              </span>
              <progress aria-label="All uploads" max={100} value={percent(total.sent, total.size)} />
              <span>{percent(total.sent, total.size)}%</span>
            </div>
            <ul className="upload-list" aria-label="Uploads">
              {queue.items.map((it) => (
                <li key={it.key} className="upload-item" data-status={it.status} data-testid="upload-item">
                  <span>
                    {it.name} <span className="muted">{formatBytes(it.size)}</span>
                  </span>
                  <progress aria-label={`Upload of ${it.name}`} max={100} value={percent(it.sent, it.size)} />
                  <span>
                    {STATUS_LABEL[it.status]}
                    {it.status === "paused" && (
                      <>
                        {" "}
                        <button type="button" className="btn btn-quiet" onClick={() => queue.resume(it.key)}>
                          Resume
                        </button>
                      </>
                    )}
                  </span>
                  {it.message && (
                    <p className="upload-item-message" role={it.status === "refused" || it.status === "failed" ? "alert" : undefined}>
                      {it.message}
                      {it.tasksMade !== null && <span data-testid="upload-tasks"> {tasksText(it.tasksMade)}</span>}
                    </p>
                  )}
                </li>
              ))}
            </ul>
            {done > 0 && (
              <button type="button" className="btn btn-quiet" onClick={queue.clearFinished}>
                Clear finished
              </button>
            )}
          </>
        )}

        <LoadError state={clips} />
        {clips.data && clips.data.length === 0 && <p className="muted">No clips yet.</p>}
        {clips.data && clips.data.length > 0 && (
          <div className="table-wrap">
            <table className="task-table project-clip-list" data-testid="project-clip-list">
              <TableHead columns={["Clip", { label: "Length", num: true }, { label: "Frame rate", num: true }, "Size", { label: "File", num: true }, "Added"]} />
              <tbody>
                {clips.data.map((v) => (
                  <tr key={v.id}>
                    <td>{v.title}</td>
                    <td className="num">{v.durationSec === null ? "—" : `${v.durationSec.toFixed(1)} s`}</td>
                    <td className="num">{v.fps === null ? "—" : `${Math.round(v.fps * 100) / 100} fps`}</td>
                    <td>{v.width && v.height ? `${v.width}×${v.height}` : "—"}</td>
                    <td className="num">{formatBytes(v.sizeBytes)}</td>
                    <td>{formatRelative(v.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </Panel>
  );
}
