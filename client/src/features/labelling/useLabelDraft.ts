import { useCallback, useEffect, useMemo, useState } from "react";
import { sameFacts, sameLabelSet, type LabelsResponse } from "../../../../shared/api/labels";
import type { Label } from "../../../../shared/labels";
import { validateLabels } from "../../../../shared/labelValidation";
import type { AspectSpec, Spec } from "../../../../shared/captionSpec/schema";
import { ApiError, errorMessage } from "../../app/api";
import { toLabel } from "./labelState";
import { factsErrors, toDraft, toFacts, type FactsDraft } from "./factsState";
import { labelsApi } from "./labelsApi";

/**
 * The labels and the facts (subjects and setting) being edited against the last saved ones: validation, dirtiness,
 * saving (both go in one PUT). Whether they may be edited is the server's answer (`editable` in the labels
 * response), turned off when a save is refused.
 */
export function useLabelDraft(initial: LabelsResponse, spec: Spec, aspect: AspectSpec, playerDuration: number | null | undefined) {
  const [saved, setSaved] = useState(initial);
  const [labels, setLabels] = useState<Label[]>(() => initial.labels.map(toLabel));
  const [factsDraft, setFactsDraft] = useState<FactsDraft>(() => toDraft(initial.facts));
  const facts = useMemo(() => toFacts(factsDraft), [factsDraft]);
  const factsProblems = useMemo(() => factsErrors(factsDraft), [factsDraft]);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const editable = saved.editable;
  const durationSec = playerDuration ?? saved.durationSec;
  const labelValidation = useMemo(
    () => validateLabels(labels, spec, { aspect: aspect.aspect, durationSec, facts }),
    [labels, spec, aspect, durationSec, facts],
  );
  // Facts that cannot be saved as typed block saving (and so finishing) like a label error does.
  const validation = useMemo(
    () => ({
      ...labelValidation,
      canSave: labelValidation.canSave && factsProblems.length === 0,
      canFinish: labelValidation.canFinish && factsProblems.length === 0,
    }),
    [labelValidation, factsProblems],
  );
  const storedLabels = useMemo(() => saved.labels.map(toLabel), [saved]);
  const dirty = !sameLabelSet(labels, storedLabels) || !sameFacts(facts, saved.facts);

  /** Resolves to whether the labels on the server are now the ones on screen. */
  const save = useCallback(async (): Promise<boolean> => {
    if (!editable || saving || !validation.canSave) return false;
    setSaving(true);
    setSaveError(null);
    try {
      // The server stores exactly what was sent, so comparing against the response keeps edits made meanwhile dirty.
      setSaved(await labelsApi.put(saved.taskId, { labels, facts }));
      return true;
    } catch (err) {
      setSaveError(errorMessage(err));
      // The stage moved on (or rights changed) under us: show the labels read-only with the server's reason.
      if (err instanceof ApiError && (err.status === 409 || err.status === 403)) {
        setSaved((s) => ({ ...s, editable: false, readOnlyReason: err.message }));
      }
      return false;
    } finally {
      setSaving(false);
    }
  }, [editable, saving, validation.canSave, saved.taskId, labels, facts]);

  const edit = useCallback(
    (change: (labels: Label[]) => Label[]) => {
      if (!editable) return;
      setLabels((ls) => change(ls));
    },
    [editable],
  );

  const editFacts = useCallback(
    (change: (draft: FactsDraft) => FactsDraft) => {
      if (!editable) return;
      setFactsDraft((d) => change(d));
    },
    [editable],
  );

  // Unsaved labels: the browser asks before the page is left.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  return { saved, labels, factsDraft, factsProblems, editable, validation, dirty, saving, saveError, save, edit, editFacts };
}

export type LabelDraft = ReturnType<typeof useLabelDraft>;
