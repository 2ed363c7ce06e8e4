import { describe, expect, it } from "vitest";
import { batchLookups, perObject } from "./batch";

/** A loader that records each call's keys and answers key → key * 10 (odd keys unknown). */
function recorder() {
  const calls: number[][] = [];
  const load = async (keys: readonly number[]) => {
    calls.push([...keys]);
    return new Map(keys.filter((k) => k % 2 === 0).map((k) => [k, k * 10]));
  };
  return { calls, load };
}

describe("batchLookups", () => {
  it("answers the lookups of one turn with one load of the distinct keys", async () => {
    const { calls, load } = recorder();
    const get = batchLookups(load);
    const answers = await Promise.all([2, 4, 2, 3].map((k) => get(k)));
    expect(answers).toEqual([20, 40, 20, undefined]);
    expect(calls).toEqual([[2, 4, 3]]);
  });

  it("keeps nothing: a key asked again after its batch was sent is loaded again", async () => {
    let value = 1;
    const get = batchLookups(async (keys: readonly string[]) => new Map(keys.map((k) => [k, value])));
    expect(await get("a")).toBe(1);
    value = 2;
    expect(await get("a")).toBe(2);
  });

  it("splits a large turn into loads of at most maxBatch keys", async () => {
    const { calls, load } = recorder();
    const get = batchLookups(load, { maxBatch: 3 });
    await Promise.all([0, 2, 4, 6, 8, 10, 12].map((k) => get(k)));
    expect(calls.map((c) => c.length)).toEqual([3, 3, 1]);
  });

  it("holds lookups while maxInFlight loads are out, then sends them together", async () => {
    const calls: number[][] = [];
    const gates: (() => void)[] = [];
    const get = batchLookups(
      (keys: readonly number[]) => {
        calls.push([...keys]);
        return new Promise<Map<number, number>>((resolve) => gates.push(() => resolve(new Map(keys.map((k) => [k, k])))));
      },
      { maxInFlight: 1 },
    );
    const first = get(1);
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([[1]]);
    const later = [get(2), get(3)];
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([[1]]); // held: one load is out
    gates.shift()!();
    expect(await first).toBe(1);
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([[1], [2, 3]]);
    gates.shift()!();
    expect(await Promise.all(later)).toEqual([2, 3]);
  });

  it("fails only the lookups of a failing load, a synchronous throw included", async () => {
    let fail = true;
    const get = batchLookups((keys: readonly number[]) => {
      if (fail) throw new Error("down");
      return Promise.resolve(new Map(keys.map((k) => [k, k])));
    });
    const failed = await Promise.allSettled([get(1), get(2)]);
    expect(failed.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    expect(await get(1)).toBe(1);
  });
});

describe("perObject", () => {
  it("makes one value per object", () => {
    let made = 0;
    const of = perObject((o: { n: number }) => ({ n: o.n, id: ++made }));
    const a = { n: 1 };
    expect(of(a)).toBe(of(a));
    expect(of({ n: 1 })).not.toBe(of(a));
    expect(made).toBe(2);
  });
});
