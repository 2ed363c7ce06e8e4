/**
 * Bounds of the collaboration server. One place so the server enforces and the client can respect the same numbers.
 * Per-process figures: with several processes behind a load balancer each enforces its own share.
 */
export const COLLAB_LIMITS = {
  /** Largest WebSocket message accepted; a larger frame closes that connection with CLOSE.MESSAGE_TOO_BIG. */
  maxMessageBytes: 1024 * 1024,
  /** Largest persisted size of one room's document (snapshot + log); growth past it is refused. */
  maxDocumentBytes: 16 * 1024 * 1024,
  /** Live connections in one room on one process (annotator, reviewer, trainer, lead, a few tabs each). */
  maxConnectionsPerRoom: 32,
  /** Live connections of one user on one process, over all rooms. */
  maxConnectionsPerUser: 24,
  /** A y-websocket connection is bound to one room by its URL path. */
  roomsPerConnection: 1,
  /** Token bucket per connection: sustained messages per second and burst size. */
  messagesPerSecond: 100,
  messageBurst: 400,
  /** A connection this far in debt (beyond the burst) is closed instead of being slowed down. */
  maxMessageDebt: 400,
  /** Awareness state of one client, serialised (a caret, a playhead and the stamped identity need far less). */
  maxAwarenessStateBytes: 4 * 1024,
  /**
   * Awareness client ids one connection may claim, in all and newly per message. A tab has one Y.Doc, hence one id;
   * a few more cover a doc that changed its id. Stock clients echo everyone's states back: those entries are dropped.
   */
  maxClientIdsPerConnection: 4,
  maxNewClientIdsPerMessage: 2,
  /**
   * Bound on one room's updates accepted but not yet in the database (the queue grows only while the database is
   * down): past it the room refuses writes with "storage_unavailable" until the queue drains.
   */
  maxPendingUpdatesPerRoom: 5_000,
  /**
   * Bytes of document messages one connection may have held for missing dependencies (a reconnecting client's edit
   * can arrive before the sync step 2 it builds on); past it the update is refused with "missing_dependencies".
   */
  maxHeldBytes: 1024 * 1024,
  maxPendingBytesPerRoom: 4 * 1024 * 1024,
} as const;

export type CollabLimits = { -readonly [K in keyof typeof COLLAB_LIMITS]: number };

/** When the log is compacted into a snapshot: whichever threshold is passed first. */
export const COMPACTION_DEFAULTS = {
  maxTailUpdates: 500,
  maxTailBytes: 512 * 1024,
} as const;
