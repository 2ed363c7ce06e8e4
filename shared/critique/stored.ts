import { CritiqueItem } from "./items";

/**
 * Critique items read back from storage: a task version's or a round's `critique` column, an imported record.
 * They were valid when written, but jsonb holds whatever was put there (an older schema, a hand edit), so every
 * reader parses them here, one policy for all: an entry that is not a valid item is skipped, never thrown on, and
 * a value that is not a list reads as no items.
 */
export function parseStoredItems(value: unknown): CritiqueItem[] {
  if (!Array.isArray(value)) return [];
  const items: CritiqueItem[] = [];
  for (const entry of value) {
    const parsed = CritiqueItem.safeParse(entry);
    if (parsed.success) items.push(parsed.data);
  }
  return items;
}
