import { useMemo } from "react";
import type { RevisionState } from "../../../../shared/room/document";
import { diffStats, wordDiff } from "../../../../shared/wordDiff";
import { WordDiffText } from "./WordDiffText";

/** The model's revision as it streams into the room's `post` text, diffed word by word against the draft. */
export function PostCaption({ draft, post, revision }: { draft: string; post: string; revision: RevisionState }) {
  const parts = useMemo(() => (post ? wordDiff(draft, post) : []), [draft, post]);
  const stats = diffStats(parts);
  return (
    <div className="post" data-testid="post-caption">
      <div className="post-status">
        {revision.status === "running" ? (
          <span className="live-dot">Revising{revision.n ? ` · round ${revision.n}` : ""}…</span>
        ) : revision.status === "failed" ? (
          <span className="alert-inline">Revision failed: {revision.error ?? "unknown error"}</span>
        ) : post ? (
          <span className="muted">
            +{stats.added} / −{stats.removed} words vs the draft
          </span>
        ) : (
          <span className="muted">No revision yet. It streams in here when the model revises the draft from the critique.</span>
        )}
      </div>
      {post && <WordDiffText parts={parts} className="post-text" />}
    </div>
  );
}
