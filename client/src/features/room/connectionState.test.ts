import { describe, expect, it } from "vitest";
import { INITIAL_SAVE_STATE, saveLabel, saveReducer, type SaveEvent, type SaveState } from "./connectionState";

const run = (events: SaveEvent[], from: SaveState = INITIAL_SAVE_STATE) => events.reduce(saveReducer, from);
const connected = run([{ type: "status", status: "connected" }, { type: "sent" }, { type: "synced" }, { type: "saved", upTo: 1 }]);

describe("save state", () => {
  it("is saved once connected, synced and acknowledged", () => {
    expect(saveLabel(connected, true)).toEqual({ kind: "saved", text: "Saved" });
  });

  it("is saving from a local edit until its message is acknowledged", () => {
    const editing = run([{ type: "sent" }, { type: "localEdit" }], connected);
    expect(saveLabel(editing, true).kind).toBe("saving");
    expect(saveLabel(run([{ type: "saved", upTo: 1 }], editing), true).kind).toBe("saving");
    expect(saveLabel(run([{ type: "saved", upTo: 2 }], editing), true).kind).toBe("saved");
  });

  it("counts queued edits while offline and is saved only after the next connection acknowledges its sync", () => {
    const offline = run([{ type: "status", status: "disconnected" }, { type: "localEdit" }, { type: "localEdit" }], connected);
    expect(saveLabel(offline, true)).toEqual({ kind: "offline", text: "Offline · 2 edits queued" });
    const back = run([{ type: "status", status: "connected" }, { type: "sent" }], offline);
    expect(saveLabel(back, true).kind).toBe("saving");
    // An old connection's acknowledgement numbers mean nothing on the new one before sync.
    const synced = run([{ type: "synced" }], back);
    expect(saveLabel(synced, true).kind).toBe("saving");
    expect(saveLabel(run([{ type: "saved", upTo: 1 }], synced), true).kind).toBe("saved");
  });

  it("starts over on a fresh connection after a refused change", () => {
    const refused = run([{ type: "sent" }, { type: "localEdit" }, { type: "refused", messageNumber: 2 }, { type: "closed", reason: "x" }], connected);
    expect(run([{ type: "reset" }], refused)).toEqual(INITIAL_SAVE_STATE);
  });

  it("shows read-only and permanent closes", () => {
    expect(saveLabel(connected, false).kind).toBe("readonly");
    expect(saveLabel(run([{ type: "closed", reason: "access revoked" }], connected), true)).toEqual({
      kind: "closed",
      text: "Disconnected: access revoked",
    });
  });
});
