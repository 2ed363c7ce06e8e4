import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeIssues } from "./issues";

const Body = z.object({
  email: z.string().email(),
  password: z.string().min(8, "Passwords need at least 8 characters."),
  score: z.number().int().min(1).max(5),
});

describe("describeIssues", () => {
  it("names the field for zod's own messages and keeps sentences the schema wrote", () => {
    const r = Body.safeParse({ email: "nope", password: "short", score: 9 });
    expect(r.success).toBe(false);
    if (r.success) return;
    const text = describeIssues(r.error.issues, "request body");
    expect(text).toContain("email: ");
    expect(text).toContain("Passwords need at least 8 characters.");
    expect(text).toContain("score: ");
    expect(text).not.toContain("password: ");
  });

  it("says each problem once and caps the answer at five", () => {
    const Many = z.object(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, z.string()])));
    const r = Many.safeParse({});
    if (r.success) throw new Error("expected a failure");
    const text = describeIssues([...r.error.issues, ...r.error.issues]);
    expect(text.match(/f\d: /g)).toHaveLength(5);
    expect(text).toMatch(/\(3 more problems\)$/);
  });

  it("names the whole request when the problem has no field", () => {
    const r = z.array(z.string()).safeParse("x");
    if (r.success) throw new Error("expected a failure");
    expect(describeIssues(r.error.issues, "request body")).toMatch(/^The request body: /);
  });
});
