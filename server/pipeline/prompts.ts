import { createHash } from "node:crypto";
import type { Aspect } from "../../shared/domain";
import type { Label } from "../../shared/labels";
import type { AspectSpec, Primitive, Spec } from "../../shared/captionSpec/schema";
import type { Lexicon } from "../../shared/captionSpec/lexicon";
import { errorTypeText, formatClipTime, renderCritique, sortByTime } from "../../shared/critique/items";
import type { CritiqueItem } from "../../shared/critique/items";
import type { CaptionFacts } from "../../shared/captionFacts";
import { joinSubjects } from "../../shared/captionSpec/phrasing";

/**
 * The prompts of the CHAI loop. Each builder returns the prose a model reads, a hash of it (stored with drafts and
 * rounds so a result can be traced to its exact prompt), and the structured inputs behind it, which the rules
 * provider uses instead of parsing prose.
 */

/** A critique item with its span resolved on the draft's plain text (null for time-only or orphaned items). */
export type RevisionItem = CritiqueItem & { span: { from: number; to: number } | null };

export type DraftTask = {
  kind: "draft";
  spec: Spec;
  aspect: Aspect;
  labels: Label[];
  /** The subjects and setting the annotator named in the labelling step (shared/captionFacts.ts). */
  facts: CaptionFacts;
  /** Approved captions of the aspects this one reads (motion reads subject; spatial reads subject and scene). */
  dependencies: Partial<Record<Aspect, string>>;
};
export type RevisionTask = {
  kind: "revision";
  draft: string;
  items: RevisionItem[];
  /** The spec linter's inputs: the rules provider removes the subjective words it flags. */
  lint?: { spec: Spec; lexicon: Lexicon; aspect: Aspect };
  /** Without `lint`: subjective words to strip (the rules provider has a default list). */
  subjectiveTerms?: string[];
};
export type PolishTask = { kind: "polish"; draft: string; items: CritiqueItem[] };
export type JudgeTask = { kind: "judge"; draft: string; items: RevisionItem[]; candidate: string };
export type RulesTask = DraftTask | RevisionTask | PolishTask | JudgeTask;

export type Prompt<T extends RulesTask = RulesTask> = { system: string; user: string; hash: string; task: T };

/** SHA-256 (hex) of the canonical prompt: the system and user text, in a fixed JSON form. */
export function promptHash(system: string, user: string): string {
  return createHash("sha256").update(JSON.stringify({ system, user })).digest("hex");
}

const bullet = (lines: readonly string[]) => lines.map((l) => `- ${l}`).join("\n");
const seconds = (s: number) => `${Math.round(s * 10) / 10} s`;

/** A prompt from its system text and its user sections (separated by a blank line), with its hash. */
function prompt<T extends RulesTask>(system: string, sections: string[], task: T): Prompt<T> {
  const user = sections.join("\n\n");
  return { system, user, hash: promptHash(system, user), task };
}

function aspectOf(spec: Spec, aspect: Aspect): AspectSpec {
  const a = spec.aspects.find((x) => x.aspect === aspect);
  if (!a) throw new Error(`The spec has no ${aspect} aspect.`);
  return a;
}

function labelLine(p: Primitive, l: Label, subAspectLabel: string): string {
  const facts = [`${subAspectLabel}: ${p.label} (${p.id})`, `definition: ${p.definition}`, `phrasing: "${p.phrasing}"`];
  if (l.value.kind === "start_end") {
    facts.push(l.value.at === "both" ? "holds from start to end" : `holds at the ${l.value.at}`);
  }
  if (l.timeStart !== null || l.timeEnd !== null) {
    const from = l.timeStart !== null ? `from ${seconds(l.timeStart)}` : "";
    const to = l.timeEnd !== null ? `to ${seconds(l.timeEnd)}` : "";
    facts.push(`time: ${[from, to].filter(Boolean).join(" ")}`);
  }
  if (l.note?.trim()) facts.push(`labeller's description: ${l.note.trim()}`);
  if (p.avoid.length) facts.push(`avoid: ${p.avoid.map((a) => `"${a}"`).join(", ")}`);
  return facts.join("; ");
}

const NUMBER_AND_PRONOUNS: Record<CaptionFacts["subjects"][number]["pronoun"], string> = {
  he: "he/him/his",
  she: "she/her/her",
  it: "it/it/its",
  they: "they/them/their",
};

/** The subjects and the setting, as ground truth in a section of their own: what fills the phrasings' slots. */
function factsSection(facts: CaptionFacts): string {
  const subjects = facts.subjects.map(
    (s, i) =>
      `Subject ${i + 1}${i === 0 ? " (<subject>)" : ""}: "${s.phrase}" — ${s.plural ? "plural" : "singular"}; pronouns ${NUMBER_AND_PRONOUNS[s.pronoun]}`,
  );
  if (facts.subjects.length > 1) subjects.push(`All subjects (<subjects>): "${joinSubjects(facts.subjects)}" — plural; pronouns they/them/their`);
  const lines = [
    ...(subjects.length ? subjects : ["No subjects were named: leave out what would need them."]),
    facts.setting?.trim()
      ? `Setting (<setting>): "${facts.setting.trim()}"`
      : "No setting was named: leave out what would need it.",
  ];
  return `Subjects and setting (ground truth named by the annotator — use these noun phrases as written):\n${bullet(lines)}`;
}

/** The labels of this aspect in the spec's order, split into asserted and not-sure ones. */
export function orderedLabels(spec: Spec, aspect: Aspect, labels: readonly Label[]) {
  const a = aspectOf(spec, aspect);
  const byId = new Map(labels.map((l) => [l.primitiveId, l]));
  const sure: Array<{ primitive: Primitive; label: Label; subAspect: string }> = [];
  const unsure: typeof sure = [];
  for (const sub of a.subAspects) {
    for (const p of sub.primitives) {
      const l = byId.get(p.id);
      if (!l) continue;
      (l.notSure ? unsure : sure).push({ primitive: p, label: l, subAspect: sub.label });
    }
  }
  return { aspect: a, sure, unsure };
}

export function buildDraftPrompt(input: Omit<DraftTask, "kind">): Prompt<DraftTask> {
  const { aspect: a, sure, unsure } = orderedLabels(input.spec, input.aspect, input.labels);
  const system = [
    `You write the ${a.label} caption of a video clip, following the caption specification "${input.spec.name}" (version ${input.spec.version}).`,
    `${a.label}: ${a.description}`,
    "The labelled primitives below are ground truth established by a trained annotator: use them directly and do not go beyond them. Do not add facts that no primitive states.",
    "Use each primitive's precise phrasing; never use the terms listed to avoid.",
    "A phrasing is a template to fill, never to copy: <subject> is the first subject's noun phrase, <subjects> all of them joined, <setting> the setting phrase (which starts with its preposition), and <they> <them> <their> <themselves> the pronoun of that subject; a {verb} in braces takes the form that agrees with its subject (posts stay, a post stays); a [bracketed part] is kept only when you can fill it; any other <…> asks for what the clip shows. The caption never contains <, >, {, }, [ or ] from a phrasing.",
    "Name the subjects with exactly the noun phrases given, and make every verb agree with them in number.",
    `Cover, in this order:\n${bullet(a.policy.covers)}`,
    `Style:\n${bullet(a.policy.style)}`,
    "Answer with the caption only: one paragraph of plain prose, no headings, no lists.",
  ].join("\n\n");

  const sections = [
    factsSection(input.facts),
    sure.length
      ? `Labelled primitives (ground truth — use these directly and do not go beyond them):\n${bullet(sure.map((x) => labelLine(x.primitive, x.label, x.subAspect)))}`
      : "No primitive was labelled as holding.",
  ];
  if (unsure.length) {
    sections.push(
      `Labelled "not sure" (do not state these as facts):\n${bullet(unsure.map((x) => labelLine(x.primitive, x.label, x.subAspect)))}`,
    );
  }
  for (const dep of a.policy.dependsOn) {
    const caption = input.dependencies[dep]?.trim();
    const depLabel = input.spec.aspects.find((x) => x.aspect === dep)?.label ?? dep;
    sections.push(
      caption
        ? `The clip's ${depLabel} caption (approved; refer to subjects and places the way it does):\n${caption}`
        : `The clip's ${depLabel} caption is not available.`,
    );
  }
  sections.push(`Write the ${a.label} caption.`);
  return prompt(system, sections, { kind: "draft", ...input });
}

function itemBlock(item: RevisionItem, i: number): string {
  const lines = [`${i + 1}. ${errorTypeText(item.errorType)}`];
  if (item.anchor) {
    const quote = item.span ? item.anchor.quote : `${item.anchor.quote} (this text is no longer in the draft)`;
    lines.push(`   Span: "${quote}"`);
  } else {
    lines.push("   Span: none — information missing from the draft");
  }
  if (item.timeStart !== null) {
    const end = item.timeEnd ?? item.timeStart;
    lines.push(`   Time: ${formatClipTime(item.timeStart)}${end !== item.timeStart ? `–${formatClipTime(end)}` : ""}`);
  }
  if (item.primitiveId) lines.push(`   Primitive: ${item.primitiveId}`);
  lines.push(`   What is wrong: ${item.what.trim()}`);
  lines.push(`   Fix: ${item.fix.trim()}`);
  return lines.join("\n");
}

export function buildRevisionPrompt(input: Omit<RevisionTask, "kind">): Prompt<RevisionTask> {
  const system = [
    "You revise a video caption according to a critique written by a trained annotator who watched the clip.",
    "Apply every critique item: change the quoted span as its fix says; add missing information where it belongs in time order; remove what the critique says to remove.",
    "Change only what the critique asks. Keep every other word, the order and the style of the draft as they are.",
    "Answer with the revised caption only.",
  ].join("\n");
  const ordered = sortByTime(input.items);
  const sections = [
    `Draft caption:\n${input.draft}`,
    `Critique (${ordered.length} item${ordered.length === 1 ? "" : "s"}, in time order):\n${ordered.map(itemBlock).join("\n")}`,
    "Write the revised caption.",
  ];
  return prompt(system, sections, { kind: "revision", ...input, items: ordered });
}

export function buildPolishCritiquePrompt(input: Omit<PolishTask, "kind">): Prompt<PolishTask> {
  const system = [
    "You tidy the wording of a critique of a video caption, written by a trained annotator.",
    "Fix grammar, spelling and clarity of each item. Keep its meaning, its quoted text, its time and its fix exactly; add nothing and drop nothing.",
    "Answer with the items in the same order, one per line, in the same form as given.",
  ].join("\n");
  const sections = [`Caption being critiqued:\n${input.draft}`, `Critique:\n${renderCritique(input.items)}`];
  return prompt(system, sections, { kind: "polish", ...input });
}

export function buildJudgePrompt(input: Omit<JudgeTask, "kind">): Prompt<JudgeTask> {
  const system = [
    "You check a revised video caption against a critique.",
    "Answer Yes if the revision applies every critique item's fix and changes nothing the critique did not ask for; otherwise answer No.",
    "Answer with one word: Yes or No.",
  ].join("\n");
  const ordered = sortByTime(input.items);
  const sections = [
    `Draft caption:\n${input.draft}`,
    `Critique:\n${ordered.map(itemBlock).join("\n")}`,
    `Revised caption:\n${input.candidate}`,
    "Does the revised caption apply every fix and nothing else? Yes or No.",
  ];
  return prompt(system, sections, { kind: "judge", ...input, items: ordered });
}
