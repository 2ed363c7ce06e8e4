/**
 * Word matching for the linter: case-insensitive, on word boundaries, with English inflections, so a term written
 * once in its base form ("zoom", "dolly in") also finds "zooms", "zoomed", "dollies in", "dollying in" — and never
 * "zoo" inside "zoom" or "zoom" inside "zoomorphic".
 */

/** Short function words that are matched as written, never inflected. */
const FIXED = new Set([
  "a", "an", "the", "of", "in", "on", "at", "to", "by", "for", "as", "up", "out", "off", "and", "or", "it", "its",
  "is", "be", "from", "with", "into", "onto", "over", "down", "this", "that", "toward", "towards", "i", "not", "no",
]);

/** Words that come before the word that names an action or thing ("the camera pans" → "pans"). */
const LEAD_IN = new Set([...FIXED, "camera", "lens", "shot", "frame", "subject"]);

const VOWEL = /[aeiou]/;

/** Best-effort base form of one lower-case word: dollies → dolly, zooms → zoom, pushes → push. */
export function lemma(word: string): string {
  if (FIXED.has(word) || word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|sh|ch|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("s") && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

function endsConsonantVowelConsonant(word: string): boolean {
  const [a, b, c] = word.slice(-3);
  return (
    word.length <= 5 &&
    a !== undefined &&
    b !== undefined &&
    c !== undefined &&
    !VOWEL.test(a) &&
    VOWEL.test(b) &&
    !VOWEL.test(c) &&
    !"wxy".includes(c)
  );
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Regex source matching one word and its inflections. */
function wordSource(word: string): string {
  const base = lemma(word);
  if (FIXED.has(base) || base.length < 3 || !/^[a-z]+$/.test(base)) return escape(word);
  if (/[^aeiou]y$/.test(base)) {
    return `${base.slice(0, -1)}(?:y|ies|ied|ying|ier|iest|ily)`;
  }
  if (base.endsWith("e") && !base.endsWith("ee")) {
    return `${base.slice(0, -1)}(?:e|es|ed|ing|ely|er|est)`;
  }
  const doubled = endsConsonantVowelConsonant(base) ? `|${base.slice(-1)}(?:ed|ing|er)` : "";
  return `${base}(?:s|es|ed|ing|ly|ally|er|est${doubled})?`;
}

export function splitWords(term: string): string[] {
  return term
    .toLowerCase()
    .split(/[\s-]+/)
    .filter((w) => w.length > 0);
}

/**
 * A letter or digit for the word boundaries: ASCII and accented Latin. Not \p{L}: a Unicode property class makes each
 * regex about twenty times slower to compile, and the linter compiles hundreds of them on the first keystroke.
 */
const WORD_CHAR = "[0-9A-Za-z_\\u00C0-\\u024F]";

/** A global, case-insensitive regex for a term; words may be joined by spaces or hyphens ("close-up", "close up"). */
export function termRegex(term: string): RegExp {
  const words = splitWords(term);
  const body = words.map(wordSource).join("[\\s-]+");
  return new RegExp(`(?<!${WORD_CHAR})${body}(?!${WORD_CHAR})`, "gi");
}

/**
 * A cheap pre-check for a term: lower-case letters every match must contain (the start of its first word, before
 * any inflection changes it). Skipping the regex when the text lacks them keeps linting on every keystroke fast.
 */
export function termPrefix(term: string): string {
  const first = splitWords(term)[0] ?? "";
  const base = lemma(first);
  if (!/^[a-z]+$/.test(base)) return "";
  // y → ies and e → ing change the last letter; doubling only adds letters.
  return base.length > 3 ? base.slice(0, -1) : base.slice(0, 2);
}

/** The word that carries a keyword's meaning: the first that is not a lead-in ("the camera zooms in" → "zoom"). */
export function headWord(term: string): string | undefined {
  const words = splitWords(term).map((w) => w.replace(/[^a-z0-9']/g, ""));
  const head = words.find((w) => w.length >= 3 && !LEAD_IN.has(w));
  return head === undefined ? undefined : lemma(head);
}

export type WordForm = "base" | "s" | "ed" | "ing";

/** Which inflection a matched word carries (to answer "zooms" with "dollies", "zoomed" with "dollied"). */
export function wordForm(word: string): WordForm {
  const w = word.toLowerCase();
  if (w.endsWith("ing") && w.length > 4) return "ing";
  if (w.endsWith("ed") && w.length > 3) return "ed";
  if (w.endsWith("s") && !/(ss|us|is)$/.test(w) && w.length > 3) return "s";
  return "base";
}

/** The inflection of a matched phrase's head word: "the camera zoomed in" → "ed". */
export function phraseForm(phrase: string): WordForm {
  const words = splitWords(phrase);
  const head = words.find((w) => w.length >= 3 && !LEAD_IN.has(w)) ?? words[0] ?? "";
  return wordForm(head);
}

/** Inflects a base-form word: dolly + s → dollies, pan + ed → panned, move + ing → moving. */
export function inflect(word: string, form: WordForm): string {
  const base = lemma(word);
  if (form === "base" || FIXED.has(base)) return base;
  const y = /[^aeiou]y$/.test(base);
  const cvc = endsConsonantVowelConsonant(base) && base.length <= 4;
  if (form === "s") {
    if (y) return `${base.slice(0, -1)}ies`;
    return /(s|sh|ch|x|z)$/.test(base) ? `${base}es` : `${base}s`;
  }
  if (form === "ed") {
    if (y) return `${base.slice(0, -1)}ied`;
    if (base.endsWith("e")) return `${base}d`;
    return cvc ? `${base}${base.slice(-1)}ed` : `${base}ed`;
  }
  if (base.endsWith("e") && !base.endsWith("ee")) return `${base.slice(0, -1)}ing`;
  return cvc ? `${base}${base.slice(-1)}ing` : `${base}ing`;
}

/** A keyword with its head word put in the given form: ("dolly in", "s") → "dollies in". */
export function inflectPhrase(phrase: string, form: WordForm): string {
  const words = phrase.trim().split(/\s+/);
  const i = words.findIndex((w) => w.length >= 3 && !LEAD_IN.has(w.toLowerCase()) && /^[a-z]+$/i.test(w));
  if (i === -1) return phrase.trim();
  words[i] = inflect(words[i]!.toLowerCase(), form);
  return words.join(" ");
}

export type Span = { start: number; end: number };

/** A compiled term with its pre-check. */
export type Matcher = { regex: RegExp; prefix: string };

export function matcher(term: string): Matcher {
  return { regex: termRegex(term), prefix: termPrefix(term) };
}

/** Matches of a term; `lower` is text.toLowerCase(), computed once per text by the caller. */
export function matchTerm(m: Matcher, text: string, lower: string): Span[] {
  return lower.includes(m.prefix) ? findAll(m.regex, text) : [];
}

/** Every match of a compiled term in the text, as spans. */
export function findAll(regex: RegExp, text: string): Span[] {
  const spans: Span[] = [];
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m; m = regex.exec(text)) {
    spans.push({ start: m.index, end: m.index + m[0].length });
    if (m[0].length === 0) regex.lastIndex++;
  }
  return spans;
}

export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}
