import { useCallback, useEffect, useMemo, useState } from "react";
import { lintCaption, type Finding } from "../../../../shared/captionSpec/lint";
import type { Aspect } from "../../../../shared/domain";
import { labelsApi } from "../labelling/labelsApi";
import { useSpec } from "../spec/useSpec";
import type { PrimitiveOption } from "./CritiquePanel";

export type SpecLint = {
  /** Soft warnings on a critique field's text. */
  lintText(text: string): Finding[];
  /** Soft warnings on the draft, checked against the primitives the task was labelled with. */
  draftFindings: Finding[];
  /** The aspect's primitives, offered to a critique item. */
  primitives: PrimitiveOption[];
};

/** The caption specification's lint (soft warnings) for the room's draft and critique. */
export function useSpecLint(taskId: string, aspect: Aspect, draft: string): SpecLint {
  const spec = useSpec();
  const [labelled, setLabelled] = useState<string[]>([]);
  useEffect(() => {
    const ctl = new AbortController();
    labelsApi.get(taskId, ctl.signal).then((r) => setLabelled(r.labels.map((l) => l.primitiveId)), () => undefined);
    return () => ctl.abort();
  }, [taskId]);
  const lintText = useCallback(
    (text: string): Finding[] =>
      spec.status === "ready" && text.trim()
        ? lintCaption(text, { spec: spec.spec, lexicon: spec.lexicon, aspect }).filter((f) => f.rule !== "missing")
        : [],
    [spec, aspect],
  );
  const draftFindings = useMemo(
    () => (spec.status === "ready" && draft.trim() ? lintCaption(draft, { spec: spec.spec, lexicon: spec.lexicon, aspect, primitives: labelled }) : []),
    [spec, draft, aspect, labelled],
  );
  const primitives = useMemo<PrimitiveOption[]>(
    () =>
      spec.status === "ready"
        ? Object.values(spec.spec.primitives)
            .filter((p) => p.aspect === aspect)
            .map((p) => ({ id: p.id, label: p.label }))
        : [],
    [spec, aspect],
  );
  return { lintText, draftFindings, primitives };
}
