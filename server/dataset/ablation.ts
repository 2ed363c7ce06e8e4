import { createHash } from "node:crypto";
import { renderCritique, sortByTime, type CritiqueItem } from "../../shared/critique/items";
import type { AblationFormat, ChaiRecord } from "../../shared/dataset/formats";

/**
 * The degraded critiques of the ablation sets. The CHAI paper trains critique models on critiques made worse in
 * precision, recall and constructiveness to show what critique quality is worth; these sets let a team repeat that
 * on its own approved work: train one critique model on `critique-gen` and one on each set below, evaluate alike.
 *
 * Each variant is made from the record's critique items (time order, as renderCritique writes them) and rendered the
 * same way, so it differs from the full critique only by the degradation:
 *
 *   inaccurate        every item's claim (error type, what is wrong, the fix) is moved to another place: with two
 *                     or more items the claims are rotated by a seeded offset over the items' spans and times, so
 *                     each span gets another item's claim; a single item that quotes the caption gets its quote
 *                     moved to another span of the pre-caption with as many words (a seeded choice among those not
 *                     overlapping the real one). A single item quoting nothing has no other place in the record,
 *                     so that record is left out.
 *   incomplete        half the items, rounded down, and at least one, are dropped (a seeded choice); the rest keep
 *                     their order. A one-item critique is left out: dropping its item would leave the "no errors"
 *                     sentinel, which is a different, wrong, lesson.
 *   nonconstructive   every item's fix is removed: each says what is wrong and never how to fix it.
 *
 * Deterministic: every choice comes from SHA-256 of "<export seed>:<clip sha256>:<aspect>:<variant>:<n>" (never
 * Math.random), so the same export gives the same sets and another seed other ones. A record is left out when its
 * critique has no items (text only, as imported from the released CHAI files), when it has too few for the variant,
 * or when the degraded critique reads exactly like the full one; the manifest counts each.
 */

export type AblationVariant = "inaccurate" | "incomplete" | "nonconstructive";

export const ABLATION_VARIANT: Record<AblationFormat, AblationVariant> = {
  "ablation-inaccurate": "inaccurate",
  "ablation-incomplete": "incomplete",
  "ablation-nonconstructive": "nonconstructive",
};

export type LeftOutReason = "no_items" | "too_few_items" | "unchanged";

export type Degraded = { ok: true; items: CritiqueItem[]; text: string } | { ok: false; reason: LeftOutReason };

type Source = Pick<ChaiRecord, "video_sha256" | "aspect" | "pre_caption"> & { critique: { items: readonly CritiqueItem[] } };

/** A stream of seeded choices: pick(n) is an integer in [0, n). */
function chooser(key: string): (n: number) => number {
  let counter = 0;
  return (n) => {
    const digest = createHash("sha256").update(`${key}:${counter++}`).digest();
    return Number(digest.readBigUInt64BE(0) % BigInt(n));
  };
}

/** The claims rotated over the places (spans and times) by an offset in [1, n-1]: no item keeps its own. */
function rotateClaims(items: CritiqueItem[], pick: (n: number) => number): CritiqueItem[] {
  const offset = 1 + pick(items.length - 1);
  return items.map((place, i) => {
    const claim = items[(i + offset) % items.length]!;
    return { ...place, errorType: claim.errorType, primitiveId: claim.primitiveId, what: claim.what, fix: claim.fix };
  });
}

const EDGE_PUNCTUATION = /^[\s"“”'‘’(),.;:!?]+|[\s"“”'‘’(),.;:!?]+$/g;

/**
 * Another span of `caption` with as many words as `quote` (1–6), not overlapping the quote's first occurrence and
 * not reading the same; null when the caption has none.
 */
function otherSpan(caption: string, quote: string, pick: (n: number) => number): string | null {
  const words = [...caption.matchAll(/\S+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const width = Math.min(6, Math.max(1, quote.split(/\s+/).filter(Boolean).length));
  const at = caption.indexOf(quote);
  const quoteEnd = at + quote.length;
  const candidates: string[] = [];
  for (let i = 0; i + width <= words.length; i++) {
    const start = words[i]!.start;
    const end = words[i + width - 1]!.end;
    if (at >= 0 && start < quoteEnd && end > at) continue;
    const span = caption.slice(start, end).replace(EDGE_PUNCTUATION, "");
    if (span && span.toLowerCase() !== quote.toLowerCase()) candidates.push(span);
  }
  return candidates.length > 0 ? candidates[pick(candidates.length)]! : null;
}

function inaccurate(items: CritiqueItem[], caption: string, pick: (n: number) => number): CritiqueItem[] | null {
  if (items.length >= 2) return rotateClaims(items, pick);
  const only = items[0]!;
  const quote = only.anchor?.quote.trim();
  if (!only.anchor || !quote) return null;
  const span = otherSpan(caption, quote, pick);
  return span ? [{ ...only, anchor: { ...only.anchor, quote: span } }] : null;
}

function incomplete(items: CritiqueItem[], pick: (n: number) => number): CritiqueItem[] | null {
  if (items.length < 2) return null;
  const drop = Math.max(1, Math.floor(items.length / 2));
  // A seeded partial Fisher–Yates over the positions: the first `drop` of the shuffle are dropped.
  const order = items.map((_, i) => i);
  for (let i = 0; i < drop; i++) {
    const j = i + pick(order.length - i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const dropped = new Set(order.slice(0, drop));
  return items.filter((_, i) => !dropped.has(i));
}

const nonconstructive = (items: CritiqueItem[]): CritiqueItem[] => items.map((i) => ({ ...i, fix: "" }));

/** The record's critique degraded as `variant` says, or why it cannot be. */
export function degradeCritique(variant: AblationVariant, record: Source, seed: number): Degraded {
  const items = sortByTime(record.critique.items);
  if (items.length === 0) return { ok: false, reason: "no_items" };
  const pick = chooser(`${seed}:${record.video_sha256}:${record.aspect}:${variant}`);
  const degraded =
    variant === "inaccurate" ? inaccurate(items, record.pre_caption, pick) : variant === "incomplete" ? incomplete(items, pick) : nonconstructive(items);
  if (!degraded) return { ok: false, reason: "too_few_items" };
  const text = renderCritique(degraded);
  if (text === renderCritique(items)) return { ok: false, reason: "unchanged" };
  return { ok: true, items: degraded, text };
}
