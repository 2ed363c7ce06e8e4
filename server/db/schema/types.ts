import { customType } from "drizzle-orm/pg-core";

/** Drizzle 0.45 has no bytea column. PGlite returns Uint8Array, postgres.js a Buffer: normalise to Uint8Array. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType() {
    return "bytea";
  },
  toDriver(value) {
    return value;
  },
  fromDriver(value) {
    return value instanceof Uint8Array && value.constructor === Uint8Array
      ? value
      : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  },
});
