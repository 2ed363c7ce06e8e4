import * as Y from "yjs";

/** A room as stored: the compacted snapshot (if any) and the log rows not merged into it yet. */
export type StoredRoom = {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
  /** Bytes of snapshot + updates: the room's stored size, for the document bound. */
  bytes: number;
};

export type AppendEntry = { room: string; update: Uint8Array };

export type CompactionResult = { mergedUpdates: number; mergedBytes: number; snapshotBytes: number };

/**
 * Where rooms live between loads. Small on purpose so the registry can run on PostgreSQL (both drivers) or in
 * memory (unit tests). Appends are all-or-nothing: a batch either commits entirely or throws.
 */
export interface DocStorage {
  load(room: string): Promise<StoredRoom>;
  append(entries: readonly AppendEntry[]): Promise<void>;
  /** Merges the snapshot and the log rows present now into a new snapshot and removes exactly those rows. */
  compact(room: string): Promise<CompactionResult>;
}

/** One state update from a snapshot and log rows in any order (Yjs updates commute and are idempotent). */
export function mergeToState(snapshot: Uint8Array | null, updates: readonly Uint8Array[]): Uint8Array {
  const doc = new Y.Doc({ guid: "merge" });
  try {
    doc.transact(() => {
      if (snapshot) Y.applyUpdate(doc, snapshot);
      for (const u of updates) Y.applyUpdate(doc, u);
    });
    // Re-encoding a garbage-collected doc drops deleted content, which a plain mergeUpdates would keep.
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
