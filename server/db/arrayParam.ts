import { sql, type SQL } from "drizzle-orm";

/**
 * A PostgreSQL array literal ({"a","b"}) of strings, every element quoted and escaped: one text parameter carries the
 * array the same way through both drivers. postgres.js would serialise a JS array only with the server's array types
 * fetched, which the app's clients do not do (POSTGRES_OPTIONS in db/index.ts says why).
 */
export function arrayLiteral(values: readonly string[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ",";
    out += `"${values[i]!.replace(/[\\"]/g, "\\$&")}"`;
  }
  return `${out}}`;
}

/** `$n::text[]` bound to these strings. */
export function textArray(values: readonly string[]): SQL {
  return sql`${sql.param(arrayLiteral(values))}::text[]`;
}

/** `$n::uuid[]` bound to these ids. */
export function uuidArray(values: readonly string[]): SQL {
  return sql`${sql.param(arrayLiteral(values))}::uuid[]`;
}
