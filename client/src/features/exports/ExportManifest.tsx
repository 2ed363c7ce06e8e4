import { exportArchiveHref, exportArchiveName, exportFileHref } from "../../../../shared/api/exports";
import type { Manifest, ManifestFile } from "../../../../shared/dataset/formats";
import { formatBytes, formatCount } from "./format";
import { TableHead } from "../../ui/TableHead";

/** Who reads a file: its LLaMA-Factory dataset name, its TRL trainer, or nobody's trainer (the full records). */
function forWhom(f: ManifestFile): string {
  if (f.for.llamafactory) return `LLaMA-Factory: ${f.for.llamafactory}`;
  if (f.for.trl) return `TRL: ${f.for.trl}`;
  return "—";
}

/** Corrected records an ablation set had to leave out, in words ("" when none). */
function leftOutText(manifest: Manifest): string {
  const parts = Object.entries(manifest.ablation_left_out).flatMap(([format, n]) => {
    const total = n.no_items + n.too_few_items + n.unchanged;
    return total > 0 ? [`${format} ${formatCount(total)}`] : [];
  });
  return parts.join(" · ");
}

/**
 * A finished export: what each format carries, its files with counts and checksums (each a download), the whole
 * folder as one archive (clips included), clips per split, spec versions.
 */
export function ExportManifest({ jobId, manifest }: { jobId: string; manifest: Manifest }) {
  const { clips } = manifest;
  const leftOut = leftOutText(manifest);
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
      <p className="export-extra" data-testid="export-clips">
        <a href={exportArchiveHref(jobId)} download={exportArchiveName(jobId)}>
          Download the whole folder
        </a>{" "}
        <span className="muted">
          (.tar: the files below, {clips.folder}/ with {formatCount(clips.count)} clips of {formatBytes(clips.bytes)}; unpacked, it is
          LLaMA-Factory&apos;s --dataset_dir)
        </span>
      </p>
      {clips.missing > 0 && (
        <p className="alert alert-error" role="status">
          {formatCount(clips.missing)} clips were not found in storage: their {formatCount(clips.tasks_left_out)} tasks are left out of every file.
        </p>
      )}
      <dl className="export-carries" aria-label="What each format carries">
        {manifest.formats.map((format) => {
          const carries = manifest.files.find((f) => f.format === format)?.carries;
          return carries ? (
            <div key={format}>
              <dt>{format}</dt>
              <dd>{carries}</dd>
            </div>
          ) : null;
        })}
      </dl>
      {leftOut && <p className="muted export-extra">Corrected records the ablation sets could not degrade (left out): {leftOut}.</p>}
      <div className="table-wrap export-files-wrap">
        <table className="task-table export-files">
          <TableHead columns={["File", "Split", { label: "Records", num: true }, { label: "Size", num: true }, "For", "SHA-256"]} />
          <tbody>
            {manifest.files.map((f) => (
              <tr key={f.name}>
                <td>
                  <a href={exportFileHref(jobId, f.name)} download={f.name.split("/").at(-1)} title={f.carries}>
                    {f.name}
                  </a>
                </td>
                <td>{f.split}</td>
                <td className="num">{formatCount(f.records)}</td>
                <td className="num">{formatBytes(f.bytes)}</td>
                <td>{forWhom(f)}</td>
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
      <p className="muted export-extra">{manifest.trl_note}</p>
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
