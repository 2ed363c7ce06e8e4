/**
 * Python's whitespace (str.isspace, which str.split() and str.rstrip() use): JavaScript's \s differs — it has
 * U+FEFF and lacks U+001C–U+001F and U+0085 — and sacreBLEU splits tokens the Python way.
 */
const PY_SPACE = "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PY_SPACES = new RegExp(`[${PY_SPACE}]+`, "g");
const PY_TRAILING_SPACE = new RegExp(`[${PY_SPACE}]+$`);

/** str.split() with no argument: runs of whitespace separate, none at either end. */
export const pySplit = (s: string): string[] => s.split(PY_SPACES).filter((t) => t !== "");

/** str.rstrip() with no argument. */
export const pyRstrip = (s: string): string => s.replace(PY_TRAILING_SPACE, "");

/**
 * The "13a" tokenisation of mteval-v13a.pl as sacreBLEU implements it (tokenizer_13a.py + tokenizer_re.py):
 * punctuation is split off, except periods and commas inside numbers, and dashes only after a digit.
 */
export function tokenize13a(line: string): string[] {
  let s = line.replace(/<skipped>/g, "").replace(/-\n/g, "").replace(/\n/g, " ");
  if (s.includes("&")) {
    s = s.replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
  }
  s = ` ${s} `;
  s = s.replace(/([{-~[-` -&(-+:-@/])/g, " $1 ");
  s = s.replace(/([^0-9])([.,])/g, "$1 $2 ");
  s = s.replace(/([.,])([^0-9])/g, " $1 $2");
  s = s.replace(/([0-9])(-)/g, "$1 $2 ");
  return pySplit(s);
}
