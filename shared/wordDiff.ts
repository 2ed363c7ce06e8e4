/**
 * Word-level diff of two texts (the draft and a revision, two reviewers' versions): a longest-common-subsequence
 * over words, with whitespace kept attached so joining the parts' text rebuilds either side exactly.
 */
export type DiffPart = { kind: "same" | "added" | "removed"; text: string };

/** Words with their trailing whitespace: "a  b\nc" → ["a  ", "b\n", "c"]; leading whitespace is its own token. */
export function tokenizeWords(text: string): string[] {
  return text.match(/^\s+|\S+\s*/g) ?? [];
}

/** Past this many word pairs the LCS table is skipped for a plain replace (bounded memory on hostile input). */
const MAX_CELLS = 4_000_000;

const key = (token: string) => token.trimEnd();

/** The parts that turn `before` into `after`; adjacent parts of one kind are merged. */
export function wordDiff(before: string, after: string): DiffPart[] {
  const a = tokenizeWords(before);
  const b = tokenizeWords(after);
  // Common prefix and suffix are cheap and shrink the table in the usual case (a few words changed).
  let start = 0;
  while (start < a.length && start < b.length && key(a[start] ?? "") === key(b[start] ?? "")) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && key(a[endA - 1] ?? "") === key(b[endB - 1] ?? "")) {
    endA--;
    endB--;
  }
  const parts: DiffPart[] = [];
  const push = (kind: DiffPart["kind"], text: string) => {
    if (!text) return;
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) last.text += text;
    else parts.push({ kind, text });
  };
  // The "after" side's whitespace wins for words both share, so the rendered revision reads as written.
  for (let i = 0; i < start; i++) push("same", b[i] ?? "");

  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  if (n * m > MAX_CELLS) {
    push("removed", midA.join(""));
    push("added", midB.join(""));
  } else {
    // lcs[i][j] = LCS length of midA[i:] and midB[j:], in one flat array.
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * w + j] =
          key(midA[i] ?? "") === key(midB[j] ?? "")
            ? (lcs[(i + 1) * w + j + 1] ?? 0) + 1
            : Math.max(lcs[(i + 1) * w + j] ?? 0, lcs[i * w + j + 1] ?? 0);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (key(midA[i] ?? "") === key(midB[j] ?? "")) {
        push("same", midB[j] ?? "");
        i++;
        j++;
      } else if ((lcs[(i + 1) * w + j] ?? 0) >= (lcs[i * w + j + 1] ?? 0)) {
        push("removed", midA[i++] ?? "");
      } else {
        push("added", midB[j++] ?? "");
      }
    }
    while (i < n) push("removed", midA[i++] ?? "");
    while (j < m) push("added", midB[j++] ?? "");
  }
  for (let k = endB; k < b.length; k++) push("same", b[k] ?? "");
  return parts;
}

/** Counts of words added and removed, for a one-line summary. */
export function diffStats(parts: readonly DiffPart[]): { added: number; removed: number } {
  const words = (t: string) => tokenizeWords(t).filter((w) => w.trim()).length;
  let added = 0;
  let removed = 0;
  for (const p of parts) {
    if (p.kind === "added") added += words(p.text);
    if (p.kind === "removed") removed += words(p.text);
  }
  return { added, removed };
}
