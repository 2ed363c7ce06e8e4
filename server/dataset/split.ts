import { createHash } from "node:crypto";
import type { Split } from "../../shared/dataset/formats";

/**
 * Deterministic train/test split by video: the first 8 bytes of SHA-256("<seed>:<video sha256>") read as a
 * fraction in [0, 1); the clip is in test when that fraction is below the test share. Keyed by the clip's content
 * hash (not a database id), so the same clip lands in the same split on any install and after an import, every
 * aspect of a clip lands together, and a different seed gives a different split.
 */
export function splitOf(videoKey: string, testShare: number, seed: number): Split {
  if (testShare <= 0) return "train";
  const digest = createHash("sha256").update(`${seed}:${videoKey}`).digest();
  const fraction = Number(digest.readBigUInt64BE(0) >> 11n) / 2 ** 53;
  return fraction < testShare ? "test" : "train";
}

/** "test=0.1" → 0.1; throws with a readable message otherwise. */
export function parseSplit(value: string | undefined): number {
  if (value === undefined) return 0;
  const m = /^test=(0(?:\.\d+)?|1(?:\.0+)?|\.\d+)$/.exec(value.trim());
  if (!m) throw new Error(`--split must look like test=0.1 (a share between 0 and 1), got "${value}".`);
  return Number(m[1]);
}
