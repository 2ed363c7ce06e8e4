import { describe, expect, it } from "vitest";
import { diffStats, tokenizeWords, wordDiff, type DiffPart } from "./wordDiff";

const side = (parts: DiffPart[], which: "before" | "after") =>
  parts.filter((p) => p.kind === "same" || p.kind === (which === "before" ? "removed" : "added")).map((p) => p.text);

describe("wordDiff", () => {
  it("keeps identical text as one part", () => {
    expect(wordDiff("The camera pans left.", "The camera pans left.")).toEqual([{ kind: "same", text: "The camera pans left." }]);
    expect(wordDiff("", "")).toEqual([]);
  });

  it("marks a replaced word", () => {
    expect(wordDiff("The camera zooms in slowly.", "The camera dollies in slowly.")).toEqual([
      { kind: "same", text: "The camera " },
      { kind: "removed", text: "zooms " },
      { kind: "added", text: "dollies " },
      { kind: "same", text: "in slowly." },
    ]);
  });

  it("marks insertions and deletions at the edges", () => {
    expect(wordDiff("pans left", "The camera pans left")).toEqual([
      { kind: "added", text: "The camera " },
      { kind: "same", text: "pans left" },
    ]);
    expect(wordDiff("The camera pans left quickly", "The camera pans left")).toEqual([
      { kind: "same", text: "The camera pans left" },
      { kind: "removed", text: "quickly" },
    ]);
  });

  it("rebuilds the after side exactly and the before side word for word", () => {
    const before = "A man walks in.\nHe waves at the  camera, smiling warmly.";
    const after = "A man walks in from the left.\nHe waves at the camera.";
    const parts = wordDiff(before, after);
    expect(side(parts, "after").join("")).toBe(after);
    expect(tokenizeWords(side(parts, "before").join("")).map((w) => w.trim())).toEqual(tokenizeWords(before).map((w) => w.trim()));
    expect(diffStats(parts)).toEqual({ added: 5, removed: 4 });
  });

  it("treats a streaming prefix as everything after it removed", () => {
    const parts = wordDiff("The camera pans left.", "The camera");
    expect(parts[0]).toEqual({ kind: "same", text: "The camera" });
    expect(diffStats(parts).removed).toBe(2);
  });
});
