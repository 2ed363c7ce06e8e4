import { useState, type FormEvent } from "react";
import { EXPORT_FORMAT_CHOICES, type ExportFormatChoice, type StartExportRequest } from "../../../../shared/api/exports";
import { CLIP_PLACEMENTS, EXPORT_FORMATS, EXPORT_STATUSES, FORMAT_GUIDE, type ClipPlacement, type ExportStatus } from "../../../../shared/dataset/formats";
import type { ProjectSummary } from "../../../../shared/api/tasks";
import { Choice, Field, InputField } from "../../ui/Field";

const FORMAT_LABELS: Record<ExportFormatChoice, string> = {
  all: "All formats",
  chai: "chai — full records",
  "caption-sft": "caption-sft — LLaMA-Factory SFT",
  "caption-dpo": "caption-dpo — LLaMA-Factory DPO",
  "reward-yesno": "reward-yesno — yes/no reward",
  "critique-gen": "critique-gen — critique generation",
  "trl-caption-sft": "trl-caption-sft — TRL SFT (conversational)",
  "trl-caption-preference": "trl-caption-preference — TRL preference (conversational)",
  "ablation-inaccurate": "ablation-inaccurate — wrong critiques",
  "ablation-incomplete": "ablation-incomplete — critiques cut short",
  "ablation-nonconstructive": "ablation-nonconstructive — critiques without fixes",
  "chai-tool": "chai-tool — CHAI annotation tool layout",
  camerabench: "camerabench — CameraBench label lists",
};

const CLIP_LABELS: Record<ClipPlacement, string> = {
  link: "Hard link (a copy across disks)",
  copy: "Copy",
  symlink: "Symbolic link (huge sets; this server only)",
};

const STATUS_LABELS: Record<ExportStatus, string> = {
  approved: "Approved tasks",
  submitted: "Submitted or later",
  all: "Any task with a submitted version",
};

type Props = { projects: ProjectSummary[]; busy: boolean; onStart(request: StartExportRequest): void };

/** The export's options; the output folder is the server's choice, so there is none to pick here. */
export function ExportForm({ projects, busy, onStart }: Props) {
  const [format, setFormat] = useState<ExportFormatChoice>("all");
  const [status, setStatus] = useState<ExportStatus>("approved");
  const [clips, setClips] = useState<ClipPlacement>("link");
  const [testPercent, setTestPercent] = useState("10");
  const [seed, setSeed] = useState("0");
  const [project, setProject] = useState("");

  const percent = Number(testPercent);
  const seedNumber = Number(seed);
  const percentOk = testPercent.trim() !== "" && Number.isFinite(percent) && percent >= 0 && percent <= 100;
  const seedOk = seed.trim() !== "" && Number.isInteger(seedNumber) && seedNumber >= 0 && seedNumber <= 2 ** 31 - 1;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!percentOk || !seedOk || busy) return;
    onStart({ format, status, split: percent / 100, seed: seedNumber, clips, project: project || undefined });
  };

  return (
    <form className="export-form" onSubmit={submit} aria-label="New export">
      <Field label="Format">
        <Choice
          value={format}
          options={EXPORT_FORMAT_CHOICES.map((v) => ({ value: v, label: FORMAT_LABELS[v] }))}
          onChange={setFormat}
          aria-describedby="export-format-guide"
        />
      </Field>
      <details className="export-guide" id="export-format-guide" open>
        <summary>What each format carries</summary>
        <dl>
          {EXPORT_FORMATS.map((f) => (
            <div key={f} className={format === f || format === "all" ? "chosen" : undefined}>
              <dt>{f}</dt>
              <dd>{FORMAT_GUIDE[f].carries}</dd>
            </div>
          ))}
        </dl>
        <p className="muted">
          Every file names its clips relative to the export folder, which holds them in <code>videos/</code> with
          LLaMA-Factory&apos;s
          <code>dataset_info.json</code>. TRL&apos;s trainers read images only: the TRL files carry the clip in a{" "}
          <code>videos</code> column for your own collator or processor.
        </p>
      </details>
      <Field label="Tasks">
        <Choice value={status} options={EXPORT_STATUSES.map((v) => ({ value: v, label: STATUS_LABELS[v] }))} onChange={setStatus} />
      </Field>
      <Field label="Clips in the folder">
        <Choice value={clips} options={CLIP_PLACEMENTS.map((v) => ({ value: v, label: CLIP_LABELS[v] }))} onChange={setClips} />
      </Field>
      <Field label="Project">
        <Choice value={project} empty="All projects" options={projects.map((p) => ({ value: p.name, label: p.name }))} onChange={setProject} />
      </Field>
      <div className="export-form-row">
        <InputField
          label="Test split (% of clips)"
          type="number"
          inputMode="decimal"
          min={0}
          max={100}
          step="any"
          value={testPercent}
          aria-invalid={!percentOk}
          aria-describedby="export-split-hint"
          onValue={setTestPercent}
        />
        <InputField label="Seed" type="number" inputMode="numeric" min={0} step={1} value={seed} aria-invalid={!seedOk} onValue={setSeed} />
      </div>
      <p id="export-split-hint" className="muted export-hint">
        Clips are split by their content hash, so the same seed always gives the same split; 0% writes train files only.
      </p>
      {!percentOk && <p className="alert alert-error">The test split is a percentage between 0 and 100.</p>}
      {!seedOk && <p className="alert alert-error">The seed is a whole number, 0 or more.</p>}
      <button type="submit" className="btn btn-primary" disabled={busy || !percentOk || !seedOk}>
        {busy ? "Starting…" : "Start export"}
      </button>
    </form>
  );
}
