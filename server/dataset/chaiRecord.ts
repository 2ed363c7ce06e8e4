import { finalVersion } from "../versions";
import type { CritiqueItem } from "../../shared/critique/items";
import { parseStoredItems } from "../../shared/critique/stored";
import type { ChaiCritique, ChaiRecord } from "../../shared/dataset/formats";
import { VersionProvenance } from "../../shared/dataset/chaiTool";
import type { LabelValue } from "../../shared/labels";
import type { TaskBundle, VersionRow } from "./read";

/** How the record builder names people: a user id (or any other author string) → its pseudonym. */
export type Pseudonymise = (userIdOrName: string) => string;

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** Critique items as stored (shared/critique/stored.ts), with their authors pseudonymised. */
function items(stored: unknown, person: Pseudonymise): CritiqueItem[] {
  return parseStoredItems(stored).map((i) => ({ ...i, createdBy: person(i.createdBy) }));
}

function critiqueOf(v: VersionRow, person: Pseudonymise): ChaiCritique {
  return { items: items(v.critique, person), text: v.critiqueText, polished_text: v.polishedCritiqueText };
}

/** A version's stored tool provenance, checked and in the schema's key order (jsonb keeps its own order); else null. */
function provenanceOf(v: VersionRow): VersionProvenance | null {
  const parsed = VersionProvenance.safeParse(v.provenance);
  return parsed.success ? parsed.data : null;
}

/**
 * One `chai` record from a task's bundle (pure); null when the task has no accepted version yet. `video` is the
 * clip's path as the export names it (relative to the video root, or as stored).
 */
export function toChaiRecord(b: TaskBundle, video: string, person: Pseudonymise): ChaiRecord | null {
  // The record is of the task's final version (server/versions); rejected ones go out as negatives.
  const final = finalVersion(b.versions);
  if (!final) return null;
  const lastReview = b.reviews.at(-1);
  return {
    video,
    video_sha256: b.video.sha256,
    video_source: b.video.sourceName,
    project: b.projectName,
    aspect: b.task.aspect,
    spec_version: b.task.specVersion,
    stage: b.task.stage,
    created_at: iso(b.task.createdAt),
    submitted_at: isoOrNull(b.task.submittedAt),
    reviewed_at: isoOrNull(b.task.reviewedAt),
    annotator: b.task.annotatorId ? person(b.task.annotatorId) : null,
    primitives: b.labels.map((l) => ({
      primitive_id: l.primitiveId,
      value: l.value as LabelValue,
      not_sure: l.notSure,
      time_start: l.timeStart,
      time_end: l.timeEnd,
      note: l.note,
      labelled_by: person(l.labelledBy),
    })),
    facts: b.task.captionFacts,
    pre_caption: final.preCaption,
    pre_caption_model: b.draft,
    score: final.score,
    critique: critiqueOf(final, person),
    rounds: b.rounds.map((r) => ({
      n: r.n,
      status: r.status,
      critique_items: items(r.critique, person),
      critique_text: r.critiqueText,
      post_caption: r.postCaption,
      provider: r.provider,
      model: r.model,
      prompt_hash: r.promptHash,
      requested_by: r.requestedBy ? person(r.requestedBy) : null,
      started_at: iso(r.startedAt),
      finished_at: isoOrNull(r.finishedAt),
    })),
    post_caption: final.postCaption,
    author: person(final.authorId),
    author_role: final.authorRole,
    version_created_at: iso(final.createdAt),
    provenance: provenanceOf(final),
    verdict: lastReview?.decision ?? null,
    reviews: b.reviews.map((d) => ({ verdict: d.decision, note: d.note, reviewer: person(d.reviewerId), created_at: iso(d.createdAt) })),
    catches: b.catches.map((c) => ({
      kind: c.kind,
      item_id: c.itemId,
      quote: c.quote,
      time_start: c.timeStart,
      time_end: c.timeEnd,
      note: c.note,
      status: c.status,
      reviewer: person(c.reviewerId),
      created_at: iso(c.createdAt),
    })),
    negatives: b.versions
      .filter((v) => v.negative === "rejected")
      .map((v) => ({
        author: person(v.authorId),
        author_role: v.authorRole,
        pre_caption: v.preCaption,
        score: v.score,
        critique: critiqueOf(v, person),
        post_caption: v.postCaption,
        created_at: iso(v.createdAt),
        provenance: provenanceOf(v),
      })),
  };
}
