/**
 * The room's save state, from the provider's status and our own SAVED / REFUSED acknowledgements
 * (shared/collab/protocol.ts). Pure: events in, state out, so the rules are unit-tested without a socket.
 *
 * The server numbers the document messages of each connection 1, 2, 3…; SAVED n means all up to n are durable. A
 * local edit made while disconnected stays in the Y.Doc and goes out in the sync exchange of the next connection.
 */
export type SaveState = {
  status: "connecting" | "connected" | "disconnected";
  synced: boolean;
  /** Document messages sent on the current connection. */
  sent: number;
  /** Highest message number acknowledged (saved or refused) on the current connection. */
  settled: number;
  /** Local edits made since everything was last known saved (shown as "queued" while offline). */
  unsaved: number;
  /** The sent-count that covers the latest local edit: saved once `settled` reaches it. */
  mustSettle: number;
  refused: number;
  /** The server closed for good (access revoked, malformed…): no reconnection. */
  closedFor: string | null;
};

export type SaveEvent =
  | { type: "status"; status: SaveState["status"] }
  | { type: "synced" }
  | { type: "sent" }
  | { type: "localEdit" }
  | { type: "saved"; upTo: number }
  | { type: "refused"; messageNumber: number }
  | { type: "closed"; reason: string }
  /** A new connection with a fresh document (after a refused change): nothing of the old one is pending. */
  | { type: "reset" };

export const INITIAL_SAVE_STATE: SaveState = {
  status: "connecting",
  synced: false,
  sent: 0,
  settled: 0,
  unsaved: 0,
  mustSettle: 0,
  refused: 0,
  closedFor: null,
};

function settle(s: SaveState, settled: number): SaveState {
  const next = { ...s, settled: Math.max(s.settled, settled) };
  // Everything local went out before `mustSettle` was fixed (on sync or on the edit itself) and is now stored.
  if (next.synced && next.settled >= next.mustSettle && next.status === "connected") next.unsaved = 0;
  return next;
}

export function saveReducer(s: SaveState, e: SaveEvent): SaveState {
  switch (e.type) {
    case "status":
      if (e.status === s.status) return s;
      // A new connection numbers its messages from 1 again.
      return e.status === "connected"
        ? { ...s, status: e.status, synced: false, sent: 0, settled: 0, mustSettle: Number.POSITIVE_INFINITY }
        : { ...s, status: e.status, synced: false };
    case "synced":
      // The sync exchange has carried every queued edit: saved once what was sent so far is acknowledged.
      return settle({ ...s, synced: true, mustSettle: s.sent }, s.settled);
    case "sent":
      return { ...s, sent: s.sent + 1 };
    case "localEdit":
      return s.status === "connected" && s.synced
        ? { ...s, unsaved: s.unsaved + 1, mustSettle: s.sent }
        : { ...s, unsaved: s.unsaved + 1 };
    case "saved":
      return settle(s, e.upTo);
    case "refused":
      return settle({ ...s, refused: s.refused + 1 }, e.messageNumber);
    case "closed":
      return { ...s, closedFor: e.reason };
    case "reset":
      return INITIAL_SAVE_STATE;
  }
}

export type SaveLabel = { kind: "saved" | "saving" | "offline" | "readonly" | "closed"; text: string };

/** What the connection badge says. */
export function saveLabel(s: SaveState, writable: boolean): SaveLabel {
  if (s.closedFor) return { kind: "closed", text: `Disconnected: ${s.closedFor}` };
  if (s.status !== "connected") {
    const queued = s.unsaved > 0 ? ` · ${s.unsaved} edit${s.unsaved === 1 ? "" : "s"} queued` : "";
    return { kind: "offline", text: `Offline${queued}` };
  }
  if (!writable) return { kind: "readonly", text: s.synced ? "Live · read only" : "Connecting…" };
  if (!s.synced || s.unsaved > 0) return { kind: "saving", text: "Saving…" };
  return { kind: "saved", text: "Saved" };
}
