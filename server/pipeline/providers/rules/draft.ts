import type { Label } from "../../../../shared/labels";
import type { Primitive } from "../../../../shared/captionSpec/schema";
import type { CaptionFacts } from "../../../../shared/captionFacts";
import { PhrasingError, findSlots, parsePhrasing, realizePhrasingWithReasons } from "../../../../shared/captionSpec/phrasing";
import type { Missing, ParsedPhrasing } from "../../../../shared/captionSpec/phrasing";
import { orderedLabels } from "../../prompts";
import type { DraftTask } from "../../prompts";

/**
 * The rules provider's draft: grammatical English from the labels and the task's facts (its subjects and setting),
 * in the order of the aspect's sub-aspects. The subject caption opens by naming the subjects, the scene caption by
 * the setting; then one sentence per labelled primitive, realized from its phrasing in the spec (shared/captionSpec/
 * phrasing.ts). A sentence that would need a slot nobody filled is left out, never written with the slot. Not-sure
 * labels are left out (the annotator adds them through critique if they hold); a start→end pair reads "At the
 * start, …; by the end, …"; time ranges and free-text descriptions are appended. Deterministic.
 */

const seconds = (s: number) => `${Math.round(s * 10) / 10} s`;

export function sentence(clause: string): string {
  const t = clause.trim().replace(/\s+/g, " ").replace(/[.;,:\s]+$/, "");
  if (!t) return "";
  return `${t[0]?.toUpperCase() ?? ""}${t.slice(1)}.`;
}

function timeSuffix(l: Label): string {
  if (l.timeStart !== null && l.timeEnd !== null) {
    return l.timeEnd === l.timeStart ? ` at ${seconds(l.timeStart)}` : ` from ${seconds(l.timeStart)} to ${seconds(l.timeEnd)}`;
  }
  if (l.timeStart !== null) return ` from ${seconds(l.timeStart)}`;
  if (l.timeEnd !== null) return ` until ${seconds(l.timeEnd)}`;
  return "";
}

/** What the opening sentence of an aspect says from the facts alone (null: no opening). */
const OPENINGS: Partial<Record<DraftTask["aspect"], string>> = {
  subject: "the clip shows <subjects>",
  scene: "the clip takes place <setting>",
};

type Entry = { primitive: Primitive; label: Label };

/** Collects what each left-out sentence lacked, for the plain statement when nothing could be said. */
type Drafting = { facts: CaptionFacts; missing: Set<Missing> };

/** A phrasing outside the grammar cannot be trusted to have no slots: it is left out (the spec tests catch it). */
function tryParse(phrasing: string): ParsedPhrasing | null {
  try {
    return parsePhrasing(phrasing);
  } catch (err) {
    if (err instanceof PhrasingError) return null;
    throw err;
  }
}

/** A label's clause, or null when its phrasing cannot be realized from the facts and the note. */
function clause(d: Drafting, e: Entry): string | null {
  const parsed = tryParse(e.primitive.phrasing);
  if (!parsed) return null;
  const note = e.label.note?.trim().replace(/[.\s]+$/, "") ?? "";
  const { text, missing } = realizePhrasingWithReasons(parsed, d.facts, note);
  if (text === null) {
    for (const m of missing) d.missing.add(m);
    return null;
  }
  // The note filled the phrasing's one open slot; otherwise it is the labeller's description, appended.
  const appended = note && parsed.openSlots.length !== 1 && findSlots(note).length === 0 ? `: ${note}` : "";
  return `${text}${timeSuffix(e.label)}${appended}`;
}

function startEndSentences(d: Drafting, entries: Entry[]): string[] {
  const at = (e: Entry) => (e.label.value.kind === "start_end" ? e.label.value.at : "both");
  const clauses = (xs: Entry[]) => xs.map((e) => clause(d, e)).filter((c): c is string => c !== null);
  const out = clauses(entries.filter((e) => at(e) === "both")).map((c) => sentence(`${c} throughout`));
  const starts = clauses(entries.filter((e) => at(e) === "start")).join(" and ");
  const ends = clauses(entries.filter((e) => at(e) === "end")).join(" and ");
  if (starts && ends) out.push(sentence(`at the start, ${starts}; by the end, ${ends}`));
  else if (starts) out.push(sentence(`at the start, ${starts}`));
  else if (ends) out.push(sentence(`by the end, ${ends}`));
  return out;
}

/** Labels with a time come in time order after the untimed ones (which hold for the whole clip). */
const byTime = (a: Entry, b: Entry) => (a.label.timeStart ?? -1) - (b.label.timeStart ?? -1);

const MISSING_TEXT: Record<Missing, string> = {
  subjects: "the subjects",
  setting: "the setting",
  detail: "details only the annotator can give",
};

function orList(items: string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1] ?? ""}`;
}

export function composeDraft(task: DraftTask): string {
  const { aspect, sure } = orderedLabels(task.spec, task.aspect, task.labels);
  const d: Drafting = { facts: task.facts, missing: new Set() };
  const sentences: string[] = [];
  const opening = OPENINGS[task.aspect];
  const openingText = opening ? realizePhrasingWithReasons(opening, task.facts).text : null;
  if (openingText) sentences.push(sentence(openingText));
  for (const sub of aspect.subAspects) {
    const entries = sure.filter((x) => x.primitive.subAspect === sub.id);
    if (!entries.length) continue;
    if (sub.value === "start_end") sentences.push(...startEndSentences(d, entries));
    else {
      for (const e of [...entries].sort(byTime)) {
        const c = clause(d, e);
        if (c !== null) sentences.push(sentence(c));
      }
    }
  }
  if (sentences.length) return sentences.join(" ");
  const name = aspect.label.toLowerCase();
  if (!sure.length) return `No ${name} primitive was labelled as holding.`;
  const missing = (["subjects", "setting", "detail"] as const).filter((m) => d.missing.has(m)).map((m) => MISSING_TEXT[m]);
  return missing.length
    ? `No labelled ${name} primitive could be stated without ${orList(missing)}.`
    : `No labelled ${name} primitive could be stated.`;
}
