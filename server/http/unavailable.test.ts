import { describe, expect, it } from "vitest";
import { OutageGate } from "./outageGate";
import { outageLogger, unavailableCode } from "./unavailable";

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe("database outage errors", () => {
  it("recognises connection failures down the cause chain, and nothing else", () => {
    const refused = withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED");
    expect(unavailableCode(new Error("Failed query: select 1\nparams: secret", { cause: refused }))).toBe("ECONNREFUSED");
    expect(unavailableCode(new AggregateError([refused], "connect failed"))).toBe("ECONNREFUSED");
    expect(unavailableCode(withCode("write CONNECTION_CLOSED", "CONNECTION_CLOSED"))).toBe("CONNECTION_CLOSED");
    expect(unavailableCode(withCode("terminating connection due to administrator command", "57P01"))).toBe("57P01");
    expect(unavailableCode(withCode("the database system is starting up", "57P03"))).toBe("57P03");
    expect(unavailableCode(new Error("PGlite is closed"))).toBe("PGLITE_CLOSED");
    // A bad query, a constraint, a NUL byte: the client's or our fault, not an outage.
    expect(unavailableCode(withCode("duplicate key", "23505"))).toBeUndefined();
    expect(unavailableCode(withCode("invalid byte sequence for encoding UTF8: 0x00", "22021"))).toBeUndefined();
    expect(unavailableCode(new Error("boom"))).toBeUndefined();
    expect(unavailableCode("ECONNREFUSED")).toBeUndefined();
  });

  it("logs one line per burst with the count of the others, code only", () => {
    const lines: string[] = [];
    let now = 0;
    const log = outageLogger((l) => lines.push(l), 10_000, () => now);
    for (let i = 0; i < 50; i++) log("GET /api/tasks", "ECONNREFUSED");
    now = 10_001;
    log("GET /api/me", "ECONNREFUSED");
    expect(lines).toEqual([
      "[http] database unavailable: GET /api/tasks: ECONNREFUSED",
      "[http] database unavailable: GET /api/me: ECONNREFUSED (+49 more since the last line)",
    ]);
  });

  it("the outage gate stays down until a probe answers, one probe at a time", async () => {
    let answers = false;
    let inFlight = 0;
    let maxInFlight = 0;
    const gate = new OutageGate(async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return answers;
    });
    expect(gate.isDown).toBe(false);
    gate.markDown();
    gate.markDown();
    expect(gate.isDown).toBe(true);
    await new Promise((r) => setTimeout(r, 30));
    expect(gate.isDown).toBe(true);
    answers = true;
    const deadline = Date.now() + 10_000;
    while (gate.isDown && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(gate.isDown).toBe(false);
    expect(maxInFlight).toBe(1);
  });
});
