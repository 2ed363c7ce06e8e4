import { useEffect, useRef, useState } from "react";
import type { LabelsResponse } from "../../../../shared/api/labels";
import type { AspectSpec, Spec } from "../../../../shared/captionSpec/schema";
import type { LabelProblem } from "../../../../shared/labelValidation";
import type { PlayerHandle } from "../player/types";
import { CaptionFactsPanel } from "./CaptionFactsPanel";
import { byData } from "./domQuery";
import { LabellingHeader } from "./LabellingHeader";
import { lineKey, patchLabel, setTime } from "./labelState";
import { OrphanLabels } from "./OrphanLabels";
import { DefinitionCard, KeyHelp, Summary } from "./PanelParts";
import { chipId, SubAspectSection } from "./SubAspectSection";
import { useLabelCursor } from "./useLabelCursor";
import { useFinishLabelling } from "./useFinishLabelling";
import { useLabelDraft } from "./useLabelDraft";
import { useLabellingKeys } from "./useLabellingKeys";
import "./labelling.css";

type Props = {
  spec: Spec;
  aspect: AspectSpec;
  initial: LabelsResponse;
  player: PlayerHandle | null;
  /** The server offers this person "finish labelling" (their abilities). */
  canFinish?: boolean;
  /** Labelling is finished and the draft requested: the page moves on to the room. */
  onFinished?(): void;
};

const noop = () => undefined;

const isFactsProblem = (p: LabelProblem) => p.code === "needs_subject" || p.code === "needs_setting";
/** A fact typed so it cannot be saved, as a problem of the summary (the shared validation sees only saved facts). */
const factsError = (message: string): LabelProblem => ({ severity: "error", code: "invalid_fact", message });

/** The labelling panel once the spec and the saved labels are loaded (exported for component tests). */
export function LabellingEditor({ spec, aspect, initial, player, canFinish = false, onFinished = noop }: Props) {
  const draft = useLabelDraft(initial, spec, aspect, player?.duration);
  const finish = useFinishLabelling(initial.taskId, draft, canFinish && draft.editable, onFinished);
  const { labels, editable, validation, edit } = draft;
  const cursor = useLabelCursor(aspect, labels, edit, player);
  const { lines, focus, line, focusedPrimitive } = cursor;
  const [hovered, setHovered] = useState<string | null>(null);
  const [showHelp, setShowHelp] = useState(false);
  const rootRef = useRef<HTMLElement>(null);
  const linesRef = useRef<HTMLDivElement>(null);

  useLabellingKeys({ rootRef, linesRef, cursor, edit, save: draft.save, finish: finish.finish, toggleHelp: () => setShowHelp((s) => !s) });

  // Start with the keyboard in the panel: labelling is what this page is for in this stage.
  useEffect(() => {
    if (editable) linesRef.current?.focus({ preventScroll: true });
  }, [editable]);

  useEffect(() => {
    if (!line) return;
    // Optional call: jsdom (component tests) has no scrollIntoView.
    byData(linesRef.current, "data-line", lineKey(line))?.scrollIntoView?.({ block: "nearest" });
  }, [line]);

  const shown = (hovered ? spec.primitives[hovered] : undefined) ?? focusedPrimitive;
  const errors = [...validation.problems.filter((p) => p.severity === "error"), ...draft.factsProblems.map(factsError)];
  const warnings = validation.problems.filter((p) => p.severity === "warning");
  const orphans = labels.filter((l) => spec.primitives[l.primitiveId]?.aspect !== aspect.aspect);

  return (
    <section className="labelling" ref={rootRef} aria-label="Primitive labels" data-dirty={draft.dirty ? "true" : "false"}>
      <LabellingHeader aspect={aspect} draft={draft} finish={finish} />
      <Summary errors={errors} warnings={warnings} canFinish={validation.canFinish} />

      <CaptionFactsPanel
        aspect={aspect.aspect}
        draft={draft.factsDraft}
        editable={editable}
        suggested={draft.saved.suggestedFacts}
        missing={warnings.filter(isFactsProblem)}
        onChange={draft.editFacts}
      />

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
            saved={draft.saved.labels}
            problems={validation.problems.filter((p) => p.subAspect === sub.id)}
            editable={editable}
            player={player}
            onPick={(lineIndex, item) => {
              cursor.pickAt(lineIndex, item);
              linesRef.current?.focus({ preventScroll: true });
            }}
            onFocusItem={(lineIndex, item) => cursor.setFocus({ line: lineIndex, item })}
            onHover={setHovered}
            onPatch={(id, patch) => edit((ls) => patchLabel(ls, id, patch))}
            onTime={(id, which) => player && edit((ls) => setTime(ls, id, which, player.currentTime()))}
          />
        ))}
      </div>

      <OrphanLabels
        orphans={orphans}
        specVersion={spec.version}
        editable={editable}
        onRemove={(id) => edit((ls) => ls.filter((x) => x.primitiveId !== id))}
      />
      {shown && <DefinitionCard primitive={shown} />}
      <KeyHelp open={showHelp} onToggle={() => setShowHelp((s) => !s)} />
    </section>
  );
}
