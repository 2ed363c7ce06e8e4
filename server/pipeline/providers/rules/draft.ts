import type { Label } from "../../../../shared/labels";
import type { Primitive } from "../../../../shared/captionSpec/schema";
import { orderedLabels } from "../../prompts";
import type { DraftTask } from "../../prompts";

/**
 * The rules provider's draft: one sentence per labelled fact, built from each primitive's phrasing in the spec, in
 * the order of the aspect's sub-aspects. Not-sure labels are left out (the annotator adds them through critique if
 * they hold); a start→end pair reads "At the start, …; by the end, …"; time ranges and free-text descriptions are
 * appended. Deterministic: the same labels always give the same text.
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

function clause(p: Primitive, l: Label): string {
  const phrasing = p.phrasing.trim().replace(/[.\s]+$/, "");
  const note = l.note?.trim().replace(/[.\s]+$/, "");
  return `${phrasing}${timeSuffix(l)}${note ? `: ${note}` : ""}`;
}

type Entry = { primitive: Primitive; label: Label };

function startEndSentences(entries: Entry[]): string[] {
  const at = (e: Entry) => (e.label.value.kind === "start_end" ? e.label.value.at : "both");
  const both = entries.filter((e) => at(e) === "both");
  const starts = entries.filter((e) => at(e) === "start");
  const ends = entries.filter((e) => at(e) === "end");
  const out = both.map((e) => sentence(`${clause(e.primitive, e.label)} throughout`));
  const join = (xs: Entry[]) => xs.map((e) => clause(e.primitive, e.label)).join(" and ");
  if (starts.length && ends.length) out.push(sentence(`at the start, ${join(starts)}; by the end, ${join(ends)}`));
  else if (starts.length) out.push(sentence(`at the start, ${join(starts)}`));
  else if (ends.length) out.push(sentence(`by the end, ${join(ends)}`));
  return out;
}

/** Labels with a time come in time order after the untimed ones (which hold for the whole clip). */
const byTime = (a: Entry, b: Entry) => (a.label.timeStart ?? -1) - (b.label.timeStart ?? -1);

export function composeDraft(task: DraftTask): string {
  const { aspect, sure } = orderedLabels(task.spec, task.aspect, task.labels);
  const sentences: string[] = [];
  for (const sub of aspect.subAspects) {
    const entries = sure.filter((x) => x.primitive.subAspect === sub.id);
    if (!entries.length) continue;
    if (sub.value === "start_end") sentences.push(...startEndSentences(entries));
    else sentences.push(...[...entries].sort(byTime).map((e) => sentence(clause(e.primitive, e.label))));
  }
  if (!sentences.length) return `No ${aspect.label.toLowerCase()} primitive was labelled as holding.`;
  return sentences.join(" ");
}
