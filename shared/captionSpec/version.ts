/**
 * The spec version: "<semver>+<first 12 hex of the SHA-256 of the canonical content>". The semantic version is
 * bumped by hand; the hash changes with any edit of the validated content (a definition, a keyword, a lexicon
 * word), so two deployments with the same version string label against exactly the same spec.
 *
 * Hashing is injected (node:crypto on the server) so this module stays pure and synchronous for the client.
 */

/** Hex SHA-256 of a UTF-8 string. */
export type Sha256Hex = (text: string) => string;

export const CONTENT_HASH_LENGTH = 12;

/**
 * JSON with object keys sorted at every level and no whitespace: the same content always serialises to the same
 * string whatever the key order or formatting of the YAML it came from. `undefined` members are left out.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new Error("canonicalJson: non-finite number");
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function contentHash(content: unknown, sha256Hex: Sha256Hex): string {
  return sha256Hex(canonicalJson(content)).slice(0, CONTENT_HASH_LENGTH).toLowerCase();
}

export function specVersion(semver: string, hash: string): string {
  return `${semver}+${hash}`;
}

const VERSION = /^(\d+\.\d+\.\d+)\+([0-9a-f]{12})$/;

/** Splits a spec version into its parts; null when it is not one. */
export function parseSpecVersion(version: string): { semver: string; contentHash: string } | null {
  const m = VERSION.exec(version);
  return m ? { semver: m[1]!, contentHash: m[2]! } : null;
}
