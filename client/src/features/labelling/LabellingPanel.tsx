import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { sameLabelSet, type LabelsResponse } from "../../../../shared/api/labels";
import type { Label } from "../../../../shared/labels";
import { validateLabels } from "../../../../shared/labelValidation";
import type { AspectSpec, Spec } from "../../../../shared/captionSpec/schema";
import { ApiError, errorMessage, isAbort } from "../../app/api";
import { isTypingTarget } from "../../ui/keys";
import { ASPECT_LABELS } from "../../ui/format";
import type { PlayerHandle } from "../player/types";
import { useSpec } from "../spec/useSpec";
import { clearLine, isPicked, labelForLine, lineKey, linesOf, patchLabel, pick, setTime, toLabel } from "./labelState";
import { labelsApi } from "./labelsApi";
import { DefinitionCard, KeyHelp, SaveStatus, Summary } from "./PanelParts";
import { chipId, SubAspectSection } from "./SubAspectSection";
import "./labelling.css";

type Props = { taskId: string; player: PlayerHandle | null };

/** The first stage of a task: tag which spec primitives hold in the clip. Loads the spec and the saved labels. */
export function LabellingPanel({ taskId, player }: Props) {
  const spec = useSpec();
  const [loaded, setLoaded] = useState<LabelsResponse | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    labelsApi.get(taskId, ctrl.signal).then(setLoaded, (err: unknown) => {
      if (!isAbort(err)) setLoadError(errorMessage(err));
    });
    return () => ctrl.abort();
  }, [taskId]);

  if (loadError || spec.status === "error") {
    return (
      <p className="alert alert-error" role="alert">
        {loadError ?? (spec.status === "error" ? spec.message : "")}
      </p>
    );
  }
  if (!loaded || spec.status !== "ready") return <p className="muted">Loading labels…</p>;
  const aspect = spec.spec.aspects.find((a) => a.aspect === loaded.aspect);
  if (!aspect) return <p className="alert alert-error">The spec has no {loaded.aspect} aspect.</p>;
  return <LabellingEditor key={taskId} spec={spec.spec} aspect={aspect} initial={loaded} player={player} />;
}

type EditorProps = { spec: Spec; aspect: AspectSpec; initial: LabelsResponse; player: PlayerHandle | null };

/** The panel once the spec and the saved labels are loaded (exported for component tests). */
export function LabellingEditor({ spec, aspect, initial, player }: EditorProps) {
  const [saved, setSaved] = useState(initial);
  const [labels, setLabels] = useState<Label[]>(() => initial.labels.map(toLabel));
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [focus, setFocus] = useState({ line: 0, item: 0 });
  const [hovered, setHovered] = useState<string | null>(null);
  const [showHelp, setShowHelp] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const linesRef = useRef<HTMLDivElement>(null);

  const lines = useMemo(() => linesOf(aspect.subAspects), [aspect]);
  const editable = saved.editable;
  const durationSec = player?.duration ?? saved.durationSec;
  const validation = useMemo(
    () => validateLabels(labels, spec, { aspect: aspect.aspect, durationSec }),
    [labels, spec, aspect, durationSec],
  );
  const storedLabels = useMemo(() => saved.labels.map(toLabel), [saved]);
  const dirty = !sameLabelSet(labels, storedLabels);
  const line = lines[focus.line];
  const focusedPrimitive = line?.subAspect.primitives[focus.item] ?? null;
  const current = line ? labelForLine(labels, line, focusedPrimitive?.id ?? null) : null;

  const save = useCallback(async () => {
    if (!editable || saving || !validation.canSave) return;
    setSaving(true);
    setSaveError(null);
    try {
      // The server stores exactly what was sent, so comparing against the response keeps edits made meanwhile dirty.
      setSaved(await labelsApi.put(saved.taskId, { labels }));
    } catch (err) {
      setSaveError(errorMessage(err));
      // The stage moved on (or rights changed) under us: show the labels read-only with the server's reason.
      if (err instanceof ApiError && (err.status === 409 || err.status === 403)) {
        setSaved((s) => ({ ...s, editable: false, readOnlyReason: err.message }));
      }
    } finally {
      setSaving(false);
    }
  }, [editable, saving, validation.canSave, saved.taskId, labels]);

  const edit = useCallback(
    (change: (labels: Label[]) => Label[]) => {
      if (!editable) return;
      setLabels((ls) => change(ls));
    },
    [editable],
  );

  const moveLine = (delta: number) =>
    setFocus((f) => {
      const next = Math.max(0, Math.min(lines.length - 1, f.line + delta));
      const nextLine = lines[next];
      // Land on the line's pick when it has one, so n / I / O act on it straight away.
      const pickedAt = nextLine ? nextLine.subAspect.primitives.findIndex((p) => isPicked(labels, nextLine, p.id)) : -1;
      return { line: next, item: pickedAt >= 0 ? pickedAt : 0 };
    });

  const pickAt = (lineIndex: number, item: number) => {
    const l = lines[lineIndex];
    const primitive = l?.subAspect.primitives[item];
    if (!l || !primitive) return;
    setFocus({ line: lineIndex, item });
    edit((ls) => pick(ls, l, primitive));
  };

  const markTime = (which: "start" | "end") => {
    if (!current || !player) return;
    const t = player.currentTime();
    edit((ls) => setTime(ls, current.primitiveId, which, t));
  };

  // Keys: one capture-phase listener, so the panel's keys win over the player's while the panel has focus, and
  // labelling keys still work while the video (or nothing) is focused.
  const onKey = useRef<(e: KeyboardEvent) => void>(() => undefined);
  onKey.current = (e: KeyboardEvent) => {
    const root = rootRef.current;
    if (!root) return;
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "s") {
      e.preventDefault();
      void save();
      return;
    }
    const target = e.target instanceof Node ? e.target : null;
    const inPanel = target !== null && root.contains(target);
    if (isTypingTarget(e.target)) {
      if (inPanel && e.key === "Escape") linesRef.current?.focus();
      return;
    }
    const free = target === null || target === document.body || target instanceof HTMLVideoElement;
    if (!(inPanel || free) || e.ctrlKey || e.metaKey || e.altKey) return;
    const onLines = target === linesRef.current;
    const handled = handleKey(e, inPanel, onLines);
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  const handleKey = (e: KeyboardEvent, inPanel: boolean, onLines: boolean): boolean => {
    const key = e.key;
    if (key === "ArrowDown" || key === "ArrowUp") {
      moveLine(key === "ArrowDown" ? 1 : -1);
      return true;
    }
    if (key === "Tab" && onLines && !e.shiftKey && focus.line < lines.length - 1) {
      moveLine(1);
      return true;
    }
    if (key === "Tab" && onLines && e.shiftKey && focus.line > 0) {
      moveLine(-1);
      return true;
    }
    // Plain ←/→ move within the line only while the panel has focus; elsewhere they step the player's frames.
    if ((key === "ArrowLeft" || key === "ArrowRight") && inPanel && !e.shiftKey && line) {
      const count = line.subAspect.primitives.length;
      setFocus((f) => ({ ...f, item: Math.max(0, Math.min(count - 1, f.item + (key === "ArrowRight" ? 1 : -1))) }));
      return true;
    }
    if (/^[0-9]$/.test(key) && !e.shiftKey) {
      pickAt(focus.line, key === "0" ? 9 : Number(key) - 1);
      return true;
    }
    if (key === "Enter" && onLines) {
      pickAt(focus.line, focus.item);
      return true;
    }
    const lower = key.toLowerCase();
    if (lower === "n" && current) {
      edit((ls) => patchLabel(ls, current.primitiveId, { notSure: !current.notSure }));
      return true;
    }
    if (lower === "i" || lower === "o") {
      markTime(lower === "i" ? "start" : "end");
      return true;
    }
    if (lower === "x" && current) {
      edit((ls) => patchLabel(ls, current.primitiveId, { timeStart: null, timeEnd: null }));
      return true;
    }
    if ((key === "Delete" || key === "Backspace") && inPanel && line) {
      edit((ls) => clearLine(ls, line));
      return true;
    }
    if (lower === "d" && current) {
      const box = byData(rootRef.current, "data-note", current.primitiveId);
      if (!(box instanceof HTMLTextAreaElement)) return false;
      box.focus();
      return true;
    }
    if (key === "?") {
      setShowHelp((s) => !s);
      return true;
    }
    return false;
  };

  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey.current(e);
    document.addEventListener("keydown", listener, true);
    return () => document.removeEventListener("keydown", listener, true);
  }, []);

  // Start with the keyboard in the panel: labelling is what this page is for in this stage.
  useEffect(() => {
    if (editable) linesRef.current?.focus({ preventScroll: true });
  }, [editable]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  useEffect(() => {
    if (!line) return;
    // Optional call: jsdom (component tests) has no scrollIntoView.
    byData(linesRef.current, "data-line", lineKey(line))?.scrollIntoView?.({ block: "nearest" });
  }, [line]);

  const shown = (hovered ? spec.primitives[hovered] : undefined) ?? focusedPrimitive;
  const errors = validation.problems.filter((p) => p.severity === "error");
  // Labels saved against an older spec (or another aspect) have no chip to un-pick: they are listed separately.
  const orphans = labels.filter((l) => spec.primitives[l.primitiveId]?.aspect !== aspect.aspect);
  const warnings = validation.problems.filter((p) => p.severity === "warning");

  return (
    <section className="labelling" ref={rootRef} aria-label="Primitive labels" data-dirty={dirty ? "true" : "false"}>
      <header className="labelling-head">
        <h2>
          Primitives <span className="muted">· {ASPECT_LABELS[aspect.aspect]}</span>
        </h2>
        <SaveStatus saved={saved} dirty={dirty} saving={saving} />
        {editable && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void save()}
            disabled={!dirty || saving || !validation.canSave}
            title={validation.canSave ? "Save (Ctrl+S)" : "Fix the errors first"}
          >
            {saving ? "Saving…" : "Save"} <kbd>Ctrl+S</kbd>
          </button>
        )}
      </header>
      {!editable && saved.readOnlyReason && (
        <p className="labelling-readonly" role="note">
          Read only: {saved.readOnlyReason}
        </p>
      )}
      {saveError && (
        <p className="alert alert-error" role="alert">
          {saveError}
        </p>
      )}
      <Summary errors={errors} warnings={warnings} canFinish={validation.canFinish} />

      <div
        className="labelling-lines"
        ref={linesRef}
        tabIndex={0}
        role="group"
        aria-label="Label keys: ↑/↓ sub-aspect, 1–9 pick, n not sure, I/O time range, Ctrl+S save"
        aria-activedescendant={focusedPrimitive && line ? chipId(line, focusedPrimitive) : undefined}
      >
        {aspect.subAspects.map((sub) => (
          <SubAspectSection
            key={sub.id}
            sub={sub}
            lines={lines}
            focus={focus}
            labels={labels}
            saved={saved.labels}
            problems={validation.problems.filter((p) => p.subAspect === sub.id)}
            editable={editable}
            player={player}
            onPick={(lineIndex, item) => {
              pickAt(lineIndex, item);
              linesRef.current?.focus({ preventScroll: true });
            }}
            onFocusItem={(lineIndex, item) => setFocus({ line: lineIndex, item })}
            onHover={setHovered}
            onPatch={(id, patch) => edit((ls) => patchLabel(ls, id, patch))}
            onTime={(id, which) => player && edit((ls) => setTime(ls, id, which, player.currentTime()))}
          />
        ))}
      </div>

      {orphans.length > 0 && (
        <div className="labelling-orphans" role="group" aria-label="Labels the spec no longer has">
          <p className="problem-error">These labels are not in this aspect of spec {spec.version}; remove them to save:</p>
          {orphans.map((l) => (
            <span key={l.primitiveId} className="orphan">
              <code>{l.primitiveId}</code>
              {editable && (
                <button
                  type="button"
                  className="btn btn-small btn-quiet"
                  aria-label={`Remove ${l.primitiveId}`}
                  onClick={() => edit((ls) => ls.filter((x) => x.primitiveId !== l.primitiveId))}
                >
                  ×
                </button>
              )}
            </span>
          ))}
        </div>
      )}
      {shown && <DefinitionCard primitive={shown} />}
      <KeyHelp open={showHelp} onToggle={() => setShowHelp((s) => !s)} />
    </section>
  );
}

/** The element under `root` whose attribute equals `value` (compared as a string, so no selector escaping). */
function byData(root: HTMLElement | null, attr: string, value: string): HTMLElement | undefined {
  return root ? Array.from(root.querySelectorAll<HTMLElement>(`[${attr}]`)).find((el) => el.getAttribute(attr) === value) : undefined;
}
