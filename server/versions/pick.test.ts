import { describe, expect, it } from "vitest";
import { finalVersion, inVersionOrder, latestVersion, latestVersionBy } from "./pick";

type V = { id: string; createdAt: Date; negative: "no" | "rejected"; authorRole: "annotator" | "reviewer" };
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const v = (id: string, s: number, over: Partial<V> = {}): V => ({ id, createdAt: at(s), negative: "no", authorRole: "annotator", ...over });

describe("which version counts", () => {
  it("orders by creation time whatever the input order; equal stamps keep their order", () => {
    expect(inVersionOrder([v("c", 3), v("a", 1), v("b", 2)]).map((x) => x.id)).toEqual(["a", "b", "c"]);
    expect(inVersionOrder([v("y", 1), v("x", 1)]).map((x) => x.id)).toEqual(["y", "x"]);
  });

  it("latest: the newest of any kind, optionally made at or before a moment", () => {
    const vs = [v("annotator", 1, { negative: "rejected" }), v("redo", 5, { authorRole: "reviewer" })];
    expect(latestVersion(vs)?.id).toBe("redo");
    expect(latestVersion([vs[0]!])?.id).toBe("annotator"); // a rejected version still counts as the latest
    expect(latestVersion(vs, at(4))?.id).toBe("annotator");
    expect(latestVersion(vs, at(5))?.id).toBe("redo"); // at or before
    expect(latestVersion(vs, at(0))).toBeUndefined();
    expect(latestVersion([])).toBeUndefined();
  });

  it("final: the newest not rejected, none when every version was rejected", () => {
    const rejected = v("first", 1, { negative: "rejected" });
    expect(finalVersion([v("redo", 5, { authorRole: "reviewer" }), rejected])?.id).toBe("redo");
    expect(finalVersion([rejected, v("resubmit", 3), v("later-rejected", 4, { negative: "rejected" })])?.id).toBe("resubmit");
    expect(finalVersion([rejected])).toBeUndefined();
    expect(finalVersion([])).toBeUndefined();
    // The documented fallback for callers that must show something (the lead's diff).
    expect((finalVersion([rejected]) ?? latestVersion([rejected]))?.id).toBe("first");
  });

  it("by role: the newest version an author of that role froze", () => {
    const vs = [v("a1", 1, { negative: "rejected" }), v("r1", 2, { authorRole: "reviewer" }), v("a2", 3)];
    expect(latestVersionBy(vs, "annotator")?.id).toBe("a2");
    expect(latestVersionBy(vs, "reviewer")?.id).toBe("r1");
    expect(latestVersionBy([vs[0]!], "reviewer")).toBeUndefined();
  });
});
