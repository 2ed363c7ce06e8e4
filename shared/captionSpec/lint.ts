import type { Aspect } from "../domain";
import type { Lexicon, LexiconTerm } from "./lexicon";
import { phrasingMentions } from "./phrasing";
import type { Primitive, Spec } from "./schema";
import { headWord, inflectPhrase, matcher, matchTerm, overlaps, phraseForm, type Matcher, type Span } from "./terms";

/**
 * The caption linter: flags subjective words, hedges, loose terms, confusions between the labelled primitives and
 * the words used, and labelled primitives the text never mentions. Pure and synchronous: the client runs it on
 * every keystroke, the CLI and the server run the same checks. Patterns are compiled once per (spec, lexicon).
 */

export const LINT_RULES = ["subjective", "hedge", "imprecise", "confusion", "missing"] as const;
export type LintRule = (typeof LINT_RULES)[number];
export type LintSeverity = "error" | "warning";

export type Finding = {
  rule: LintRule;
  severity: LintSeverity;
  /**
   * Character span in the text (UTF-16 offsets, end exclusive, as String.slice takes them). Missing findings are
   * about something absent, so they have no span: start and end are null.
   */
  start: number | null;
  end: number | null;
  /** The offending text (text.slice(start, end)); for a missing finding, the primitive's label. */
  text: string;
  message: string;
  suggestion: string;
  /** The primitive the finding is about (the labelled one for confusion and missing findings). */
  primitiveId?: string;
};

export type LintOptions = {
  spec: Spec;
  lexicon: Lexicon;
  /** Lint as a caption of this aspect: lexicon terms scoped to other aspects and primitives of others are skipped. */
  aspect?: Aspect;
  /** Ids of the labelled primitives (unknown ids are ignored; check them with unknownPrimitiveIds). */
  primitives?: readonly string[];
};

const SEVERITY: Record<LintRule, LintSeverity> = {
  subjective: "warning",
  hedge: "warning",
  imprecise: "warning",
  confusion: "error",
  missing: "error",
};

/** Longest input linted; longer text is linted up to here (a caption is a paragraph, a critique a few). */
export const MAX_LINT_TEXT = 20_000;

type CompiledTerm<T> = Matcher & { entry: T };

type Compiled = {
  subjective: CompiledTerm<LexiconTerm>[];
  hedges: CompiledTerm<LexiconTerm>[];
  imprecise: CompiledTerm<Lexicon["imprecise"][number]>[];
  /** Confusable ids of each primitive: its own list, the lexicon pairs, and the reverse of both. */
  confusables: Map<string, Map<string, string | undefined>>;
  keywordRegexes: Map<string, Matcher[]>;
  mentionRegexes: Map<string, Matcher[]>;
  avoidRegexes: Map<string, Matcher[]>;
  headRegexes: Map<string, (Matcher & { head: string })[]>;
  /** Per loose term: the spec's keywords that contain it ("dolly zoom" contains "zoom"). */
  preciseContaining: Map<string, Matcher[]>;
};

const compiledCache = new WeakMap<Spec, WeakMap<Lexicon, Compiled>>();

function compile(spec: Spec, lexicon: Lexicon): Compiled {
  let byLexicon = compiledCache.get(spec);
  if (!byLexicon) compiledCache.set(spec, (byLexicon = new WeakMap()));
  const cached = byLexicon.get(lexicon);
  if (cached) return cached;

  const terms = <T extends LexiconTerm>(list: readonly T[]) =>
    list.map((entry) => ({ entry, ...matcher(entry.term) }));
  const confusables = new Map<string, Map<string, string | undefined>>();
  const link = (a: string, b: string, note?: string) => {
    if (a === b || !primitiveById(spec, a) || !primitiveById(spec, b)) return;
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      let m = confusables.get(x);
      if (!m) confusables.set(x, (m = new Map()));
      if (!m.has(y) || (note && !m.get(y))) m.set(y, note);
    }
  };
  for (const p of Object.values(spec.primitives)) for (const c of p.confusables) link(p.id, c);
  for (const pair of lexicon.confusablePairs) link(pair.a, pair.b, pair.note);

  const compiled: Compiled = {
    subjective: terms(lexicon.subjective),
    hedges: terms(lexicon.hedges),
    imprecise: terms(lexicon.imprecise),
    confusables,
    keywordRegexes: new Map(),
    mentionRegexes: new Map(),
    avoidRegexes: new Map(),
    headRegexes: new Map(),
    preciseContaining: new Map(),
  };
  byLexicon.set(lexicon, compiled);
  return compiled;
}

function memo<V>(map: Map<string, V>, key: string, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) map.set(key, (v = make()));
  return v;
}

/** The words that name a primitive: its keywords and label. */
const keywordRegexes = (c: Compiled, p: Primitive) =>
  memo(c.keywordRegexes, p.id, () => [...new Set([...p.keywords, p.label])].map(matcher));
/**
 * What counts as mentioning a labelled primitive: its words, or its phrasing word for word when that needs no facts
 * (optional groups left out, each {verb} in either number: "{stays}" matches "stays" and "stay").
 */
const mentionRegexes = (c: Compiled, p: Primitive) =>
  memo(c.mentionRegexes, p.id, () => [...keywordRegexes(c, p), ...phrasingMentions(p.phrasing).map(matcher)]);
const avoidRegexes = (c: Compiled, p: Primitive) => memo(c.avoidRegexes, p.id, () => p.avoid.map(matcher));
/** Head words of a primitive's keywords: "zoom in" → "zoom", so "zooms toward" still reads as a zoom. */
const headRegexes = (c: Compiled, p: Primitive) =>
  memo(c.headRegexes, p.id, () => {
    const heads = new Set(p.keywords.map(headWord).filter((h): h is string => h !== undefined));
    return [...heads].map((head) => ({ head, ...matcher(head) }));
  });

/**
 * Keywords of the spec in which a loose term occurs: where the text uses one of them ("dolly zoom", "zooms in",
 * "pans to follow"), the loose word is part of a precise term and is not flagged. Found once per term by matching
 * the term against every keyword.
 */
function preciseTermsContaining(c: Compiled, spec: Spec, t: CompiledTerm<LexiconTerm>): Matcher[] {
  return memo(c.preciseContaining, t.entry.term, () => {
    const out: Matcher[] = [];
    for (const p of Object.values(spec.primitives)) {
      for (const k of p.keywords) {
        const lowerK = k.toLowerCase();
        if (matchTerm(t, k, lowerK).length) out.push(matcher(k));
      }
    }
    return out;
  });
}

function spansOf(matchers: readonly Matcher[], text: string, lower: string): Span[] {
  return matchers.flatMap((m) => matchTerm(m, text, lower));
}

/** A primitive by id; own properties only, so "constructor" or "__proto__" from a client is not a primitive. */
export function primitiveById(spec: Spec, id: string): Primitive | undefined {
  return Object.hasOwn(spec.primitives, id) ? spec.primitives[id] : undefined;
}

/** Ids in the list that are not primitives of the spec. */
export function unknownPrimitiveIds(spec: Spec, ids: readonly string[]): string[] {
  return ids.filter((id) => !primitiveById(spec, id));
}

function applies(entry: { aspects?: readonly Aspect[] }, aspect: Aspect | undefined): boolean {
  return !aspect || !entry.aspects || entry.aspects.includes(aspect);
}

export function lintCaption(input: string, options: LintOptions): Finding[] {
  const { spec, lexicon, aspect } = options;
  const c = compile(spec, lexicon);
  // Same length as the input, so spans found in `text` are spans of the input.
  const text = input.slice(0, MAX_LINT_TEXT).replace(/[\u2018\u2019]/g, "'");
  const quote = (s: Span) => input.slice(s.start, s.end);
  const lower = text.toLowerCase();
  const matches = (m: Matcher) => matchTerm(m, text, lower);

  const labelled = [...new Set(options.primitives ?? [])]
    .map((id) => primitiveById(spec, id))
    .filter((p): p is Primitive => p !== undefined && (!aspect || p.aspect === aspect));
  const labelledIds = new Set(labelled.map((p) => p.id));

  const findings: Finding[] = [];
  const add = (rule: LintRule, span: Span, message: string, suggestion: string, primitiveId?: string) =>
    findings.push({
      rule,
      severity: SEVERITY[rule],
      start: span.start,
      end: span.end,
      text: quote(span),
      message,
      suggestion,
      ...(primitiveId ? { primitiveId } : {}),
    });

  for (const t of c.subjective) {
    if (!applies(t.entry, aspect)) continue;
    const entry = t.entry;
    for (const s of matches(t)) {
      add("subjective", s, "Subjective: a caption says what is visible, not how it feels.", entry.suggestion);
    }
  }
  for (const t of c.hedges) {
    if (!applies(t.entry, aspect)) continue;
    const entry = t.entry;
    for (const s of matches(t)) {
      add("hedge", s, "Hedge: say what is visible, or leave it out.", entry.suggestion);
    }
  }

  // Where the text names each labelled primitive in its own words.
  // A mention inside a longer name of a confusable is that confusable ("wide shot" in "extreme wide shot").
  const contains = (outer: Span, inner: Span) =>
    outer.start <= inner.start && inner.end <= outer.end && outer.end - outer.start > inner.end - inner.start;
  const mentions = new Map(
    labelled.map((p) => {
      const own = spansOf(mentionRegexes(c, p), text, lower);
      if (!own.length) return [p.id, own];
      const longer = [...(c.confusables.get(p.id)?.keys() ?? [])]
        .filter((qid) => !labelledIds.has(qid))
        .flatMap((qid) => spansOf(keywordRegexes(c, primitiveById(spec, qid)!), text, lower));
      return [p.id, own.filter((m) => !longer.some((q) => contains(q, m)))];
    }),
  );
  const labelledMentions = [...mentions.values()].flat();

  // Confusions: a labelled primitive is not mentioned, but words of a primitive it is confused with are.
  // Primitives named wrongly (confused or loosely) are not also reported missing: the fix is the same.
  const confused = new Set<string>();
  for (const p of labelled) {
    if (mentions.get(p.id)?.length) continue;
    const ownHeads = new Set(headRegexes(c, p).map((h) => h.head));
    const wanted = p.keywords[0] ?? p.label;
    for (const [qid, note] of c.confusables.get(p.id) ?? []) {
      if (labelledIds.has(qid)) continue;
      const q = primitiveById(spec, qid);
      if (!q) continue;
      const heads = headRegexes(c, q).filter((h) => !ownHeads.has(h.head));
      for (const s of spansOf([...keywordRegexes(c, q), ...heads], text, lower)) {
        // Words that name another labelled primitive are right ("zooms out" in a dolly zoom).
        if (labelledMentions.some((m) => overlaps(m, s))) continue;
        const said = quote(s);
        const fix = inflectPhrase(wanted, phraseForm(said));
        const why = note ?? p.rule.doesNotApply;
        add(
          "confusion",
          s,
          `"${said}" reads as ${q.label} (${q.id}), but the labelled primitive is ${p.label} (${p.id}). ${why}`,
          fix,
          p.id,
        );
        confused.add(p.id);
      }
    }
    // The labelled primitive's own "avoid" words: loose names for it.
    for (const s of spansOf(avoidRegexes(c, p), text, lower)) {
      if (labelledMentions.some((m) => overlaps(m, s))) continue;
      add(
        "imprecise",
        s,
        `"${quote(s)}" is a loose term for the labelled ${p.label} (${p.id}).`,
        inflectPhrase(wanted, phraseForm(quote(s))),
        p.id,
      );
      confused.add(p.id);
    }
  }

  for (const t of c.imprecise) {
    const entry = t.entry;
    if (!applies(entry, aspect)) continue;
    const found = matches(t);
    if (!found.length) continue;
    const meant = entry.means.map((id) => primitiveById(spec, id)).filter((p): p is Primitive => p !== undefined);
    const precise = spansOf(preciseTermsContaining(c, spec, t), text, lower).concat(labelledMentions);
    const labelledMeant = meant.find((p) => labelledIds.has(p.id));
    for (const s of found) {
      // Part of a precise phrase ("zooms in" names zoom in): not loose.
      if (precise.some((m) => overlaps(m, s))) continue;
      if (labelledMeant) {
        // The loose word stands for a labelled primitive: name that one, as for its own words to avoid.
        add(
          "imprecise",
          s,
          `"${quote(s)}" is a loose term for the labelled ${labelledMeant.label} (${labelledMeant.id}). ` +
            entry.suggestion,
          inflectPhrase(labelledMeant.keywords[0] ?? labelledMeant.label, phraseForm(quote(s))),
          labelledMeant.id,
        );
        confused.add(labelledMeant.id);
      } else {
        add("imprecise", s, `"${quote(s)}" is imprecise.`, entry.suggestion);
      }
    }
  }

  for (const p of labelled) {
    if (mentions.get(p.id)?.length || confused.has(p.id)) continue;
    findings.push({
      rule: "missing",
      severity: SEVERITY.missing,
      start: null,
      end: null,
      text: p.label,
      message: `The labelled primitive ${p.label} (${p.id}) is not mentioned.`,
      suggestion: p.phrasing,
      primitiveId: p.id,
    });
  }

  return dedupe(findings, input).sort(compareFindings);
}

const RULE_ORDER: Record<LintRule, number> = { confusion: 0, imprecise: 1, subjective: 2, hedge: 3, missing: 4 };

/** Spans first (by position, longer first), then missing findings; ties broken by rule, primitive and message. */
export function compareFindings(a: Finding, b: Finding): number {
  const as = a.start ?? Infinity;
  const bs = b.start ?? Infinity;
  if (as !== bs) return as - bs;
  const ae = a.end ?? Infinity;
  const be = b.end ?? Infinity;
  if (ae !== be) return be - ae;
  if (a.rule !== b.rule) return RULE_ORDER[a.rule] - RULE_ORDER[b.rule];
  const ap = a.primitiveId ?? "";
  const bp = b.primitiveId ?? "";
  if (ap !== bp) return ap < bp ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/**
 * One finding per place: overlapping hedges or subjective words merge into one span, overlapping findings of another
 * rule keep the longest, and a confusion outranks an imprecise-term finding on the same words (it says more).
 */
function dedupe(findings: Finding[], input: string): Finding[] {
  const spanned = findings.filter((f): f is Finding & Span => f.start !== null && f.end !== null);
  const ranked = spanned.sort((a, b) => {
    const byRule = RULE_ORDER[a.rule] - RULE_ORDER[b.rule];
    const byLength = b.end - b.start - (a.end - a.start);
    // A finding tied to a labelled primitive says more than the generic lexicon one on the same words.
    const byPrimitive = (b.primitiveId ? 1 : 0) - (a.primitiveId ? 1 : 0);
    return byRule || byLength || byPrimitive || compareFindings(a, b);
  });
  const kept: (Finding & Span)[] = [];
  for (const f of ranked) {
    const same = kept.find((k) => overlaps(f, k) && k.rule === f.rule);
    if (same && MERGED.has(f.rule)) {
      // "It appears" + "appears to be" → one hedge over "It appears to be".
      same.start = Math.min(same.start, f.start);
      same.end = Math.max(same.end, f.end);
      same.text = input.slice(same.start, same.end);
      continue;
    }
    const clash = same ?? kept.find((k) => overlaps(f, k) && f.rule === "imprecise" && k.rule === "confusion");
    if (!clash) kept.push(f);
  }
  return [...kept, ...findings.filter((f) => f.start === null)];
}

/** Rules whose overlapping findings merge into one span (their message does not quote a single term). */
const MERGED = new Set<LintRule>(["hedge", "subjective"]);
