import { parseFix } from "../../shared/critique/items";
import type { RevisionItem } from "./prompts";

/**
 * The rules reward: how many of the critique's fixes a candidate revision reflects. A replacement or an addition
 * counts when its text appears; a replaced or deleted quote must also occur fewer times than in the draft (unless
 * the replacement itself contains it). Fixes in free prose cannot be checked mechanically and are not counted.
 */

export type FixCheck = { itemId: string; ok: boolean; reason: string };
export type FixReport = { score: number; checked: number; checks: FixCheck[] };

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, " ").replace(/[.!?]+$/, "").trim();

function occurrences(haystack: string, needle: string): number {
  if (!needle) return 0;
  let n = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) n++;
  return n;
}

export function checkFixes(draft: string, candidate: string, items: readonly RevisionItem[]): FixReport {
  const text = norm(candidate);
  const before = norm(draft);
  const checks: FixCheck[] = [];
  for (const item of items) {
    const fix = parseFix(item.fix);
    const quote = norm(item.anchor?.quote ?? "");
    const quoteGone = () => !quote || occurrences(text, quote) < occurrences(before, quote);
    if (fix.kind === "free") continue;
    if (fix.kind === "delete") {
      const ok = Boolean(quote) && quoteGone();
      checks.push({ itemId: item.id, ok, reason: ok ? "the span was removed" : `"${item.anchor?.quote ?? ""}" is still there` });
      continue;
    }
    const wanted = norm(fix.text);
    if (!text.includes(wanted)) {
      checks.push({ itemId: item.id, ok: false, reason: `"${fix.text}" does not appear` });
      continue;
    }
    if (fix.kind === "replace" && quote && !wanted.includes(quote) && !quoteGone()) {
      checks.push({ itemId: item.id, ok: false, reason: `"${item.anchor?.quote ?? ""}" was not replaced` });
      continue;
    }
    checks.push({ itemId: item.id, ok: true, reason: "applied" });
  }
  const passed = checks.filter((c) => c.ok).length;
  return { score: checks.length ? passed / checks.length : 1, checked: checks.length, checks };
}
