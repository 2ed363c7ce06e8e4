import type { DiffPart } from "../../../../shared/wordDiff";

/** A word diff as running text: added words marked <ins>, removed ones <del>. */
export function WordDiffText({ parts, className }: { parts: readonly DiffPart[]; className: string }) {
  return (
    <p className={className}>
      {parts.map((p, i) =>
        p.kind === "same" ? (
          <span key={i}>{p.text}</span>
        ) : p.kind === "added" ? (
          <ins key={i}>{p.text}</ins>
        ) : (
          <del key={i}>{p.text}</del>
        ),
      )}
    </p>
  );
}
