import { expect, it } from "vitest";
import { describeEachDb } from "../testing/db";
import { LOGIN_LIMITS, LoginLimits, retryInWords, slotDelaySec, type LoginAttempt, type LoginLimitPolicy } from "./loginLimits";

/** Production limits, with a long first delay slot so that none opens again while the test runs. */
const SLOW_SLOTS: LoginLimitPolicy = { ...LOGIN_LIMITS, account: { ...LOGIN_LIMITS.account, delayBaseSec: 30, delayMaxSec: 30 } };

describeEachDb("LoginLimits (counters in the database)", (db) => {
  it("reserves before verification: of 120 concurrent attempts on one account from one address, exactly the limit get through", async () => {
    const limits = new LoginLimits(db().db);
    const outcomes = await Promise.all(Array.from({ length: 120 }, () => limits.reserve("burst@test.local", "203.0.113.1")));
    const allowed = outcomes.filter((o): o is LoginAttempt => o.allowed);
    expect(allowed).toHaveLength(LOGIN_LIMITS.accountAddress.failures);
    await Promise.all(allowed.map((o) => o.failed()));
    for (const o of outcomes) if (!o.allowed) expect(o.retryAfterSec).toBeGreaterThan(0);
    // Another address is not locked out of the account (the account-wide allowance is not used up).
    expect((await limits.reserve("burst@test.local", "198.51.100.1")).allowed).toBe(true);
  });

  it("from many addresses at once: the free allowance plus one delay slot, then a refusal bounded by the cap", async () => {
    const limits = new LoginLimits(db().db, SLOW_SLOTS);
    const free = SLOW_SLOTS.account.freeFailures;
    const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => limits.reserve("spread@test.local", `192.0.2.${i + 1}`)));
    const allowed = outcomes.filter((o): o is LoginAttempt => o.allowed);
    expect(allowed).toHaveLength(free + 1);
    await Promise.all(allowed.map((o) => o.failed()));
    const owner = await limits.reserve("spread@test.local", "198.51.100.2");
    expect(owner.allowed).toBe(false);
    if (!owner.allowed) expect(owner.retryAfterSec).toBeLessThanOrEqual(SLOW_SLOTS.account.delayMaxSec);
  });

  it("a refused attempt gives back what it took, so refusals do not count as failures", async () => {
    const limits = new LoginLimits(db().db, SLOW_SLOTS);
    const n = SLOW_SLOTS.accountAddress.failures;
    const first = await Promise.all(Array.from({ length: n }, () => limits.reserve("giveback@test.local", "203.0.113.2")));
    await Promise.all(first.map((o) => (o.allowed ? o.failed() : undefined)));
    // 50 refusals on the locked pair must not use up the address's cap for other accounts.
    await Promise.all(Array.from({ length: 50 }, () => limits.reserve("giveback@test.local", "203.0.113.2")));
    const others = await Promise.all(
      Array.from({ length: SLOW_SLOTS.address.failures - n }, (_, i) => limits.reserve(`other${i}@test.local`, "203.0.113.2")),
    );
    expect(others.every((o) => o.allowed)).toBe(true);
  });

  it("caps attempts per address across accounts (spraying); the right password of another account from there waits, elsewhere not", async () => {
    const limits = new LoginLimits(db().db);
    const cap = LOGIN_LIMITS.address.failures;
    const outcomes = await Promise.all(Array.from({ length: cap + 20 }, (_, i) => limits.reserve(`sprayed${i}@test.local`, "203.0.113.3")));
    const allowed = outcomes.filter((o): o is LoginAttempt => o.allowed);
    expect(allowed).toHaveLength(cap);
    await Promise.all(allowed.map((o) => o.failed()));
    const blocked = await limits.reserve("admin@test.local", "203.0.113.3");
    expect(blocked.allowed).toBe(false);
    if (!blocked.allowed) expect(blocked.retryAfterSec).toBeGreaterThan(0);
    expect((await limits.reserve("admin@test.local", "203.0.113.4")).allowed).toBe(true);
  });

  it("success releases the reservation and forgets the consecutive failures of that address", async () => {
    const limits = new LoginLimits(db().db);
    const n = LOGIN_LIMITS.accountAddress.failures;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < n - 1; i++) {
        const a = await limits.reserve("owner@test.local", "198.51.100.3");
        expect(a.allowed).toBe(true);
        if (a.allowed) await a.failed();
      }
      const ok = await limits.reserve("owner@test.local", "198.51.100.3");
      expect(ok.allowed).toBe(true);
      if (ok.allowed) await ok.succeeded();
    }
  });
});

it("delay slots double from the base and stop at the cap; waits are said in words", () => {
  const policy = LOGIN_LIMITS.account;
  expect([1, 2, 3, 4].map((n) => slotDelaySec(policy, n))).toEqual([1, 2, 4, 8]);
  expect(slotDelaySec(policy, 50)).toBe(policy.delayMaxSec);
  expect(retryInWords(1)).toBe("1 second");
  expect(retryInWords(45)).toBe("45 seconds");
  expect(retryInWords(900)).toBe("15 minutes");
});
