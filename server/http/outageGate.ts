import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import type { Database, Db } from "../db";
import type { ErrorBody } from "./errors";
import { UNAVAILABLE_RETRY_AFTER_SEC } from "./unavailable";

/** Pause between two probes of a database found down. */
const PROBE_PAUSE_MS = 1_000;

/**
 * Remembers that the database was found unreachable, so that the next requests are answered 503 at once instead of
 * queueing behind the driver's reconnection back-off (postgres.js waits up to 20 s between attempts: 30 requests
 * during an outage otherwise took minutes to fail). One background probe at a time re-opens the gate when the
 * database answers again.
 */
export class OutageGate {
  private down = false;
  private probing = false;

  constructor(private readonly ping: () => Promise<boolean>) {}

  get isDown(): boolean {
    return this.down;
  }

  /** The database answered (a readiness check, say): requests go through again at once. */
  markUp(): void {
    this.down = false;
  }

  /** The database failed a request: answer 503 until a probe succeeds. */
  markDown(): void {
    this.down = true;
    if (!this.probing) void this.probe();
  }

  private async probe(): Promise<void> {
    this.probing = true;
    try {
      while (this.down) {
        // Waits for the driver itself (no race with a timer), so probes never pile up in its queue.
        if (await this.ping().catch(() => false)) this.down = false;
        else await new Promise((r) => setTimeout(r, PROBE_PAUSE_MS).unref());
      }
    } finally {
      this.probing = false;
    }
  }
}

/** One gate per database, shared by the HTTP app and the collaboration upgrade of the process. */
const gates = new WeakMap<Db, OutageGate>();

export function outageGateFor(database: Database): OutageGate {
  let gate = gates.get(database.db);
  if (!gate) {
    gate = new OutageGate(() => database.ping());
    gates.set(database.db, gate);
  }
  return gate;
}

/** The gate of this database if an app made one (the collaboration upgrade asks before touching the database). */
export function existingOutageGate(db: Db): OutageGate | undefined {
  return gates.get(db);
}

/** The body of every "database unavailable" answer. */
export const UNAVAILABLE_BODY: ErrorBody = {
  error: { code: "unavailable", message: "The database cannot be reached right now. Try again in a few seconds." },
};

/** Answers 503 with Retry-After at once while the gate is down. */
export function outageGateMiddleware(gate: OutageGate) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (gate.isDown) return c.json(UNAVAILABLE_BODY, 503, { "Retry-After": String(UNAVAILABLE_RETRY_AFTER_SEC) });
    await next();
  });
}
