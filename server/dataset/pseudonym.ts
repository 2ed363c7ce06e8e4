import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * People in exports are pseudonyms: "p_" + 16 hex of HMAC-SHA256(secret, user id). The secret is per install, so
 * a pseudonym cannot be recomputed from a user id without it, and never carries an email or a name.
 * People created by an import keep the pseudonym they arrived with (their email is `<pseudonym>@IMPORTED_DOMAIN`),
 * so re-exporting imported data gives the same ids.
 */

export const IMPORTED_DOMAIN = "imported.invalid";
const PSEUDONYM = /^p_[0-9a-f]{16}$/;

export const isPseudonym = (s: string) => PSEUDONYM.test(s);

export function pseudonymFor(secret: Uint8Array, user: { id: string; email: string }): string {
  const [local, domain] = user.email.split("@");
  if (domain === IMPORTED_DOMAIN && local && isPseudonym(local)) return local;
  return `p_${createHmac("sha256", secret).update(user.id).digest("hex").slice(0, 16)}`;
}

/** Any other string that may name a person (a critique item's author): pseudonymised the same way. */
export function pseudonymForText(secret: Uint8Array, value: string): string {
  return isPseudonym(value) ? value : `p_${createHmac("sha256", secret).update(value).digest("hex").slice(0, 16)}`;
}

export const PSEUDONYM_KEY_FILE = "export-pseudonym.key";

/** The install's secret: DATA_DIR/export-pseudonym.key, created (32 random bytes, mode 0600) on first use. */
export function loadPseudonymSecret(dataDir: string): Uint8Array {
  const file = path.join(dataDir, PSEUDONYM_KEY_FILE);
  try {
    return new Uint8Array(fs.readFileSync(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    // "wx": when two exports start at once, the first writer wins and both read its key.
    fs.writeFileSync(file, randomBytes(32), { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return new Uint8Array(fs.readFileSync(file));
}
