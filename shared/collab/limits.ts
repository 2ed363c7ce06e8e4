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
  /** Awareness state of one client, serialised. */
  maxAwarenessStateBytes: 16 * 1024,
} as const;

export type CollabLimits = { -readonly [K in keyof typeof COLLAB_LIMITS]: number };

/** When the log is compacted into a snapshot: whichever threshold is passed first. */
export const COMPACTION_DEFAULTS = {
  maxTailUpdates: 500,
  maxTailBytes: 512 * 1024,
} as const;
