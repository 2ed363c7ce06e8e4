import { describe, expect, it } from "vitest";
import type { Finding } from "../../../../shared/captionSpec/lint";
import type { CritiqueItem } from "../../../../shared/critique/items";
import { submitCheck } from "./submitCheck";

const item = (id: string, what: string, fix: string): CritiqueItem => ({
  id,
  errorType: "wrong_term",
  primitiveId: null,
  what,
  fix,
  anchor: null,
  timeStart: 1,
  timeEnd: 2,
  createdBy: "u",
  createdAt: "2026-01-01T00:00:00Z",
});
const finding: Finding = { rule: "subjective", severity: "warning", start: 0, end: 5, text: "tense", message: "Subjective word", suggestion: "" };

describe("submitCheck", () => {
  it("is clean when every item is constructive and the text has no finding", () => {
    const check = submitCheck([item("a", "The camera trucks left, not pans.", 'Write "trucks left" instead of "pans left".')], []);
    expect(check.clean).toBe(true);
    expect(check.vagueItems).toEqual([]);
  });

  it("names each item that is not constructive, with its problems and its number", () => {
    const check = submitCheck([item("a", "Wrong move.", 'Write "trucks left".'), item("b", "", "")], [finding]);
    expect(check.clean).toBe(false);
    expect(check.vagueItems.map((v) => v.index)).toEqual([1]);
    expect(check.vagueItems[0]?.problems).toContain("It does not say what is wrong.");
    expect(check.findings).toHaveLength(1);
  });
});
