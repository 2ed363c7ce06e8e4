import * as Y from "yjs";
import { renderCritique, type CritiqueItem } from "../critique/items";
import { PolishRecord, polishMap, recordFromMap, writeRecordToMap } from "./layout";

/**
 * The polish field of the room document (layout.ts): the critique as rendered when the model tidied its wording,
 * and the tidied text. Server-written; kept so a polished critique is reused only while the critique is unchanged.
 */
export { PolishRecord };

const KEYS = Object.keys(PolishRecord.shape);

export function putPolish(doc: Y.Doc, record: PolishRecord, origin: unknown = null): void {
  writeRecordToMap(polishMap(doc), PolishRecord.parse(record), origin);
}

/** The stored record, or null when absent or unreadable. */
export function readPolish(doc: Y.Doc): PolishRecord | null {
  const parsed = PolishRecord.safeParse(recordFromMap(polishMap(doc), KEYS));
  return parsed.success ? parsed.data : null;
}

/** The polished text when it was made from the critique as it stands now; null otherwise. */
export function polishedFor(doc: Y.Doc, items: readonly CritiqueItem[]): string | null {
  const record = readPolish(doc);
  return record && record.original === renderCritique(items) ? record.polished : null;
}
