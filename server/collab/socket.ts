import type { CloseCode } from "../../shared/collab/closeCodes";

/**
 * What a connection needs from its transport, and all it knows of it: the room and the protocol never see the ws
 * library (its adapter is wsSocket.ts), so they can be driven by an in-memory socket as well.
 */
export interface CollabSocket {
  /** False once the socket is closing or closed; sends are then dropped. */
  readonly isOpen: boolean;
  send(data: Uint8Array): void;
  /** Closes with one of our codes (shared/collab/closeCodes.ts); also ends any pause. */
  close(code: CloseCode): void;
  /** Stops reading incoming frames for `ms` (backpressure on a flood); no-op while already paused. */
  pauseFor(ms: number): void;
}
