import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { describeEachDb } from "../testing/db";
import { arrayLiteral, textArray, uuidArray } from "./arrayParam";

const AWKWARD = ["", "plain", 'quote " inside', "back\\slash", "trailing\\", "a,b", "{braces}", "NULL", "null", " spaced ", "tab\tnew\nline", "ünï 字 🎬"];

describeEachDb("array parameters as literals", (db) => {
  it("carry any string through unchanged, in order, empty elements and the word NULL included", async () => {
    const rows = await db()
      .db.select({ v: sql<string>`v` })
      .from(sql`unnest(${textArray(AWKWARD)}) with ordinality as t(v, i)`)
      .orderBy(sql`i`);
    expect(rows.map((r) => r.v)).toEqual(AWKWARD);
  });

  it("an empty array is an empty array, and uuids compare as uuids", async () => {
    const [empty] = await db().db.select({ n: sql<number>`cardinality(${textArray([])})::int` }).from(sql`(select 1) as one`);
    expect(empty!.n).toBe(0);
    const id = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
    const [hit] = await db().db.select({ ok: sql<boolean>`${id}::uuid = any(${uuidArray([id.toUpperCase()])})` }).from(sql`(select 1) as one`);
    expect(hit!.ok).toBe(true);
  });
});

it("arrayLiteral quotes every element and escapes quotes and backslashes", () => {
  expect(arrayLiteral([])).toBe("{}");
  expect(arrayLiteral(['a"b', "c\\d", ""])).toBe('{"a\\"b","c\\\\d",""}');
});
