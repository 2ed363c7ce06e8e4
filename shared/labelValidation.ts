import type { Aspect } from "./domain";
import type { Label } from "./labels";
import type { Primitive, Spec, SubAspect, ValueKind } from "./captionSpec/schema";
import type { CaptionFacts } from "./captionFacts";

/**
 * Validation of a whole label set against the spec. Pure: the labelling panel runs it live on every change and the
 * server runs it again before saving, so both always agree on what is wrong.
 *
 * Two severities:
 *  - error:   the set is inconsistent and must not be saved (unknown primitive, two choices where one is allowed…);
 *  - warning: the set may be saved as work in progress but labelling cannot be finished (a required sub-aspect is
 *             unanswered, a start→end pair has no end yet, the aspect's subject or setting is not named).
 */

export type LabelProblemCode =
  | "unknown_primitive"
  | "wrong_aspect"
  | "duplicate"
  | "wrong_value_kind"
  | "one_of_multiple"
  | "start_multiple"
  | "end_multiple"
  | "end_without_start"
  | "start_without_end"
  | "needs_description"
  | "time_out_of_range"
  | "unanswered"
  | "needs_subject"
  | "needs_setting"
  /** A subject or setting typed so it cannot be saved (the labelling panel's check of its own inputs). */
  | "invalid_fact";

export type LabelProblem = {
  severity: "error" | "warning";
  code: LabelProblemCode;
  message: string;
  /** The label the problem is about, when it is about one. */
  primitiveId?: string;
  /** The sub-aspect the problem is about (always set when the primitive is known). */
  subAspect?: string;
};

export type LabelValidation = {
  problems: LabelProblem[];
  /** No errors: the set may be saved. */
  canSave: boolean;
  /** No errors and no warnings: labelling may be finished. */
  canFinish: boolean;
  /** Ids of required single-choice and start→end sub-aspects with nothing labelled. */
  unanswered: string[];
};

/** The part of the spec validation reads (a test can pass a small hand-made spec). */
export type LabelSpec = Pick<Spec, "aspects" | "primitives">;

export type ValidateOptions = {
  /** The task's aspect: labels must belong to it, and its required sub-aspects must be answered. */
  aspect: Aspect;
  /** The clip's length in seconds, when known; time ranges must lie within it. */
  durationSec?: number | null;
  /** The task's subjects and setting: when given, what the aspect needs named is checked too (FACTS_NEEDED).
   *  Every finish check passes them; leaving them out checks the primitives alone. */
  facts?: CaptionFacts;
};

/**
 * What each aspect's captions need named in the labelling step before labelling is finished: the subject, motion
 * and spatial captions are about someone or something, the scene caption about a place; camera captions are about
 * the camera. Saving without them is always fine (work in progress).
 */
export const FACTS_NEEDED: Record<Aspect, { subject: boolean; setting: boolean }> = {
  subject: { subject: true, setting: false },
  scene: { subject: false, setting: true },
  motion: { subject: true, setting: false },
  spatial: { subject: true, setting: false },
  camera: { subject: false, setting: false },
};

/** The facts an aspect still needs, as warnings in words (they block finishing, not saving). */
export function factsProblems(facts: CaptionFacts, aspect: Aspect): LabelProblem[] {
  const needed = FACTS_NEEDED[aspect];
  const problems: LabelProblem[] = [];
  if (needed.subject && !facts.subjects.some((s) => s.phrase.trim() !== "")) {
    problems.push({
      severity: "warning",
      code: "needs_subject",
      message: "Name at least one subject (who or what the clip shows, as a short noun phrase) before finishing labelling.",
    });
  }
  if (needed.setting && !(facts.setting ?? "").trim()) {
    problems.push({
      severity: "warning",
      code: "needs_setting",
      message: 'Write the setting (where the clip takes place, starting with its preposition: "on a pebble beach") before finishing labelling.',
    });
  }
  return problems;
}

/** The value kind each primitive value kind expects, for messages. */
const EXPECTED_VALUE: Record<ValueKind, Label["value"]["kind"]> = {
  yes_no: "yes",
  one_of: "selected",
  start_end: "start_end",
};

/** Floating-point slack for a playhead time that lands a hair past the reported duration. */
const DURATION_SLACK_SEC = 0.05;

export function validateLabels(labels: readonly Label[], spec: LabelSpec, opts: ValidateOptions): LabelValidation {
  const problems: LabelProblem[] = [];
  const seen = new Set<string>();
  /** Known, well-formed labels of this aspect, grouped by sub-aspect. */
  const bySubAspect = new Map<string, { label: Label; primitive: Primitive }[]>();

  for (const label of labels) {
    const primitive = spec.primitives[label.primitiveId];
    if (!primitive) {
      problems.push(error("unknown_primitive", `"${label.primitiveId}" is not a primitive of the spec.`, label.primitiveId));
      continue;
    }
    const at = { primitiveId: primitive.id, subAspect: primitive.subAspect };
    if (seen.has(primitive.id)) {
      problems.push({ ...error("duplicate", `${primitive.label} is labelled more than once.`), ...at });
      continue;
    }
    seen.add(primitive.id);
    if (primitive.aspect !== opts.aspect) {
      problems.push({
        ...error("wrong_aspect", `${primitive.label} belongs to the ${primitive.aspect} aspect, not ${opts.aspect}.`),
        ...at,
      });
      continue;
    }
    if (label.value.kind !== EXPECTED_VALUE[primitive.value]) {
      problems.push({
        ...error(
          "wrong_value_kind",
          `${primitive.label} takes a ${describeKind(primitive.value)} value, not "${label.value.kind}".`,
        ),
        ...at,
      });
      continue;
    }
    if (primitive.needsDescription && !(label.note ?? "").trim()) {
      problems.push({ ...error("needs_description", `A complex move needs a description: describe ${primitive.label}.`), ...at });
    }
    const timeProblem = checkTime(label, opts.durationSec);
    if (timeProblem) problems.push({ ...error("time_out_of_range", `${primitive.label}: ${timeProblem}`), ...at });

    const group = bySubAspect.get(primitive.subAspect) ?? [];
    group.push({ label, primitive });
    bySubAspect.set(primitive.subAspect, group);
  }

  const aspectSpec = spec.aspects.find((a) => a.aspect === opts.aspect);
  const unanswered: string[] = [];
  for (const sub of aspectSpec?.subAspects ?? []) {
    const group = bySubAspect.get(sub.id) ?? [];
    problems.push(...checkSubAspect(sub, group));
    // A yes/no sub-aspect with nothing picked is an answer ("none of these hold": an absent row means "does not
    // hold"), so only single-choice and start→end sub-aspects can be left unanswered.
    if (!sub.optional && sub.value !== "yes_no" && group.length === 0) {
      unanswered.push(sub.id);
      problems.push({
        severity: "warning",
        code: "unanswered",
        message: `${sub.label} is unanswered.`,
        subAspect: sub.id,
      });
    }
  }

  if (opts.facts) problems.push(...factsProblems(opts.facts, opts.aspect));

  const hasError = problems.some((p) => p.severity === "error");
  return { problems, canSave: !hasError, canFinish: problems.length === 0, unanswered };
}

/** Rules that need the sub-aspect's whole selection: single choice, and start→end pairs. */
function checkSubAspect(sub: SubAspect, group: { label: Label; primitive: Primitive }[]): LabelProblem[] {
  const problems: LabelProblem[] = [];
  if (sub.value === "one_of" && group.length > 1) {
    problems.push({
      ...error("one_of_multiple", `${sub.label}: choose one, not ${group.length} (${names(group)}).`),
      subAspect: sub.id,
    });
  }
  if (sub.value === "start_end") {
    const atStart = group.filter((g) => g.label.value.kind === "start_end" && g.label.value.at !== "end");
    const atEnd = group.filter((g) => g.label.value.kind === "start_end" && g.label.value.at !== "start");
    if (atStart.length > 1) {
      problems.push({
        ...error("start_multiple", `${sub.label}: only one value at the start, not ${atStart.length} (${names(atStart)}).`),
        subAspect: sub.id,
      });
    }
    if (atEnd.length > 1) {
      problems.push({
        ...error("end_multiple", `${sub.label}: only one value at the end, not ${atEnd.length} (${names(atEnd)}).`),
        subAspect: sub.id,
      });
    }
    if (atEnd.length > 0 && atStart.length === 0) {
      problems.push({
        ...error("end_without_start", `${sub.label}: an end value needs a start value.`),
        subAspect: sub.id,
        primitiveId: atEnd[0]?.primitive.id,
      });
    }
    if (atStart.length > 0 && atEnd.length === 0) {
      // Saving half a pair is normal work in progress; it only has to be completed before labelling is finished.
      problems.push({
        severity: "warning",
        code: "start_without_end",
        message: `${sub.label}: choose the end value (the same as the start when nothing changes).`,
        subAspect: sub.id,
        primitiveId: atStart[0]?.primitive.id,
      });
    }
  }
  return problems;
}

function checkTime(label: Label, durationSec: number | null | undefined): string | null {
  const limit = durationSec != null && Number.isFinite(durationSec) && durationSec > 0 ? durationSec : null;
  if (label.timeStart !== null && label.timeEnd !== null && label.timeEnd < label.timeStart) {
    return "the time range ends before it starts.";
  }
  if (limit === null) return null;
  for (const t of [label.timeStart, label.timeEnd]) {
    if (t !== null && t > limit + DURATION_SLACK_SEC) {
      return `the time range (${formatSec(t)}) lies beyond the end of the clip (${formatSec(limit)}).`;
    }
  }
  return null;
}

function error(code: LabelProblemCode, message: string, primitiveId?: string): LabelProblem {
  return primitiveId === undefined ? { severity: "error", code, message } : { severity: "error", code, message, primitiveId };
}

function names(group: { primitive: Primitive }[]): string {
  return group.map((g) => g.primitive.label).join(", ");
}

function describeKind(kind: ValueKind): string {
  return kind === "yes_no" ? "yes/no" : kind === "one_of" ? "single-choice" : "start→end";
}

function formatSec(t: number): string {
  return `${Math.round(t * 100) / 100} s`;
}
