import { describe, expect, it } from "vitest";
import { formatPoints, formatShare, monthRange, todayUtc } from "./figuresFormat";
import { payoutHref } from "./leadApi";

describe("figures formatting", () => {
  it("formats shares and points", () => {
    expect(formatShare(10 / 12)).toBe("83.3 %");
    expect(formatShare(1)).toBe("100.0 %");
    expect(formatShare(null)).toBe("—");
    expect(formatPoints(-2)).toBe("−2");
    expect(formatPoints(0.1 + 0.2)).toBe("0.3");
  });

  it("finds month ranges and today in UTC", () => {
    expect(monthRange("2026-12-15")).toEqual({ from: "2026-12-01", to: "2027-01-01" });
    expect(todayUtc(new Date("2026-11-24T23:59:00Z"))).toBe("2026-11-24");
  });

  it("builds the payout link", () => {
    expect(payoutHref("2026-11-01", "2026-12-01", "0.5")).toBe("/api/payouts.csv?from=2026-11-01&to=2026-12-01&rate=0.5");
  });
});
