import { decodeOwnMessage, isDocumentMessage } from "./protocol";

export type SaveStatus = "saved" | "saving" | "offline";

/**
 * What the client shows as Saved / Saving / Offline, from the frames it sends and receives. The server numbers the
 * document messages of each connection from 1 and answers SAVED(n) once all up to n are committed; on a new
 * connection the numbering restarts and the client's sync step 2 carries every change the server may lack.
 * Pure state: feed it frames and connection events.
 */
export class SaveTracker {
  private sent = 0;
  private saved = 0;
  private connected = false;
  /** Local edits made while offline are pending until a connection has sent and saved them. */
  private dirtyOffline = false;

  connectionOpened(): void {
    this.connected = true;
    this.sent = 0;
    this.saved = 0;
  }

  connectionClosed(): void {
    if (this.sent > this.saved) this.dirtyOffline = true;
    this.connected = false;
  }

  /** A local document change happened (whether or not it could be sent). */
  localChange(): void {
    if (!this.connected) this.dirtyOffline = true;
  }

  outgoing(frame: Uint8Array): void {
    if (isDocumentMessage(frame)) this.sent++;
  }

  incoming(frame: Uint8Array): void {
    const msg = decodeOwnMessage(frame);
    if (msg?.type !== "saved") return;
    this.saved = Math.max(this.saved, msg.upTo);
    if (this.saved >= this.sent) this.dirtyOffline = false;
  }

  get status(): SaveStatus {
    if (!this.connected) return "offline";
    return this.saved >= this.sent && !this.dirtyOffline ? "saved" : "saving";
  }
}
