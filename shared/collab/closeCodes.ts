/**
 * WebSocket close codes the collaboration server uses. The stock y-websocket client treats 4400–4499 as permanent
 * (it stops reconnecting) and every other code as transient (it reconnects with backoff), so the ranges are chosen
 * by what the client should do next.
 */
export const CLOSE = {
  /** Service restart (RFC 6455 registry): the process drains for a restart; reconnect at once, through the balancer. */
  SERVICE_RESTART: 1012,
  /** Frame larger than COLLAB_LIMITS.maxMessageBytes (set by the ws library itself; standard code). */
  MESSAGE_TOO_BIG: 1009,
  /** Role or stage changed: rejoin to get the new rights. */
  PERMISSIONS_CHANGED: 4100,
  /** Too many messages per second for too long: reconnect later. */
  RATE_LIMITED: 4529,
  /** The room could not be loaded or its log could not be written: transient. */
  ROOM_UNAVAILABLE: 4500,
  /** A message that does not decode as the y-websocket protocol: do not retry the same bytes. */
  MALFORMED_MESSAGE: 4400,
  /** Access to the task was withdrawn. */
  ACCESS_REVOKED: 4403,
  /** The document would grow past COLLAB_LIMITS.maxDocumentBytes. */
  DOCUMENT_TOO_LARGE: 4413,
  /**
   * A change of this client was refused (REFUSED says why) and its copy of the document can no longer be brought
   * back in line in place: reload the room for a fresh copy. Permanent, so a stock client does not resend it.
   */
  UPDATE_REFUSED: 4422,
} as const;

export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

export const CLOSE_REASONS: Record<CloseCode, string> = {
  [CLOSE.SERVICE_RESTART]: "service restart",
  [CLOSE.MESSAGE_TOO_BIG]: "message too big",
  [CLOSE.PERMISSIONS_CHANGED]: "permissions changed, rejoin",
  [CLOSE.RATE_LIMITED]: "too many messages",
  [CLOSE.ROOM_UNAVAILABLE]: "room unavailable",
  [CLOSE.MALFORMED_MESSAGE]: "malformed message",
  [CLOSE.ACCESS_REVOKED]: "access revoked",
  [CLOSE.DOCUMENT_TOO_LARGE]: "document too large",
  [CLOSE.UPDATE_REFUSED]: "your change was refused; reload the room",
};
