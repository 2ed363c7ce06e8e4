/**
 * The "13a" tokenisation of mteval-v13a.pl, as used by the standard corpus-BLEU implementations: punctuation is
 * split off, except periods and commas inside numbers, and dashes only after a digit.
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
  const trimmed = s.replace(/\s+/g, " ").trim();
  return trimmed === "" ? [] : trimmed.split(" ");
}
