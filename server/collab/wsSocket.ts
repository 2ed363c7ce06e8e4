import type { RawData, WebSocket } from "ws";
import { CLOSE_REASONS, type CloseCode } from "../../shared/collab/closeCodes";
import type { CollabSocket } from "./socket";

/** Frames as bytes, whatever shape ws delivered them in. */
function asBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The ws adapter: a ws WebSocket as a CollabSocket. */
export class WsSocket implements CollabSocket {
  private resumeTimer: NodeJS.Timeout | undefined;

  constructor(private readonly ws: WebSocket) {}

  /** Delivers incoming frames and the end of the socket (however it ended) to the connection. */
  listen(handlers: { message(data: Uint8Array, isBinary: boolean): void; closed(): void }): void {
    // An oversized frame makes ws close with 1009 and emit "error"; the close event follows.
    this.ws.on("error", () => {});
    this.ws.on("message", (data: RawData, isBinary: boolean) => handlers.message(asBytes(data), isBinary));
    this.ws.on("close", () => {
      clearTimeout(this.resumeTimer);
      handlers.closed();
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  send(data: Uint8Array): void {
    if (!this.isOpen) return;
    // No per-send callback: a failed write surfaces as the socket's error/close event, which detaches us.
    this.ws.send(data, { binary: true });
  }

  close(code: CloseCode): void {
    clearTimeout(this.resumeTimer);
    try {
      // A socket paused by the rate limit could not read the peer's close frame: the handshake would hang.
      if (this.ws.isPaused) this.ws.resume();
      this.ws.close(code, CLOSE_REASONS[code]);
    } catch {
      this.ws.terminate();
    }
  }

  pauseFor(ms: number): void {
    if (this.ws.isPaused) return;
    this.ws.pause();
    this.resumeTimer = setTimeout(() => {
      if (this.isOpen) this.ws.resume();
    }, ms);
  }
}
