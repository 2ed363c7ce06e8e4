import { z } from "zod";
import { ERROR_TYPE_LABELS, ErrorType } from "../domain";

/**
 * A critique item as it lives in the room document (shared/room/document.ts) and in round snapshots, and its plain-text
 * rendering used by prompts and exports.
 */

export const MAX_CRITIQUE_ITEMS = 200;
export const MAX_CRITIQUE_FIELD = 2000;
/** Base64 of an encoded Yjs RelativePosition: a few dozen bytes in practice. */
const MAX_POSITION_B64 = 512;

export const CritiqueAnchor = z.strictObject({
  start: z.string().min(1).max(MAX_POSITION_B64),
  end: z.string().min(1).max(MAX_POSITION_B64),
  /** The quoted span of the draft when the anchor was made: shown when the span is deleted (orphaned). */
  quote: z.string().max(MAX_CRITIQUE_FIELD),
});
export type CritiqueAnchor = z.infer<typeof CritiqueAnchor>;

const seconds = z.number().finite().min(0).max(24 * 3600);

export const CritiqueItem = z
  .strictObject({
    id: z.string().min(1).max(100),
    errorType: ErrorType,
    primitiveId: z.string().min(1).max(200).nullable(),
    /** What is wrong. */
    what: z.string().max(MAX_CRITIQUE_FIELD),
    /** How to fix it. */
    fix: z.string().max(MAX_CRITIQUE_FIELD),
    /** The span of the draft; null for time-only items (missing information). */
    anchor: CritiqueAnchor.nullable(),
    timeStart: seconds.nullable(),
    timeEnd: seconds.nullable(),
    createdBy: z.string().min(1).max(200),
    /** ISO 8601. */
    createdAt: z.string().min(1).max(40),
  })
  .refine((i) => i.timeStart === null || i.timeEnd === null || i.timeEnd >= i.timeStart, {
    message: "timeEnd must not be before timeStart",
    path: ["timeEnd"],
  });
export type CritiqueItem = z.infer<typeof CritiqueItem>;

/** An item as shown outside the editor (diffs, gold-score results): a quote in place of the live anchor. */
export type CritiqueItemView = Pick<CritiqueItem, "id" | "errorType" | "primitiveId" | "timeStart" | "timeEnd" | "what" | "fix"> & {
  quote: string | null;
};

/** The view of an item, with the quote the caller shows for it. */
export const critiqueItemView = (item: CritiqueItem, quote: string | null): CritiqueItemView => ({
  id: item.id,
  errorType: item.errorType,
  primitiveId: item.primitiveId,
  quote,
  timeStart: item.timeStart,
  timeEnd: item.timeEnd,
  what: item.what,
  fix: item.fix,
});

export const errorTypeText = (t: ErrorType) => ERROR_TYPE_LABELS[t];

/** 61.25 → "01:01.3" (minutes:seconds.tenths). */
export function formatClipTime(seconds: number): string {
  const tenths = Math.round(seconds * 10);
  const m = Math.floor(tenths / 600);
  const s = (tenths % 600) / 10;
  return `${String(m).padStart(2, "0")}:${s.toFixed(1).padStart(4, "0")}`;
}

function formatRange(item: CritiqueItem): string {
  if (item.timeStart === null) return "";
  const end = item.timeEnd ?? item.timeStart;
  return end === item.timeStart
    ? `[${formatClipTime(item.timeStart)}] `
    : `[${formatClipTime(item.timeStart)}–${formatClipTime(end)}] `;
}

const sentence = (s: string) => {
  const t = s.trim().replace(/\s+/g, " ");
  if (!t) return "";
  return /[.!?…]["”')]?$/.test(t) ? t : `${t}.`;
};

/** Time order; items without a time come last; ties keep creation order. */
export function sortByTime<T extends CritiqueItem>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => {
    const ta = a.timeStart ?? Number.POSITIVE_INFINITY;
    const tb = b.timeStart ?? Number.POSITIVE_INFINITY;
    if (ta !== tb) return ta - tb;
    return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

/** One line: `[00:01.2–00:02.0] Wrong term: "zooms" — what is wrong. Fix: the fix.` */
export function renderCritiqueItem(item: CritiqueItem): string {
  const quote = item.anchor?.quote.trim() ? ` "${item.anchor.quote.trim()}"` : "";
  const head = `${formatRange(item)}${errorTypeText(item.errorType)}:${quote}`;
  const what = sentence(item.what);
  const fix = sentence(item.fix);
  return [quote ? `${head} —` : head, what, fix ? `Fix: ${fix}` : ""].filter(Boolean).join(" ");
}

/** The plain-text critique, one item per line in time order. */
export function renderCritique(items: readonly CritiqueItem[]): string {
  return sortByTime(items).map(renderCritiqueItem).join("\n");
}

/** What a fix asks for, when it can be read mechanically. */
export type ParsedFix =
  | { kind: "replace"; text: string }
  | { kind: "insert"; text: string }
  | { kind: "delete" }
  | { kind: "free"; text: string };

const Q = `["“”'‘’]`;
const QUOTED = new RegExp(`${Q}([^"“”]+?)${Q}`);
const REPLACE_FORMS = [
  /^(?:write|use|say)\b/i,
  /^(?:replace|substitute)\b(?:\s+(?:it|this|that|the\s+\w+))?\s+(?:with|by)\b/i,
  /^(?:change|correct|rewrite)\b(?:\s+(?:it|this|that))?\s+to\b/i,
  /^(?:it\s+)?should\s+(?:be|read|say)\b/i,
  /^(?:→|->|=>)/,
];
const SWAP_FORM = new RegExp(`^(?:replace|change|swap)\\s+${Q}[^"“”]+${Q}\\s+(?:with|to|by|for)\\s+${Q}([^"“”]+)${Q}`, "i");
const ARROW_FORM = new RegExp(`^${Q}[^"“”]+${Q}\\s*(?:→|->|=>)\\s*${Q}([^"“”]+)${Q}`);
const INSERT_FORMS = [/^(?:add|insert|append|mention|include)\b/i];
const DELETE_FORM = new RegExp(
  `^(?:delete|remove|drop|omit|cut|strike)\\b(?:\\s+(?:it|this|that|the\\s+(?:phrase|word|words|span|sentence|clause)))?` +
    `(?:\\s+${Q}[^"“”]*${Q})?\\s*[.!]?$`,
  "i",
);

/**
 * Reads the instruction in a fix: `write "X"`, `replace with "X"`, `→ "X"`, `change to "X"`, `should be "X"` →
 * replace; `add "X"` / `insert "X"` → insert; `delete` / `remove it` → delete; anything else is free text.
 */
export function parseFix(fix: string): ParsedFix {
  const t = fix.trim().replace(/^fix:\s*/i, "");
  if (DELETE_FORM.test(t)) return { kind: "delete" };
  // `replace "zooms" with "dollies in"`, `"zooms" → "dollies in"`: the text after "with"/the arrow.
  const explicit = SWAP_FORM.exec(t) ?? ARROW_FORM.exec(t);
  if (explicit?.[1]?.trim()) return { kind: "replace", text: explicit[1].trim() };
  for (const form of REPLACE_FORMS) {
    const m = form.exec(t);
    if (m) {
      const q = QUOTED.exec(t.slice(m[0].length));
      if (q?.[1]?.trim()) return { kind: "replace", text: q[1].trim() };
    }
  }
  for (const form of INSERT_FORMS) {
    const m = form.exec(t);
    if (m) {
      const q = QUOTED.exec(t.slice(m[0].length));
      if (q?.[1]?.trim()) return { kind: "insert", text: q[1].trim() };
    }
  }
  return { kind: "free", text: t };
}

const VAGUE_FIX = /^(?:fix(?: it| this)?|wrong|incorrect|bad|improve(?: it| this)?|change(?: it| this)?|rewrite(?: it| this)?|n\/?a|\?+|-+)[.!]?$/i;

/** Why an item is not constructive (an empty list means it is): a critique must say what is wrong and how to fix it. */
export function constructiveProblems(item: CritiqueItem): string[] {
  const problems: string[] = [];
  if (!item.what.trim()) problems.push("It does not say what is wrong.");
  const fix = item.fix.trim();
  if (!fix) problems.push("It does not say how to fix it.");
  else if (VAGUE_FIX.test(fix) || fix.split(/\s+/).length < 2) problems.push("The fix is too vague to act on.");
  else {
    const parsed = parseFix(fix);
    const quote = item.anchor?.quote.trim().toLowerCase();
    if (parsed.kind === "replace" && quote && parsed.text.toLowerCase() === quote) {
      problems.push("The fix repeats the quoted text unchanged.");
    }
  }
  if (item.anchor === null && item.timeStart === null) problems.push("It is anchored neither to the draft nor to a time.");
  return problems;
}

export const isConstructive = (item: CritiqueItem) => constructiveProblems(item).length === 0;

/** How many of the items are constructive (the room's critique count). */
export const constructiveCount = (items: readonly CritiqueItem[]) => items.filter(isConstructive).length;
