import * as Y from "yjs";
import { z } from "zod";
import { CatchKind } from "../domain";
import { CatchStatus } from "../api/review";

/**
 * A light summary of each catch, mirrored by the server into the task's room document so everyone in the room sees
 * catches appear live. The database is the authority (a client can write any bytes into a Y.Doc): readers validate
 * each entry and the room shows the summary only; the catches API has the real record.
 */
export const CATCHES_FIELD = "catches";

export const CatchSummary = z.object({
  id: z.string().min(1).max(100),
  kind: CatchKind,
  itemId: z.string().max(100).nullable(),
  timeStart: z.number().nullable(),
  timeEnd: z.number().nullable(),
  note: z.string().max(2000),
  status: CatchStatus,
  reviewerName: z.string().max(200),
  createdAt: z.string().max(40),
});
export type CatchSummary = z.infer<typeof CatchSummary>;

export const catchesMap = (doc: Y.Doc) => doc.getMap<unknown>(CATCHES_FIELD);

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
