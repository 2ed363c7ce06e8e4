import type { CaptionFacts, Pronoun, SubjectFact } from "../captionFacts";

/**
 * The phrasing grammar of the caption spec (every primitive's `phrasing:`), and the realizer that turns a phrasing
 * into English from the task's facts. Grammar:
 *  - literal text;
 *  - fact slots <subject>, <subjects>, <setting>, filled from CaptionFacts;
 *  - pronoun slots <they> <them> <their> <themselves>, for the nearest preceding subject slot (else the first subject);
 *  - agreeing verbs {walks}: one third-person-singular word, made plural after a plural subject slot or after a
 *    pronoun slot that reads "they" (a singular subject with "they" takes "walks" after its noun phrase and "they
 *    walk" after the pronoun);
 *  - optional groups [ … ]: kept only when every slot inside can be filled; groups do not nest;
 *  - open slots, any other <…>: what only the annotator can say. A label's note fills the phrasing's one open slot;
 *    otherwise an open slot drops its group, or, outside any group, the whole sentence.
 * Pure: the rules provider, the linter and the spec tests share it.
 */

export const FACT_SLOTS = ["subject", "subjects", "setting"] as const;
export type FactSlot = (typeof FACT_SLOTS)[number];
export const PRONOUN_SLOTS = ["they", "them", "their", "themselves"] as const;
export type PronounSlot = (typeof PRONOUN_SLOTS)[number];

export type PhrasingNode =
  | { kind: "text"; text: string }
  | { kind: "fact"; slot: FactSlot }
  | { kind: "pronoun"; slot: PronounSlot }
  /** `singular` as written in braces; `plural` its agreeing form for a plural subject. */
  | { kind: "verb"; singular: string; plural: string }
  /** An open slot: `name` is what is between the angle brackets ("direction", "left|right"). */
  | { kind: "open"; name: string };
export type PhrasingPart = PhrasingNode | { kind: "group"; parts: PhrasingNode[] };
export type ParsedPhrasing = { source: string; parts: PhrasingPart[]; openSlots: string[] };

/** A phrasing that breaks the grammar; `at` is the character offset of the fault. */
export class PhrasingError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
    this.name = "PhrasingError";
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Verbs
// ---------------------------------------------------------------------------------------------------------------

const IRREGULAR_PLURAL: Readonly<Record<string, string>> = {
  is: "are",
  has: "have",
  does: "do",
  was: "were",
  goes: "go",
  aches: "ache",
  quizzes: "quiz",
  focuses: "focus",
  biases: "bias",
  unties: "untie",
  echoes: "echo",
  vetoes: "veto",
  torpedoes: "torpedo",
  skis: "ski",
};
const IRREGULAR_SINGULAR: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(IRREGULAR_PLURAL).map(([s, p]) => [p, s]),
);
// "be" is not "ares": the base form of is/are is be.
const BASE_SINGULAR: Readonly<Record<string, string>> = { ...IRREGULAR_SINGULAR, be: "is", are: "is", have: "has" };

const CONSONANT_Y = /[^aeiou]y$/;

/**
 * The form a third-person-singular verb takes after a plural subject: stays → stay, watches → watch, carries →
 * carry, goes → go, is → are, has → have, does → do, was → were. Null when the word is not a third-person-singular
 * verb form (walk, can, pass).
 */
export function pluralVerb(singular: string): string | null {
  const w = singular.toLowerCase();
  if (!/^[a-z]+(?:-[a-z]+)*$/.test(w)) return null;
  const irregular = IRREGULAR_PLURAL[w];
  if (irregular) return irregular;
  if (w.length < 3 || !w.endsWith("s") || /(?:ss|us|is)$/.test(w)) return null;
  if (w.endsWith("ies")) {
    // dies, lies, ties: the y was never there.
    if (w.length <= 4) return w.slice(0, -1);
    return /[^aeiou]ies$/.test(w) ? `${w.slice(0, -3)}y` : w.slice(0, -1);
  }
  if (w.endsWith("oes")) return /[gd]oes$/.test(w) ? w.slice(0, -2) : w.slice(0, -1);
  if (/(?:sses|shes|ches|xes|zzes)$/.test(w)) return w.slice(0, -2);
  return w.slice(0, -1);
}

/** The third-person-singular form of a base verb: walk → walks, watch → watches, carry → carries, be → is. */
export function thirdPersonSingular(base: string): string {
  const w = base.toLowerCase();
  const irregular = BASE_SINGULAR[w];
  if (irregular) return irregular;
  if (CONSONANT_Y.test(w)) return `${w.slice(0, -1)}ies`;
  if (/(?:s|sh|ch|x|zz)$/.test(w)) return `${w}es`;
  if (/[gd]o$/.test(w)) return `${w}es`;
  return `${w}s`;
}

/**
 * Common verbs in their base form. Their third-person-singular forms, with every {verb} the spec uses (a spec test
 * checks that the spec's own verbs are here), are what the agreement check recognises after a plural subject: a
 * closed list, so a noun that happens to end in -s is not read as a verb.
 */
const BASE_VERBS = `be have do go come stay stand sit lie kneel crouch lean bend rest hang float hover
walk jog run sprint jump hop leap climb crawl swim fly ride drive glide ski skate surf slide fall trip slip
wave point beckon nod shake turn clap shrug speak talk dance smile laugh frown squint raise lower lift
open close pick put carry push pull throw catch kick use operate type tap swipe eat drink hold grip
approach follow chase lead pass collide strike hit punch hug embrace hand give take
move stop start slow speed change reverse continue return cross enter exit leave arrive reach
face look watch stare gaze see show appear disappear emerge vanish remain keep wait rise sink drop grow shrink
march row stream mill gather disperse queue surround line form spread scatter converge
wear read film record play sing shout cry blink breathe sleep wake sway shift spin rotate roll tilt pan
fill cover block hide reveal cast reflect shine glow flicker flash blow fall pour flow drift
touch press rub wipe wash brush comb cut chop slice stir mix hammer paint draw write fix build
carry drag tow haul lift load unload pack unpack fold unfold tie untie wrap unwrap
sit stand lie kneel bow duck dodge swing bounce roll tumble topple collapse
buzz fizz pass press dress kiss toss cross miss guess
focus frame track zoom dolly truck pedestal crane arc orbit circle
seem become get let make set begin end stretch reach search clutch touch launch fetch
echo veto undergo double work share cast
`
  .split(/\s+/)
  .filter(Boolean);

/** Third-person-singular verb forms the agreement check knows (see BASE_VERBS). */
export const SINGULAR_VERBS: ReadonlySet<string> = new Set(BASE_VERBS.map(thirdPersonSingular));

// ---------------------------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------------------------

const PRONOUN_WORDS = new Set([
  "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself",
  "they", "them", "their", "theirs", "themselves", "themself",
]);
/** Slot names that look like facts but are not the grammar's: a typo or the old <place> would be left as text. */
const FACT_LIKE = new Set([
  "place", "places", "location", "locale", "where", "settings", "the setting", "the subject", "the subjects",
  "subject's", "subjects'", "main subject", "pronoun", "verb",
]);

const isFactSlot = (name: string): name is FactSlot => (FACT_SLOTS as readonly string[]).includes(name);
const isPronounSlot = (name: string): name is PronounSlot => (PRONOUN_SLOTS as readonly string[]).includes(name);

function slotNode(name: string, at: number): PhrasingNode {
  if (isFactSlot(name)) return { kind: "fact", slot: name };
  if (isPronounSlot(name)) return { kind: "pronoun", slot: name };
  const lower = name.toLowerCase().trim().replace(/\s+/g, " ");
  if (isFactSlot(lower) || isPronounSlot(lower)) {
    throw new PhrasingError(`<${name}> is not a slot: write <${lower}> (slot names are lower case, without spaces)`, at);
  }
  if (lower === "place" || lower === "location" || lower === "places") {
    throw new PhrasingError(`<${name}> is gone: write <setting>, a phrase that starts with its own preposition`, at);
  }
  if (FACT_LIKE.has(lower)) throw new PhrasingError(`<${name}> looks like a fact slot: use <subject>, <subjects> or <setting>`, at);
  const alternatives = lower.split("|").map((a) => a.trim());
  if (alternatives.every((a) => PRONOUN_WORDS.has(a))) {
    throw new PhrasingError(`<${name}> names a pronoun: use a pronoun slot (<they>, <them>, <their>, <themselves>)`, at);
  }
  return { kind: "open", name };
}

/** Parses a phrasing; throws PhrasingError with a plain message when it breaks the grammar. */
export function parsePhrasing(source: string): ParsedPhrasing {
  const parts: PhrasingPart[] = [];
  let group: { parts: PhrasingNode[]; at: number } | null = null;
  let text = "";
  const openSlots: string[] = [];
  const push = (node: PhrasingNode) => (group ? group.parts : parts).push(node);
  const flush = () => {
    if (text) push({ kind: "text", text });
    text = "";
  };

  for (let i = 0; i < source.length; i++) {
    const c = source[i] ?? "";
    if (c === "<") {
      const close = source.indexOf(">", i + 1);
      const nested = source.indexOf("<", i + 1);
      if (close < 0) throw new PhrasingError(`unbalanced "<" at ${i}: no ">" closes it`, i);
      if (nested >= 0 && nested < close) throw new PhrasingError(`slots do not nest: "<" at ${nested} is inside the slot opened at ${i}`, nested);
      const name = source.slice(i + 1, close);
      if (!name.trim()) throw new PhrasingError(`empty slot "<>" at ${i}`, i);
      if (/[{}[\]]/.test(name)) throw new PhrasingError(`the slot at ${i} holds a grammar mark: "<${name}>"`, i);
      flush();
      const node = slotNode(name, i);
      if (node.kind === "open") openSlots.push(name);
      push(node);
      i = close;
    } else if (c === "{") {
      const close = source.indexOf("}", i + 1);
      if (close < 0) throw new PhrasingError(`unbalanced "{" at ${i}: no "}" closes it`, i);
      const word = source.slice(i + 1, close);
      if (!/^[A-Za-z]+(?:-[A-Za-z]+)*$/.test(word)) {
        throw new PhrasingError(`braces hold exactly one word, a verb such as {walks}: "{${word}}" at ${i}`, i);
      }
      const plural = pluralVerb(word);
      if (plural === null || word !== word.toLowerCase()) {
        throw new PhrasingError(`"{${word}}" at ${i} is not a lower-case third-person-singular verb (walks, is, has, does, was)`, i);
      }
      flush();
      push({ kind: "verb", singular: word, plural });
      i = close;
    } else if (c === "[") {
      if (group) throw new PhrasingError(`groups do not nest: "[" at ${i} is inside the group opened at ${group.at}`, i);
      flush();
      group = { parts: [], at: i };
    } else if (c === "]") {
      if (!group) throw new PhrasingError(`unbalanced "]" at ${i}: no "[" opens it`, i);
      flush();
      if (!group.parts.some((p) => p.kind !== "text" || p.text.trim())) throw new PhrasingError(`empty group "[]" at ${group.at}`, group.at);
      parts.push({ kind: "group", parts: group.parts });
      group = null;
    } else if (c === ">" || c === "}") {
      throw new PhrasingError(`unbalanced "${c}" at ${i}: nothing opens it`, i);
    } else {
      text += c;
    }
  }
  if (group) throw new PhrasingError(`unbalanced "[" at ${group.at}: no "]" closes it`, group.at);
  flush();
  return { source, parts, openSlots };
}

/** The grammar error of a phrasing, or null when it parses. */
export function phrasingError(source: string): string | null {
  try {
    parsePhrasing(source);
    return null;
  } catch (e) {
    if (e instanceof PhrasingError) return e.message;
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Realizing
// ---------------------------------------------------------------------------------------------------------------

const PRONOUN_FORMS: Readonly<Record<Pronoun, Record<PronounSlot, string>>> = {
  he: { they: "he", them: "him", their: "his", themselves: "himself" },
  she: { they: "she", them: "her", their: "her", themselves: "herself" },
  it: { they: "it", them: "it", their: "its", themselves: "itself" },
  they: { they: "they", them: "them", their: "their", themselves: "themselves" },
};

/** A pronoun slot's word for a referent's pronoun: ("she", "their") → "her". */
export function pronounForm(pronoun: Pronoun, slot: PronounSlot): string {
  return PRONOUN_FORMS[pronoun][slot];
}

/** Noun phrases joined as a list: "a man", "a man and a dog", "a man, a dog and two posts". */
export function joinSubjects(subjects: readonly (string | SubjectFact)[]): string {
  const phrases = subjects.map((s) => (typeof s === "string" ? s : s.phrase).trim()).filter(Boolean);
  if (phrases.length <= 1) return phrases[0] ?? "";
  return `${phrases.slice(0, -1).join(", ")} and ${phrases[phrases.length - 1] ?? ""}`;
}

/** A subject slot's referent: its number decides the verb after it, its pronoun the pronoun slots after it. */
type Referent = { plural: boolean; pronoun: Pronoun };

/** Why a slot could not be filled: a missing subject, a missing setting, or a detail only the annotator has. */
export type Missing = "subjects" | "setting" | "detail";
export type Realization = { text: string | null; missing: Missing[] };

function referentOf(slot: "subject" | "subjects", facts: CaptionFacts): Referent | null {
  const first = facts.subjects[0];
  if (!first) return null;
  if (slot === "subjects" && facts.subjects.length > 1) return { plural: true, pronoun: "they" };
  return { plural: first.plural, pronoun: first.pronoun };
}

function cleanNote(note: string | null | undefined): string | null {
  const t = (note ?? "").trim().replace(/[.\s]+$/, "");
  // A note that itself holds grammar marks would write them into the caption.
  return t && findSlots(t).length === 0 ? t : null;
}

const VOWEL_SOUND = /^(?!uni|use|usu|one|once|eu|ewe)[aeiou]|^(?:hour|honest|honou?r)/i;

/** "a" before a consonant sound, "an" before a vowel sound, at a seam where a slot was filled or a group dropped. */
function fixArticle(out: string, next: string): string {
  const m = /(^|\s)(a|an|A|An)\s*$/.exec(out);
  const word = /^\s*([A-Za-z]+)/.exec(next)?.[1];
  if (!m || !word) return out;
  const article = m[2] ?? "a";
  const wanted = VOWEL_SOUND.test(word) ? "an" : "a";
  const cased = article[0] === "A" ? `${wanted[0]?.toUpperCase() ?? ""}${wanted.slice(1)}` : wanted;
  return `${out.slice(0, m.index + (m[1]?.length ?? 0))}${cased}${out.slice(m.index + (m[1]?.length ?? 0) + article.length)}`;
}

/** Spaces and punctuation left by dropped groups: "walks , then" → "walks, then". */
function tidy(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .replace(/\s+([,.;:!?])/g, "$1")
    .replace(/([,;:])(?=[,;:.!?])/g, "")
    .replace(/^[\s,;:]+/, "")
    .trim();
}

type State = {
  out: string;
  /** The nearest subject slot's referent, for pronoun slots. */
  target: Referent | null;
  /** Whether a {verb} here takes the plural: set by the nearest subject or pronoun slot. */
  plural: boolean | null;
  missing: Set<Missing>;
  /** A group was just dropped here: the article before it may need to change. */
  seam: boolean;
  /** The last thing written is a plural subject phrase ending in s: its possessive is a bare apostrophe. */
  pluralS: boolean;
};

/**
 * Realizes a phrasing with what it says about why when it cannot: `text` is null when a slot outside any group
 * cannot be filled, and `missing` lists what was lacking (also for dropped groups).
 */
export function realizePhrasingWithReasons(
  phrasing: string | ParsedPhrasing,
  facts: CaptionFacts,
  note?: string | null,
): Realization {
  const parsed = typeof phrasing === "string" ? parsePhrasing(phrasing) : phrasing;
  const filler = parsed.openSlots.length === 1 ? cleanNote(note) : null;

  const append = (s: State, piece: string, filled: boolean) => {
    if (filled || s.seam) s.out = fixArticle(s.out, piece);
    // "the posts" + "'s face" → "the posts' face".
    s.out += s.pluralS && /^'s(?![A-Za-z])/.test(piece) ? `'${piece.slice(2)}` : piece;
    s.seam = false;
    s.pluralS = false;
  };

  /** Realizes one node into the state; false when it cannot be filled. */
  const node = (s: State, n: PhrasingNode): boolean => {
    switch (n.kind) {
      case "text":
        append(s, n.text, false);
        return true;
      case "verb":
        append(s, (s.plural ?? referentOf("subject", facts)?.plural) ? n.plural : n.singular, false);
        return true;
      case "fact": {
        if (n.slot === "setting") {
          const setting = facts.setting?.trim();
          if (!setting) return (s.missing.add("setting"), false);
          append(s, setting, true);
          return true;
        }
        const referent = referentOf(n.slot, facts);
        if (!referent) return (s.missing.add("subjects"), false);
        const phrase = n.slot === "subject" ? (facts.subjects[0]?.phrase.trim() ?? "") : joinSubjects(facts.subjects);
        append(s, phrase, true);
        s.target = referent;
        s.plural = referent.plural;
        s.pluralS = referent.plural && /s$/i.test(phrase);
        return true;
      }
      case "pronoun": {
        const referent = s.target ?? referentOf("subject", facts);
        if (!referent) return (s.missing.add("subjects"), false);
        append(s, pronounForm(referent.pronoun, n.slot), true);
        // Singular "they" still takes a plural verb: "the person … as they walk".
        s.plural = referent.pronoun === "they";
        return true;
      }
      case "open":
        if (filler === null) return (s.missing.add("detail"), false);
        append(s, filler, true);
        return true;
    }
  };

  const state: State = { out: "", target: null, plural: null, missing: new Set(), seam: false, pluralS: false };
  for (const part of parsed.parts) {
    if (part.kind !== "group") {
      if (!node(state, part)) return { text: null, missing: [...state.missing] };
      continue;
    }
    // A group is tried on a copy and kept only when every slot in it is filled.
    const trial: State = { ...state, missing: state.missing };
    if (part.parts.every((n) => node(trial, n))) {
      Object.assign(state, trial);
    } else {
      state.out = state.out.replace(/\s+$/, "");
      state.seam = true;
    }
  }
  const text = tidy(state.out);
  return { text: text || null, missing: [...state.missing] };
}

/**
 * A phrasing as English for these facts, or null when it cannot be said without writing a slot (leave the sentence
 * out). The note fills the phrasing's one open slot when it has exactly one. Not capitalised and without a full
 * stop: the caller builds the sentence. Throws PhrasingError when the phrasing breaks the grammar.
 */
export function realizePhrasing(phrasing: string | ParsedPhrasing, facts: CaptionFacts, note?: string | null): string | null {
  return realizePhrasingWithReasons(phrasing, facts, note).text;
}

// ---------------------------------------------------------------------------------------------------------------
// Checks on finished text
// ---------------------------------------------------------------------------------------------------------------

/** Grammar leftovers in finished text: every <…> and {…}. A caption, revision or export record has none. */
export function findSlots(text: string): string[] {
  // A slot's name starts and ends with a non-space, so "3 < 4 and 5 > 2" is not one.
  return text.match(/<[^<>\s](?:[^<>\n]*[^<>\s])?>|\{[^{}\n]*\}/g) ?? [];
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Subject-verb agreement errors of the "the orange posts stays" kind: each plural subject phrase of the facts (and
 * the joined list of several subjects, and "they") directly followed by a third-person-singular verb form from the
 * closed list SINGULAR_VERBS (plus `extraVerbs`). Returns one message per error, quoting it.
 */
export function agreementErrors(text: string, facts: CaptionFacts, extraVerbs: Iterable<string> = []): string[] {
  const verbs = new Set([...SINGULAR_VERBS, ...[...extraVerbs].map((v) => v.toLowerCase())]);
  const plural = new Set<string>(["they"]);
  for (const s of facts.subjects) if (s.plural) plural.add(s.phrase.trim().toLowerCase());
  if (facts.subjects.length > 1) plural.add(joinSubjects(facts.subjects).toLowerCase());
  const errors: string[] = [];
  for (const phrase of plural) {
    if (!phrase) continue;
    const re = new RegExp(`(?<![\\w'-])(${escapeRegex(phrase)})\\s+([A-Za-z]+)(?![\\w'-])`, "gi");
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const verb = (m[2] ?? "").toLowerCase();
      if (verbs.has(verb)) {
        errors.push(`"${m[0]}": "${m[1] ?? phrase}" is plural, but "${m[2] ?? verb}" is the singular form (${pluralVerb(verb) ?? verb})`);
      }
      re.lastIndex = m.index + 1;
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers for the linter and the spec tests
// ---------------------------------------------------------------------------------------------------------------

/** The {verb} forms a phrasing uses (third-person singular, as written). */
export function phrasingVerbs(phrasing: string | ParsedPhrasing): string[] {
  const parsed = typeof phrasing === "string" ? parsePhrasing(phrasing) : phrasing;
  return parsed.parts
    .flatMap((p) => (p.kind === "group" ? p.parts : [p]))
    .flatMap((n) => (n.kind === "verb" ? [n.singular] : []));
}

/**
 * How a caption mentions a phrasing word for word, when it can without facts: its literal text with the optional
 * groups left out and each {verb} in both numbers ("the camera {is} at eye level" → "the camera is at eye level",
 * "the camera are at eye level"). Empty when a slot outside the groups needs filling, or the phrasing breaks the
 * grammar (the linter then goes by keywords).
 */
export function phrasingMentions(phrasing: string): string[] {
  let parsed: ParsedPhrasing;
  try {
    parsed = parsePhrasing(phrasing);
  } catch {
    return [];
  }
  const top = parsed.parts.filter((p): p is PhrasingNode => p.kind !== "group");
  if (top.some((p) => p.kind !== "text" && p.kind !== "verb")) return [];
  const form = (plural: boolean) =>
    tidy(
      parsed.parts
        .map((p) => (p.kind === "text" ? p.text : p.kind === "verb" ? (plural ? p.plural : p.singular) : " "))
        .join(""),
    );
  return [...new Set([form(false), form(true)])].filter(Boolean);
}
