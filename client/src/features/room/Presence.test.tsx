import { describe, expect, it } from "vitest";
import { presenceRole } from "./Presence";

describe("presence", () => {
  it("names a trainee doing the work as a trainee, everyone else by the part they play", () => {
    expect(presenceRole({ role: "trainee", relation: "annotator" })).toBe("Trainee");
    expect(presenceRole({ role: "annotator", relation: "annotator" })).toBe("Annotator");
    expect(presenceRole({ role: "reviewer", relation: "reviewer" })).toBe("Reviewer");
    expect(presenceRole({ role: "trainer", relation: "trainer" })).toBe("Trainer");
  });
});
