import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "../db";
import { rateLimits } from "../db/schema/index";

/**
 * How hard sign-in guessing is limited. Three counters, all in the database (rate_limits) so that every process
 * shares them, on both PGlite and PostgreSQL (rate-limiter-flexible's Drizzle store: one atomic upsert per count):
 *
 * - account + address: consecutive failures of one address on one account; past the limit that address is locked
 *   out of that account for a while (the attacker's burst), while the owner elsewhere is not;
 * - address: failures of one address over all accounts (spraying many accounts from one place);
 * - account: failures on one account from anywhere; past a free allowance each attempt needs a slot that opens
 *   after a delay doubling with the failures, capped: guessing from many addresses is slowed, and the owner from a
 *   fresh address waits at most the cap.
 *
 * The account counters end with a successful sign-in; the address's count does not (it spans accounts). A refusal
 * (429) never reaches the password check and counts as no failure.
 */
export type LoginLimitPolicy = {
  accountAddress: { failures: number; windowSec: number; blockSec: number };
  address: { failures: number; windowSec: number; blockSec: number };
  account: { freeFailures: number; windowSec: number; delayBaseSec: number; delayMaxSec: number };
};

export const LOGIN_LIMITS: LoginLimitPolicy = {
  accountAddress: { failures: 10, windowSec: 60 * 60, blockSec: 15 * 60 },
  address: { failures: 100, windowSec: 60 * 60, blockSec: 60 * 60 },
  account: { freeFailures: 10, windowSec: 60 * 60, delayBaseSec: 1, delayMaxSec: 30 },
};

/** A sign-in attempt allowed to verify its password; it must report how that went. */
export type LoginAttempt = {
  allowed: true;
  /** The right password: the account's failures are forgotten and the address's reservation released. */
  succeeded(): Promise<void>;
  /** The wrong password (or an unknown or inactive account): the reservation stays, counted as a failure. */
  failed(): Promise<void>;
};
export type LoginRefusal = { allowed: false; retryAfterSec: number };

/** Seconds of the delay slot for the n-th failure past the free allowance (n ≥ 1). */
export function slotDelaySec(policy: LoginLimitPolicy["account"], over: number): number {
  return Math.min(policy.delayMaxSec, policy.delayBaseSec * 2 ** Math.min(30, over - 1));
}

type Limiter = RateLimiterDrizzle;

/** A refusal from the store (the limit is reached), as opposed to an error reaching it (propagated: 503). */
function refusedBy(err: unknown): RateLimiterRes | undefined {
  return err instanceof RateLimiterRes ? err : undefined;
}

export class LoginLimits {
  private readonly accountAddress: Limiter;
  private readonly address: Limiter;
  private readonly accountFailures: Limiter;
  private readonly accountSlot: Limiter;

  constructor(
    db: Db,
    private readonly policy: LoginLimitPolicy = LOGIN_LIMITS,
  ) {
    const store = (keyPrefix: string, points: number, duration: number, blockDuration = 0, clearExpiredByTimeout = false) =>
      new RateLimiterDrizzle({ storeClient: db, schema: rateLimits, keyPrefix, points, duration, blockDuration, clearExpiredByTimeout });
    // One of them sweeps expired rows for all (same table).
    this.accountAddress = store("login_acct_addr", policy.accountAddress.failures, policy.accountAddress.windowSec, policy.accountAddress.blockSec, true);
    this.address = store("login_addr", policy.address.failures, policy.address.windowSec, policy.address.blockSec);
    // A pure counter: never refuses by itself; the slot below is the gate.
    this.accountFailures = store("login_acct", 1_000_000, policy.account.windowSec);
    this.accountSlot = store("login_acct_slot", 1, policy.account.delayBaseSec);
  }

  /**
   * Reserves the right to verify one password, before it is verified: every counter is taken atomically in the
   * database, so a burst sent at once gets no more verifications than the limits allow. A refused attempt gives
   * back what it had taken from the counters that accepted it.
   */
  async reserve(email: string, address: string): Promise<LoginAttempt | LoginRefusal> {
    const accountAddressKey = `${email}|${address}`;
    const taken: (() => Promise<unknown>)[] = [];
    const giveBack = () => Promise.all(taken.map((release) => release()));
    try {
      // Most specific first: an attacker's burst on one account stops here, before touching the shared counters.
      await this.accountAddress.consume(accountAddressKey);
      taken.push(() => this.accountAddress.reward(accountAddressKey));
      await this.address.consume(address);
      taken.push(() => this.address.reward(address));
      const counted = await this.accountFailures.consume(email);
      taken.push(() => this.accountFailures.reward(email));
      const over = counted.consumedPoints - this.policy.account.freeFailures;
      if (over > 0) await this.accountSlot.consume(email, 1, { customDuration: slotDelaySec(this.policy.account, over) });
    } catch (err) {
      const refusal = refusedBy(err);
      await giveBack().catch(() => {});
      if (!refusal) throw err;
      return { allowed: false, retryAfterSec: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
    }
    return {
      allowed: true,
      succeeded: async () => {
        // The right password ends the account's run of failures (as consecutive-failure counters do); the address
        // keeps its other failures, released only by this attempt's own reservation.
        await Promise.all([
          this.accountAddress.delete(accountAddressKey),
          this.accountFailures.delete(email),
          this.accountSlot.delete(email),
          this.address.reward(address),
        ]);
      },
      failed: async () => {},
    };
  }
}

/** "Try again in 40 seconds." / "… in 15 minutes." */
export function retryInWords(seconds: number): string {
  if (seconds < 120) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}
