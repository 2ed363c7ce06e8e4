import { describe, expect, it } from "vitest";
import { PRESENCE_FIELDS, knownPresenceFields } from "./presence";

/** What the schemas keep: the definition knownPresenceFields' predicates must agree with. */
function bySchema(state: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(PRESENCE_FIELDS)) {
    if (!(name in state)) continue;
    const parsed = schema.safeParse(state[name]);
    if (parsed.success) out[name] = parsed.data;
  }
  return out;
}

/** Deterministic (mulberry32), so a failure names a case that can be replayed. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("knownPresenceFields", () => {
  it("keeps exactly what the PRESENCE_FIELDS schemas accept, over 20,000 random states near the valid shapes", () => {
    const random = rng(19);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    /** Mostly valid leaves, each sometimes wrong: a state then often fails on one point only. */
    const leaf = (valid: readonly unknown[], invalid: readonly unknown[]) => (): unknown => (random() < 0.93 ? pick(valid) : pick(invalid));
    const junk = (): unknown => pick<unknown>([null, true, false, "x", "", [], [1], {}, 1, -1, { a: 1 }]);
    const count = leaf([0, -0, 1, 7, 12_345, 2 ** 53 - 1], [-1, 0.5, 2 ** 53, -(2 ** 53), NaN, Infinity, "1", null]);
    const assoc = leaf([0, -1, 1, -(2 ** 53 - 1)], [0.5, 2 ** 53, NaN, -Infinity, "0", null]);
    const time = leaf([0, -0, 1.5, 3_600, 86_400], [-0.001, 86_400.5, 1e300, NaN, Infinity, "1", null]);
    const maybe = <T,>(valid: () => T): unknown => (random() < 0.95 ? valid() : junk());
    const object = (fields: Record<string, () => unknown>, optional: readonly string[]): unknown => {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(fields)) {
        if (optional.includes(k) && random() < 0.3) continue;
        if (!optional.includes(k) && random() < 0.02) continue; // a required key missing
        o[k] = v();
      }
      if (random() < 0.04) o[pick(["extra", "user", "__proto__", "Type"])] = junk();
      return o;
    };
    const id = () => maybe(() => object({ client: count, clock: count }, []));
    const position = () =>
      maybe(() =>
        object({ type: id, tname: leaf(["", "x", "x".repeat(100)], ["x".repeat(101), 1, null]), item: id, assoc }, [
          "type",
          "tname",
          "item",
          "assoc",
        ]),
      );
    const cursor = () => (random() < 0.1 ? null : maybe(() => object({ anchor: position, head: position }, [])));
    const playhead = () => (random() < 0.1 ? null : maybe(() => object({ time, playing: leaf([true, false], ["true", 0, null]) }, [])));

    let kept = 0;
    let refused = 0;
    for (let i = 0; i < 20_000; i++) {
      const state = object({ cursor, playhead, other: junk }, ["cursor", "playhead", "other"]) as Record<string, unknown>;
      // States arrive as JSON text: parse what would be sent (a "__proto__" key then becomes an own property).
      const parsed = JSON.parse(JSON.stringify(state)) as Record<string, unknown>;
      for (const s of [state, parsed]) {
        const expected = bySchema(s);
        expect(knownPresenceFields(s), `case ${i}: ${JSON.stringify(s)}`).toEqual(expected);
        kept += Object.keys(expected).length;
        refused += ["cursor", "playhead"].filter((k) => k in s && !(k in expected)).length;
      }
    }
    // Both outcomes are well represented: the comparison is not all refusals (or all passes).
    expect(kept).toBeGreaterThan(10_000);
    expect(refused).toBeGreaterThan(5_000);
  });
});
