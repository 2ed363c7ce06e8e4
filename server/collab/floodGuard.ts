import type { CollabLimits } from "../../shared/collab/limits";
import { TokenBucket } from "./tokenBucket";

export type FloodVerdict = { kind: "admit" } | { kind: "slow"; pauseMs: number } | { kind: "cut" };

/**
 * The per-connection message rate limit: a short burst is fine, a sustained flood is slowed (the socket stops being
 * read until the debt clears; the message itself is still handled), and a connection too far in debt is cut off.
 */
export class FloodGuard {
  private readonly bucket: TokenBucket;

  constructor(private readonly limits: Pick<CollabLimits, "messagesPerSecond" | "messageBurst" | "maxMessageDebt">) {
    this.bucket = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
  }

  /** Called once per incoming message. */
  admit(): FloodVerdict {
    const balance = this.bucket.take();
    if (balance >= 0) return { kind: "admit" };
    if (-balance > this.limits.maxMessageDebt) return { kind: "cut" };
    return { kind: "slow", pauseMs: this.bucket.msUntilClear() };
  }
}
