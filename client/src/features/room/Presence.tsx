import type { PresenceUser } from "../../../../shared/collab/presence";
import { ROLE_LABELS } from "../../../../shared/domain";
import type { Participant } from "./useRoom";
import { formatTimecode } from "../../../../shared/timecode";

type Props = {
  participants: Participant[];
  fps: number | null;
  followingId: string | null;
  onFollow(userId: string | null): void;
};

const RELATION_TEXT: Record<PresenceUser["relation"], string> = { annotator: "Annotator", reviewer: "Reviewer", trainer: "Trainer", lead: "Lead", admin: "Admin" };

/** The part a person plays in this room; a trainee doing the work is named as a trainee (their trainer follows them). */
export const presenceRole = (u: Pick<PresenceUser, "role" | "relation">) =>
  u.relation === "annotator" && u.role === "trainee" ? ROLE_LABELS.trainee : RELATION_TEXT[u.relation];

/** Who is in the room (one entry per person, however many tabs), their playhead, and "follow". */
export function Presence({ participants, fps, followingId, onFollow }: Props) {
  const people = new Map<string, Participant>();
  for (const p of participants) {
    const seen = people.get(p.user.id);
    if (!seen || (p.isSelf && !seen.isSelf)) people.set(p.user.id, p);
  }
  return (
    <ul className="presence" aria-label="Participants">
      {[...people.values()].map((p) => {
        const following = followingId === p.user.id;
        return (
          <li key={p.user.id} className={`presence-item${following ? " presence-following" : ""}`} data-testid="participant">
            <span className="avatar" style={{ background: p.user.colour }} aria-hidden="true">
              {p.user.name
                .split(/\s+/)
                .map((w) => w[0])
                .join("")
                .slice(0, 2)}
            </span>
            <span className="presence-name" title={`${p.user.name} · ${presenceRole(p.user)}`}>
              <span>
                {p.user.name.split(/\s+/)[0]}
                {p.isSelf && <span className="muted"> (you)</span>}
              </span>
              <span className="presence-role">
                {presenceRole(p.user)}
                {p.playhead && <> · {formatTimecode(p.playhead.time, fps)}</>}
              </span>
            </span>
            {!p.isSelf && (
              <button
                type="button"
                className={`btn btn-small${following ? " btn-primary" : ""}`}
                aria-pressed={following}
                onClick={() => onFollow(following ? null : p.user.id)}
                title="Lock your playhead to theirs (F)"
              >
                {following ? "Following" : "Follow"}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
