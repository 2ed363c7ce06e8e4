import { useState, type FormEvent } from "react";
import { ASPECTS, ASPECT_LABELS, type Aspect } from "../../../../shared/domain";
import {
  INPUT_MODES,
  MODEL_PROVIDERS,
  ProjectSettingsForm as SettingsSchema,
  aspectWarnings,
  firstIssue,
  type ProjectDetail,
  type ProjectSettingsForm as Settings,
} from "../../../../shared/api/projects";
import { Choice, Field, InputField } from "../../ui/Field";
import { ErrorNote, Notice, type NoticeText } from "../../ui/Alert";
import { useAction } from "../../ui/useAction";

const PROVIDER_LABELS = { rules: "Rules (no model)", openai: "OpenAI", gemini: "Gemini" } as const;
const INPUT_LABELS = { video: "Video", frames: "Frames", text: "Text only" } as const;

/** The numbers as typed: kept as text so a bad entry stays on screen with the message about it. */
type Draft = Omit<Settings, "bestOfN" | "overlapShare" | "goldShare" | "testShare"> & { bestOfN: string; overlapShare: string; goldShare: string; testShare: string };

const draftOf = (s: Settings): Draft => ({ ...s, bestOfN: String(s.bestOfN), overlapShare: String(s.overlapShare), goldShare: String(s.goldShare), testShare: String(s.testShare) });
const num = (v: string) => (v.trim() === "" ? Number.NaN : Number(v));

/**
 * A project's settings. Read-only unless `canEdit` (the server's edit_projects ability). Checked with the shared
 * schema before sending, so the words are the server's; on any error what the person typed stays.
 */
export function ProjectSettingsFormView({ project, canEdit, save }: { project: ProjectDetail; canEdit: boolean; save(name: string, settings: Settings): Promise<unknown> }) {
  const [name, setName] = useState(project.name);
  const [draft, setDraft] = useState<Draft>(() => draftOf(project.settings));
  const [localError, setLocalError] = useState<string | null>(null);
  const [notice, setNotice] = useState<NoticeText | null>(null);
  const { busy, error, run } = useAction();
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  const toggle = (a: Aspect, on: boolean) => set("aspects", on ? [...draft.aspects, a] : draft.aspects.filter((x) => x !== a));
  const move = (i: number, by: -1 | 1) => {
    const next = [...draft.aspects];
    const j = i + by;
    if (j < 0 || j >= next.length) return;
    [next[i], next[j]] = [next[j] as Aspect, next[i] as Aspect];
    set("aspects", next);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    const parsed = SettingsSchema.safeParse({ ...draft, bestOfN: num(draft.bestOfN), overlapShare: num(draft.overlapShare), goldShare: num(draft.goldShare), testShare: num(draft.testShare) });
    if (!parsed.success) return setLocalError(firstIssue(parsed.error));
    if (!name.trim()) return setLocalError("Give the project a name.");
    setLocalError(null);
    void run(async () => {
      await save(name.trim(), parsed.data);
      setNotice({ kind: "info", text: "Settings saved." });
    });
  };

  const warnings = aspectWarnings(draft.aspects);
  const off = !canEdit || busy;
  return (
    <form className="project-settings" onSubmit={submit} aria-label="Project settings" noValidate>
      <ErrorNote message={localError ?? error} testId="settings-error" />
      <Notice notice={notice} />
      <InputField label="Name" value={name} onValue={setName} disabled={off} required maxLength={120} />
      <fieldset disabled={off}>
        <legend>Aspects, in the order they are captioned</legend>
        <ol className="aspect-order">
          {draft.aspects.map((a, i) => (
            <li key={a}>
              <span className={`aspect aspect-${a}`}>{ASPECT_LABELS[a]}</span>{" "}
              <button type="button" className="btn btn-quiet" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move ${ASPECT_LABELS[a]} up`}>
                ↑
              </button>
              <button type="button" className="btn btn-quiet" onClick={() => move(i, 1)} disabled={i === draft.aspects.length - 1} aria-label={`Move ${ASPECT_LABELS[a]} down`}>
                ↓
              </button>
            </li>
          ))}
        </ol>
        {ASPECTS.map((a) => (
          <Field key={a} label={ASPECT_LABELS[a]} inline>
            <input type="checkbox" checked={draft.aspects.includes(a)} onChange={(e) => toggle(a, e.target.checked)} />
          </Field>
        ))}
        {warnings.map((w) => (
          <p key={w} className="alert alert-info" role="status">
            {w}
          </p>
        ))}
      </fieldset>
      <Field label="Model provider">
        <Choice value={draft.provider} disabled={off} options={MODEL_PROVIDERS.map((p) => ({ value: p, label: PROVIDER_LABELS[p] }))} onChange={(v) => set("provider", v)} />
      </Field>
      <InputField label="Model name (empty = the server's configured model)" value={draft.model} onValue={(v) => set("model", v)} disabled={off} maxLength={100} />
      <Field label="Input mode">
        <Choice value={draft.inputMode} disabled={off} options={INPUT_MODES.map((m) => ({ value: m, label: INPUT_LABELS[m] }))} onChange={(v) => set("inputMode", v)} />
      </Field>
      <InputField label="Best-of-N (1–8)" inputMode="numeric" value={draft.bestOfN} onValue={(v) => set("bestOfN", v)} disabled={off} />
      <Field label="Reward rules version">
        <Choice
          value={draft.rewardRulesVersion ?? ""}
          disabled={off}
          empty="The rules current on each day"
          options={project.options.rewardRulesVersions.map((d) => ({ value: d, label: `From ${d}` }))}
          onChange={(v) => set("rewardRulesVersion", v === "" ? null : v)}
        />
      </Field>
      <InputField label="Overlap share for agreement (%)" inputMode="numeric" value={draft.overlapShare} onValue={(v) => set("overlapShare", v)} disabled={off} />
      <InputField label="Gold share in trainees' queues (%)" inputMode="numeric" value={draft.goldShare} onValue={(v) => set("goldShare", v)} disabled={off} />
      <InputField label="Export split: test share (%)" inputMode="numeric" value={draft.testShare} onValue={(v) => set("testShare", v)} disabled={off} />
      <Field label="Pinned spec version">
        <Choice
          value={draft.specVersion}
          disabled={off}
          options={[...new Set([project.settings.specVersion, project.options.currentSpecVersion])].map((v) => ({
            value: v,
            label: v === project.options.currentSpecVersion ? `${v} (current)` : v,
          }))}
          onChange={(v) => set("specVersion", v)}
        />
      </Field>
      {canEdit && (
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : "Save settings"}
        </button>
      )}
    </form>
  );
}

