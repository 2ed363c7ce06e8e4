import { describe, expect, it } from "vitest";
import { colourForUser } from "./presence";
import { decodeOwnMessage, encodeRefused, encodeSaved, isDocumentMessage, roomFromPath } from "./protocol";

describe("collab rules", () => {
  it("room paths", () => {
    expect(roomFromPath("/collab/task:0A1B2C3D-0000-4000-8000-000000000001")).toBe("task:0a1b2c3d-0000-4000-8000-000000000001");
    expect(roomFromPath("/collab/task%3A0a1b2c3d-0000-4000-8000-000000000001")).toBe("task:0a1b2c3d-0000-4000-8000-000000000001");
    expect(roomFromPath("/collab/task:nope")).toBeNull();
    expect(roomFromPath("/collab/other:0a1b2c3d-0000-4000-8000-000000000001")).toBeNull();
    expect(roomFromPath("/api/task:0a1b2c3d-0000-4000-8000-000000000001")).toBeNull();
  });

  it("our own messages round-trip and are told apart from y-websocket ones", () => {
    expect(decodeOwnMessage(encodeSaved(300))).toEqual({ type: "saved", upTo: 300 });
    expect(decodeOwnMessage(encodeRefused(7, "read_only"))).toEqual({ type: "refused", messageNumber: 7, reason: "read_only" });
    expect(decodeOwnMessage(new Uint8Array([0, 1, 0]))).toBeNull();
    expect(isDocumentMessage(new Uint8Array([0, 2, 0]))).toBe(true);
    expect(isDocumentMessage(new Uint8Array([0, 0, 0]))).toBe(false);
  });

  it("a stable colour per user", () => {
    expect(colourForUser("a")).toBe(colourForUser("a"));
    expect(colourForUser("a")).toMatch(/^#[0-9a-f]{6}$/);
    expect(colourForUser("a")).not.toBe(colourForUser("b"));
  });
});
