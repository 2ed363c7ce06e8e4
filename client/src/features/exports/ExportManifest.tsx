import { exportFileHref } from "../../../../shared/api/exports";
import type { Manifest } from "../../../../shared/dataset/formats";
import { formatBytes, formatCount } from "./format";
import { TableHead } from "../../ui/TableHead";

/** A finished export: its files with counts and checksums (each a download), clips per split, spec versions. */
export function ExportManifest({ jobId, manifest }: { jobId: string; manifest: Manifest }) {
  return (
    <section className="export-manifest" aria-label="Export files" data-testid="export-manifest">
      <dl className="export-summary">
        <div>
          <dt>Tasks</dt>
          <dd>{formatCount(manifest.tasks)}</dd>
        </div>
        <div>
          <dt>Clips in train</dt>
          <dd>{formatCount(manifest.videos.train)}</dd>
        </div>
        <div>
          <dt>Clips in test</dt>
          <dd>{formatCount(manifest.videos.test)}</dd>
        </div>
        <div>
          <dt>Spec versions</dt>
          <dd>{manifest.spec_versions.length > 0 ? manifest.spec_versions.join(", ") : "none"}</dd>
        </div>
        <div>
          <dt>Split</dt>
          <dd>
            test {Math.round(manifest.split.test * 100)}% · seed {manifest.split.seed}
          </dd>
        </div>
      </dl>
      <div className="table-wrap export-files-wrap">
        <table className="task-table export-files">
          <TableHead columns={["File", "Split", { label: "Records", num: true }, { label: "Size", num: true }, "SHA-256"]} />
          <tbody>
            {manifest.files.map((f) => (
              <tr key={f.name}>
                <td>
                  <a href={exportFileHref(jobId, f.name)} download={f.name}>
                    {f.name}
                  </a>
                </td>
                <td>{f.split}</td>
                <td className="num">{formatCount(f.records)}</td>
                <td className="num">{formatBytes(f.bytes)}</td>
                <td>
                  <code className="sha" title={f.sha256}>
                    {f.sha256}
                  </code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="export-extra">
        <a href={exportFileHref(jobId, "manifest.json")} download="manifest.json">
          manifest.json
        </a>
        {" · "}
        <a href={exportFileHref(jobId, manifest.dataset_info.name)} download={manifest.dataset_info.name}>
          {manifest.dataset_info.name}
        </a>{" "}
        <span className="muted">(LLaMA-Factory registry)</span>
      </p>
    </section>
  );
}
