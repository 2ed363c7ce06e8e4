import type { SuggestedFacts } from "../../../../shared/api/labels";
import { CaptionFacts, MAX_SUBJECTS, SubjectFact, type Pronoun } from "../../../../shared/captionFacts";
import type { Aspect } from "../../../../shared/domain";

/**
 * The subjects and setting as the panel edits them (pure). Rows carry a key so React keeps each row's inputs while
 * rows are added, removed and reordered; a row whose phrase is still blank is work in progress and is left out of
 * what is saved, so saving is never blocked by an empty row just added.
 */

export type SubjectRow = { key: number; phrase: string; plural: boolean; pronoun: Pronoun };
export type FactsDraft = { subjects: SubjectRow[]; setting: string };

let nextKey = 1;
const newKey = () => nextKey++;

export function toDraft(facts: CaptionFacts): FactsDraft {
  return {
    subjects: facts.subjects.map((s) => ({ key: newKey(), phrase: s.phrase, plural: s.plural, pronoun: s.pronoun })),
    setting: facts.setting ?? "",
  };
}

/** What is saved: rows with a phrase, trimmed; a blank setting is none. */
export function toFacts(draft: FactsDraft): CaptionFacts {
  const setting = draft.setting.trim();
  return {
    subjects: draft.subjects
      .filter((s) => s.phrase.trim() !== "")
      .map((s) => ({ phrase: s.phrase.trim(), plural: s.plural, pronoun: s.plural ? "they" : s.pronoun })),
    setting: setting === "" ? null : setting,
  };
}

/** Why a row cannot be saved as it is, in words; null when it can (a blank row is simply not saved). */
export function rowProblem(row: SubjectRow): string | null {
  if (row.phrase.trim() === "") return null;
  const parsed = SubjectFact.safeParse({ phrase: row.phrase, plural: row.plural, pronoun: row.plural ? "they" : row.pronoun });
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? "this subject cannot be saved");
}

/** Why the setting cannot be saved as it is, in words; null when it can. */
export function settingProblem(setting: string): string | null {
  const parsed = CaptionFacts.safeParse({ subjects: [], setting: setting.trim() === "" ? null : setting });
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? "the setting cannot be saved");
}

/** Every problem that blocks saving the facts, in words. */
export function factsErrors(draft: FactsDraft): string[] {
  const rows = draft.subjects.flatMap((row, i) => {
    const p = rowProblem(row);
    return p ? [`Subject ${i + 1}: ${p}.`] : [];
  });
  const setting = settingProblem(draft.setting);
  const tooMany = toFacts(draft).subjects.length > MAX_SUBJECTS ? [`At most ${MAX_SUBJECTS} subjects.`] : [];
  return [...rows, ...(setting ? [`Setting: ${setting}.`] : []), ...tooMany];
}

export const addRow = (d: FactsDraft): FactsDraft =>
  d.subjects.length >= MAX_SUBJECTS ? d : { ...d, subjects: [...d.subjects, { key: newKey(), phrase: "", plural: false, pronoun: "it" }] };

export const removeRow = (d: FactsDraft, key: number): FactsDraft => ({ ...d, subjects: d.subjects.filter((s) => s.key !== key) });

/** Moves a row up (-1) or down (+1): the order is the subjects' prominence. */
export function moveRow(d: FactsDraft, key: number, by: -1 | 1): FactsDraft {
  const from = d.subjects.findIndex((s) => s.key === key);
  const to = from + by;
  if (from < 0 || to < 0 || to >= d.subjects.length) return d;
  const subjects = [...d.subjects];
  const [row] = subjects.splice(from, 1);
  if (row) subjects.splice(to, 0, row);
  return { ...d, subjects };
}

/** A change to one row; marking it plural makes its pronoun "they" (a plural subject is referred to as "they"). */
export function patchRow(d: FactsDraft, key: number, patch: Partial<Omit<SubjectRow, "key">>): FactsDraft {
  return {
    ...d,
    subjects: d.subjects.map((s) => {
      if (s.key !== key) return s;
      const next = { ...s, ...patch };
      return next.plural ? { ...next, pronoun: "they" } : next;
    }),
  };
}

/**
 * The suggestion the "use the … task's" button takes the subjects from: the subject task's when it names subjects,
 * else the newest that does. Its setting comes along; when it has none, the scene task's (else the newest) is used.
 */
export function pickSuggestion(suggested: readonly SuggestedFacts[]): { from: Aspect; facts: CaptionFacts } | null {
  const withSubjects = suggested.filter((s) => s.facts.subjects.length > 0);
  const withSetting = suggested.filter((s) => s.facts.setting);
  const source = withSubjects.find((s) => s.aspect === "subject") ?? withSubjects[0];
  const settingSource = withSetting.find((s) => s.aspect === "scene") ?? withSetting[0];
  const from = source ?? settingSource;
  if (!from) return null;
  return { from: from.aspect, facts: { subjects: source?.facts.subjects ?? [], setting: source?.facts.setting ?? settingSource?.facts.setting ?? null } };
}

/** Fills the draft from a suggestion: its subjects replace the rows; its setting fills a blank setting only. */
export function fillFrom(d: FactsDraft, facts: CaptionFacts): FactsDraft {
  const filled = toDraft(facts);
  return {
    subjects: facts.subjects.length > 0 ? filled.subjects : d.subjects,
    setting: d.setting.trim() === "" ? filled.setting : d.setting,
  };
}
