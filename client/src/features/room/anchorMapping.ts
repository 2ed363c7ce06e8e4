import type { Node as PmNode } from "@tiptap/pm/model";
import type * as Y from "yjs";
import type { CritiqueItem } from "../../../../shared/critique/items";
import type { Finding } from "../../../../shared/captionSpec/lint";
import { anchorFromTextRange, resolveAnchor } from "../../../../shared/room/document";
import type { CritiqueAnchor } from "../../../../shared/critique/items";

/**
 * The bridge between ProseMirror positions and the plain-text offsets of shared/room/document.ts (top-level blocks joined by
 * "\n", a hard break is "\n"). Anchors are made and resolved by the shared helpers, so the editor, the server and
 * the exports agree on what an anchor covers; only the coordinate change lives here.
 */

/** The plain text of a ProseMirror document, laid out as draftText lays out the Y.XmlFragment. */
export function pmPlainText(doc: PmNode): string {
  const blocks: string[] = [];
  doc.forEach((block) => blocks.push(block.textBetween(0, block.content.size, "\n", (leaf) => (leaf.type.name === "hardBreak" ? "\n" : "\uFFFC"))));
  return blocks.join("\n");
}

/** Plain-text offset of a ProseMirror position (a position between blocks counts as the nearer block's edge). */
export function pmToText(doc: PmNode, pos: number): number {
  let offset = 0;
  let result: number | null = null;
  doc.forEach((block, blockPos, index) => {
    if (result !== null) return;
    if (index > 0) offset += 1;
    const contentStart = blockPos + 1;
    const contentEnd = contentStart + block.content.size;
    if (pos <= contentEnd + 1) {
      const inside = Math.max(contentStart, Math.min(contentEnd, pos));
      result = offset + block.textBetween(0, inside - contentStart, "\n", (leaf) => (leaf.type.name === "hardBreak" ? "\n" : "\uFFFC")).length;
      return;
    }
    offset += block.textBetween(0, block.content.size, "\n", (leaf) => (leaf.type.name === "hardBreak" ? "\n" : "\uFFFC")).length;
  });
  return result ?? offset;
}

/** ProseMirror position of a plain-text offset (inside the block holding it). */
export function textToPm(doc: PmNode, offset: number): number {
  let remaining = offset;
  let result: number | null = null;
  doc.forEach((block, blockPos, index) => {
    if (result !== null) return;
    if (index > 0) remaining -= 1;
    let pos = blockPos + 1;
    const end = pos + block.content.size;
    block.forEach((child) => {
      if (result !== null) return;
      const size = child.isText ? (child.text?.length ?? 0) : 1;
      if (remaining <= size && child.isText) {
        result = pos + remaining;
        return;
      }
      if (remaining === 0) {
        result = pos;
        return;
      }
      remaining -= size;
      pos += child.nodeSize;
    });
    if (result === null && remaining <= 0) result = end;
  });
  return result ?? doc.content.size;
}

export type SpanRange = { from: number; to: number };

/** An anchor for the editor selection [from, to), or null for an empty selection or one the draft cannot hold. */
export function anchorFromSelection(ydoc: Y.Doc, pmDoc: PmNode, from: number, to: number): CritiqueAnchor | null {
  const a = pmToText(pmDoc, Math.min(from, to));
  const b = pmToText(pmDoc, Math.max(from, to));
  if (b <= a) return null;
  try {
    return anchorFromTextRange(ydoc, a, b);
  } catch {
    return null;
  }
}

export type ItemSpan = { itemId: string; from: number; to: number };
export type OrphanedItem = { itemId: string; quote: string };
export type LintSpan = { from: number; to: number; severity: Finding["severity"]; message: string };

/**
 * Where each item's span is in the editor right now, re-resolved from its RelativePositions (never mapped through
 * ProseMirror steps: y-tiptap replaces the whole document on remote changes). Items whose span was deleted are
 * listed as orphaned with their quote, never moved. Null when the editor has not caught up with the Y.Doc yet.
 */
export function resolveItemSpans(
  ydoc: Y.Doc,
  pmDoc: PmNode,
  items: readonly CritiqueItem[],
  plainText: string,
): { spans: ItemSpan[]; orphaned: OrphanedItem[] } | null {
  if (pmPlainText(pmDoc) !== plainText) return null;
  const spans: ItemSpan[] = [];
  const orphaned: OrphanedItem[] = [];
  for (const item of items) {
    if (!item.anchor) continue;
    const r = resolveAnchor(ydoc, item.anchor);
    if (r.orphaned) orphaned.push({ itemId: item.id, quote: r.quote });
    else spans.push({ itemId: item.id, from: textToPm(pmDoc, r.from), to: textToPm(pmDoc, r.to) });
  }
  return { spans, orphaned };
}

/** Lint findings with a span, in editor positions. */
export function lintSpans(pmDoc: PmNode, findings: readonly Finding[]): LintSpan[] {
  return findings.flatMap((f) =>
    f.start === null || f.end === null || f.end <= f.start
      ? []
      : [{ from: textToPm(pmDoc, f.start), to: textToPm(pmDoc, f.end), severity: f.severity, message: f.message }],
  );
}
