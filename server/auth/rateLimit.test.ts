import { describe, expect, it } from "vitest";
import { FailureLimiter } from "./rateLimit";

describe("FailureLimiter", () => {
  it("blocks a key after maxFailures and reports when it may retry", () => {
    let now = 1_000_000;
    const l = new FailureLimiter({ maxFailures: 3, windowMs: 60_000, maxKeys: 100, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(l.retryAfterSec("a")).toBe(0);
      l.recordFailure("a");
    }
    expect(l.retryAfterSec("a")).toBe(60);
    expect(l.retryAfterSec("b")).toBe(0);
    now += 30_000;
    expect(l.retryAfterSec("a")).toBe(30);
    now += 30_000;
    expect(l.retryAfterSec("a")).toBe(0);
  });

  it("forgets a key on reset", () => {
    const l = new FailureLimiter({ maxFailures: 1, windowMs: 60_000, maxKeys: 100 });
    l.recordFailure("a");
    expect(l.retryAfterSec("a")).toBeGreaterThan(0);
    l.reset("a");
    expect(l.retryAfterSec("a")).toBe(0);
  });

  it("never holds more than maxKeys entries", () => {
    const l = new FailureLimiter({ maxFailures: 1, windowMs: 60_000, maxKeys: 50 });
    for (let i = 0; i < 500; i++) l.recordFailure(`k${i}`);
    expect(l.size).toBe(50);
    expect(l.retryAfterSec("k499")).toBeGreaterThan(0);
    expect(l.retryAfterSec("k0")).toBe(0);
  });
});
