import { parseFix } from "../../../../shared/critique/items";
import { lintCaption } from "../../../../shared/captionSpec/lint";
import { findSlots } from "../../../../shared/captionSpec/phrasing";
import { findAll, termRegex } from "../../../../shared/captionSpec/terms";
import type { Span } from "../../../../shared/captionSpec/terms";
import type { RevisionItem, RevisionTask } from "../../prompts";
import { sentence } from "./draft";

/**
 * The rules provider's revision. It does exactly what the critique says, mechanically:
 *  1. each anchored item's fix is applied at its span (replace with the quoted text, delete, or add after it);
 *  2. each time-only item's text is inserted as a sentence in temporal order;
 *  3. subjective words flagged by the spec linter are removed.
 * Fixes it cannot read (free prose without a quoted replacement) are left for a model and reported as skipped, and so
 * are fixes whose text holds a template slot ("<subject>", "{walks}"): a revision never writes one.
 */

export type RevisionOutcome = {
  text: string;
  applied: Array<{ itemId: string; how: "replaced" | "deleted" | "added" | "inserted" }>;
  skipped: Array<{ itemId: string; reason: string }>;
  removedSubjective: string[];
};

/** Used when the task brings no spec lexicon. */
export const DEFAULT_SUBJECTIVE_TERMS = [
  "beautiful",
  "stunning",
  "breathtaking",
  "gorgeous",
  "majestic",
  "picturesque",
  "lovely",
  "amazing",
  "dramatic",
  "cinematic",
  "atmospheric",
  "moody",
  "eerie",
  "elegant",
  "captivating",
  "mesmerizing",
];

type Edit = { from: number; to: number; text: string; itemId: string; how: RevisionOutcome["applied"][number]["how"] };

/** Why a fix's text cannot be written: it holds a template slot that only the annotator can fill (null: it can). */
function slotReason(text: string): string | null {
  const slots = findSlots(text);
  return slots.length ? `the fix holds the template slot ${slots.map((s) => `"${s}"`).join(", ")}; it needs the words the clip shows` : null;
}

/** Where the item's span is in the draft: its resolved span when it still quotes the same text, else the quote. */
function spanOf(draft: string, item: RevisionItem): Span | null {
  const quote = item.anchor?.quote ?? "";
  if (item.span && item.span.to > item.span.from && item.span.to <= draft.length) {
    return { start: item.span.from, end: item.span.to };
  }
  if (!quote) return null;
  const at = draft.indexOf(quote);
  return at < 0 ? null : { start: at, end: at + quote.length };
}

const atSentenceStart = (text: string, at: number) => /(^|[.!?]\s+)$/.test(text.slice(0, at));
const capitalize = (s: string) => (s ? `${s[0]?.toUpperCase() ?? ""}${s.slice(1)}` : s);

/** Spaces and punctuation left behind by removals: "a  shot ," → "a shot,". */
function tidy(text: string): string {
  return text
    .replace(/[ \t]{2,}/g, " ")
    .replace(/ +([,.;:!?])/g, "$1")
    .replace(/([,;:])(?=[.!?])/g, "")
    .replace(/,\s*,/g, ",")
    .replace(/(^|[.!?]\s+)[,;:]\s*/g, "$1")
    .replace(/([.!?])\s*\.(?=\s|$)/g, "$1")
    .replace(/(^|[.!?]\s+)([a-z])/g, (_m, p: string, c: string) => `${p}${c.toUpperCase()}`)
    .replace(/\n /g, "\n")
    .trim();
}

function applySpanEdits(draft: string, items: RevisionItem[], outcome: RevisionOutcome): string {
  const edits: Edit[] = [];
  for (const item of items) {
    if (!item.anchor) continue;
    const fix = parseFix(item.fix);
    const span = spanOf(draft, item);
    if (!span) {
      outcome.skipped.push({ itemId: item.id, reason: "its span is no longer in the draft" });
      continue;
    }
    if (fix.kind === "free") {
      outcome.skipped.push({ itemId: item.id, reason: "the fix gives no quoted replacement to apply" });
      continue;
    }
    const slot = fix.kind === "delete" ? null : slotReason(fix.text);
    if (slot) {
      outcome.skipped.push({ itemId: item.id, reason: slot });
      continue;
    }
    const original = draft.slice(span.start, span.end);
    if (fix.kind === "delete") {
      edits.push({ from: span.start, to: span.end, text: "", itemId: item.id, how: "deleted" });
    } else if (fix.kind === "insert") {
      edits.push({ from: span.end, to: span.end, text: ` ${fix.text}`, itemId: item.id, how: "added" });
    } else {
      let text = fix.text;
      if (/^[A-Z]/.test(original) && atSentenceStart(draft, span.start)) text = capitalize(text);
      edits.push({ from: span.start, to: span.end, text, itemId: item.id, how: "replaced" });
    }
  }
  // Right to left, so earlier offsets stay valid; an edit overlapping one already applied is skipped.
  edits.sort((a, b) => b.from - a.from || b.to - a.to);
  let text = draft;
  let floor = Number.POSITIVE_INFINITY;
  const applied: RevisionOutcome["applied"] = [];
  for (const e of edits) {
    if (e.to > floor) {
      outcome.skipped.push({ itemId: e.itemId, reason: "its span overlaps another item's span" });
      continue;
    }
    text = text.slice(0, e.from) + e.text + text.slice(e.to);
    floor = e.from;
    applied.push({ itemId: e.itemId, how: e.how });
  }
  outcome.applied.push(...applied.reverse());
  return text;
}

/** Seconds a sentence mentions ("from 1.2 s", "at 3 s"), for placing new sentences in time order. */
function sentenceTime(s: string): number | null {
  const m = /\b(?:at|from|after|by|until|around)\s+(\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds)\b/i.exec(s);
  return m?.[1] ? Number(m[1]) : null;
}

const IMPERATIVE = /^(?:please\s+)?(?:add|mention|say|state|note|include|insert|describe)\s+(?:that\s+)?/i;

function insertionText(item: RevisionItem): string | null {
  const fix = parseFix(item.fix);
  if (fix.kind === "delete") return null;
  if (fix.kind === "insert" || fix.kind === "replace") return sentence(fix.text);
  const stripped = fix.text.replace(IMPERATIVE, "");
  return stripped === fix.text && !IMPERATIVE.test(fix.text) && !/\s/.test(stripped) ? null : sentence(stripped);
}

function insertTimeOnly(text: string, items: RevisionItem[], outcome: RevisionOutcome): string {
  const timeOnly = items.filter((i) => !i.anchor);
  if (!timeOnly.length) return text;
  // Sentences with the time they happen at; an untimed sentence inherits the time of the one before it.
  // Sentence ends are punctuation followed by a space, so "0.5 s" stays whole.
  const sentences = text.split(/(?<=[.!?]["')\]]?)\s+/).map((s) => s.trim()).filter(Boolean);
  const timed: Array<{ text: string; time: number }> = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const s of sentences) {
    last = Math.max(last, sentenceTime(s) ?? last);
    timed.push({ text: s, time: last });
  }
  for (const item of [...timeOnly].sort((a, b) => (a.timeStart ?? Infinity) - (b.timeStart ?? Infinity))) {
    const add = insertionText(item);
    if (!add) {
      outcome.skipped.push({ itemId: item.id, reason: "the fix says nothing to add" });
      continue;
    }
    const slot = slotReason(add);
    if (slot) {
      outcome.skipped.push({ itemId: item.id, reason: slot });
      continue;
    }
    const time = item.timeStart ?? Number.POSITIVE_INFINITY;
    const at = timed.findIndex((s) => s.time > time);
    timed.splice(at < 0 ? timed.length : at, 0, { text: add, time });
    outcome.applied.push({ itemId: item.id, how: "inserted" });
  }
  return timed.map((s) => s.text).join(" ");
}

const INTENSIFIER = /\b(?:very|really|quite|so|truly|incredibly|extremely|rather)\s+$/i;
const LINKING_END = /\b(?:is|are|was|were|looks?|seems?|feels?|appears?)\s*([.!?])$/i;

function subjectiveSpans(text: string, task: RevisionTask): Span[] {
  if (task.lint) {
    return lintCaption(text, { spec: task.lint.spec, lexicon: task.lint.lexicon, aspect: task.lint.aspect })
      .filter((f) => f.rule === "subjective" && f.start !== null && f.end !== null)
      .map((f) => ({ start: f.start ?? 0, end: f.end ?? 0 }));
  }
  return (task.subjectiveTerms ?? DEFAULT_SUBJECTIVE_TERMS).flatMap((t) => findAll(termRegex(t), text));
}

function removeSubjective(text: string, task: RevisionTask, outcome: RevisionOutcome): string {
  const spans = subjectiveSpans(text, task).sort((a, b) => b.start - a.start);
  let out = text;
  let floor = Number.POSITIVE_INFINITY;
  for (const s of spans) {
    if (s.end > floor) continue;
    outcome.removedSubjective.push(out.slice(s.start, s.end));
    let from = s.start;
    let to = s.end;
    const before = out.slice(0, from);
    const intensifier = INTENSIFIER.exec(before);
    if (intensifier) from -= intensifier[0].length;
    // "beautiful and calm" / "beautiful, calm": the connector goes with the word.
    const after = /^(?:\s*,\s*|\s+and\s+)/.exec(out.slice(to));
    const andBefore = /(?:\s*,\s*|\s+and\s+)$/.exec(out.slice(0, from));
    if (after && /^\s*\w/.test(out.slice(to + after[0].length))) to += after[0].length;
    else if (andBefore) from -= andBefore[0].length;
    let head = out.slice(0, from);
    const tail = out.slice(to);
    // The article before the removed word now precedes another word: "an amazing shot" → "a shot".
    const article = /\b(an?|An?)(\s+)$/.exec(head);
    if (article?.[1]) {
      const word = /^\s*[aeiou]/i.test(tail) ? "an" : "a";
      head = head.slice(0, article.index) + (article[1].startsWith("A") ? capitalize(word) : word) + (article[2] ?? "");
    }
    out = head + tail;
    floor = from;
  }
  // A sentence left with nothing after its verb ("The view is.") said only the judgement: drop it.
  return out
    .split(/(?<=[.!?])\s+/)
    .filter((s) => !LINKING_END.test(s.trim()))
    .join(" ");
}

export function applyCritique(task: RevisionTask): RevisionOutcome {
  const outcome: RevisionOutcome = { text: "", applied: [], skipped: [], removedSubjective: [] };
  let text = applySpanEdits(task.draft, task.items, outcome);
  text = tidy(text);
  text = insertTimeOnly(text, task.items, outcome);
  text = tidy(removeSubjective(text, task, outcome));
  outcome.text = text;
  return outcome;
}
