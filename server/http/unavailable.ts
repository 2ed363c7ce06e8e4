/**
 * Recognises "the database (or another backing service) cannot be reached right now" among thrown errors, so that
 * REST answers 503 with Retry-After and the room upgrade refuses with a retryable code instead of a 500.
 */

/** Seconds a client is told to wait before retrying while the database is unreachable. */
export const UNAVAILABLE_RETRY_AFTER_SEC = 5;

/** Socket-level failures (node) and postgres.js's own connection errors. */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/**
 * PostgreSQL SQLSTATEs meaning the server is going away or not accepting work: class 08 (connection exception),
 * admin/crash shutdown, "cannot connect now" (starting up), too many connections.
 */
function isUnavailableSqlState(code: string): boolean {
  return code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03" || code === "53300";
}

function codeOf(err: object): string | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** The code that made an error count as an outage (e.g. "ECONNREFUSED"), or undefined when it is not one. */
export function unavailableCode(err: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof err !== "object" || err === null) return undefined;
  const code = codeOf(err);
  if (code && (CONNECTION_CODES.has(code) || isUnavailableSqlState(code))) return code;
  // The embedded database closed under us (shutdown in progress).
  if (err instanceof Error && /PGlite is closed/i.test(err.message)) return "PGLITE_CLOSED";
  // drizzle wraps driver errors in `cause`; node reports a refused dual-stack connect as an AggregateError.
  const nested = [(err as { cause?: unknown }).cause, ...(err instanceof AggregateError ? err.errors : [])];
  for (const inner of nested) {
    const found = unavailableCode(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export function isUnavailable(err: unknown): boolean {
  return unavailableCode(err) !== undefined;
}

/**
 * One log line per outage burst: during an outage every request fails the same way, so the first failure is logged
 * and the rest are counted and reported with the next line after `everyMs`. Only the method, path and error code
 * are logged: never the failed query's parameters (which may hold user content).
 */
export function outageLogger(write: (line: string) => void, everyMs = 10_000, now: () => number = Date.now) {
  let lastAt = -Infinity;
  let suppressed = 0;
  return (what: string, code: string) => {
    const t = now();
    if (t - lastAt < everyMs) {
      suppressed++;
      return;
    }
    const more = suppressed > 0 ? ` (+${suppressed} more since the last line)` : "";
    write(`[http] database unavailable: ${what}: ${code}${more}`);
    lastAt = t;
    suppressed = 0;
  };
}
