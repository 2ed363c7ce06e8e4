import * as Y from "yjs";
import { CatchSummary, catchesMap } from "./layout";

/**
 * The catches field of the room document (layout.ts): the server mirrors a summary of each catch so everyone in the
 * room sees catches appear live. Readers validate each entry and skip anything malformed.
 */
export { CatchSummary, catchesMap };

export function putCatchSummary(doc: Y.Doc, summary: CatchSummary, origin: unknown = null): void {
  const valid = CatchSummary.parse(summary);
  doc.transact(() => catchesMap(doc).set(valid.id, { ...valid }), origin);
}

/** Valid summaries, oldest first; anything malformed is skipped. */
export function catchSummariesFromDoc(doc: Y.Doc): CatchSummary[] {
  const out: CatchSummary[] = [];
  for (const [key, value] of catchesMap(doc).entries()) {
    const parsed = CatchSummary.safeParse(value);
    if (parsed.success && parsed.data.id === key) out.push(parsed.data);
  }
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}
