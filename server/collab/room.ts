import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import type { CollabConnection } from "./connection";

/**
 * One loaded room: its document, presence and local connections, plus the bookkeeping that decides when it may be
 * unloaded (holds, unpersisted updates) and compacted (log tail size).
 */
export class Room {
  readonly doc = new Y.Doc();
  readonly awareness: Awareness;
  readonly conns = new Set<CollabConnection>();
  /** Client ids seen in presence relayed from peer processes: local connections may not claim them. */
  readonly remoteClientIds = new Set<number>();
  /** Connections, joins in progress and server-side edits keep a room loaded. */
  holds = 0;
  /** Updates queued for the log but not committed yet; a room with any is never unloaded. */
  unpersisted = 0;
  /** Bytes of snapshot + log, kept current as updates are queued and compactions finish. */
  storedBytes: number;
  tailUpdates: number;
  tailBytes: number;
  unloadTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly name: string,
    init: { storedBytes: number; tailUpdates: number; tailBytes: number },
  ) {
    this.awareness = new Awareness(this.doc);
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
    this.storedBytes = init.storedBytes;
    this.tailUpdates = init.tailUpdates;
    this.tailBytes = init.tailBytes;
  }

  /** Sends a message to every local connection but one (the sender). */
  broadcast(data: Uint8Array, except: unknown): void {
    for (const c of this.conns) if (c !== except) c.send(data);
  }

  destroy(): void {
    clearTimeout(this.unloadTimer);
    this.awareness.destroy();
    this.doc.destroy();
  }
}
