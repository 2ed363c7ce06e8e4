import type { Aspect } from "../../shared/domain";
import { ASPECTS } from "../../shared/domain";
import { EMPTY_FACTS } from "../../shared/captionFacts";
import { z } from "zod";
import { ChaiRecord } from "../../shared/dataset/formats";
import {
  CHAI_TOOL_CAPTION_ORDER,
  ChaiToolVideo,
  chaiToolTime,
  fromChaiToolTime,
  WORKFLOW_IMPROVED,
  WORKFLOW_PERFECT,
  PROVENANCE_FIELDS,
  type ChaiToolCaptionData,
  type ChaiToolCaptionDataOut,
  type ChaiToolStatus,
  type ChaiToolTaskEntryOut,
  type ChaiToolVideoOut,
  type ChaiToolWorkflowOut,
  type VersionProvenance,
} from "../../shared/dataset/chaiTool";
import type { ImportRecord } from "./importChai";

/**
 * Our `chai` records ⇄ the CHAI annotation tool's export (shared/dataset/chaiTool.ts). Pure. The rules:
 *
 * Status. The tool's `rejected` is "the reviewer rejected the annotator's caption and wrote an improved one": its
 * `caption_data` is the reviewer's version, `negative_example` the annotator's. That is our fix-and-approve, so:
 *   stage approved, last verdict approve (or none) → approved        reviewer_double_check true
 *   stage approved, last verdict fix_and_approve   → rejected        reviewer_double_check false
 *   submitted, in_review                           → completed_not_reviewed (no review fields, as the tool)
 *   every earlier stage, and rejected (sent back for a redo; the tool's exporter refuses that state) → not_completed
 * and a clip's aspect with no record is not_completed too (the tool writes all five codes for every video).
 * A tool `rejected` imports as stage approved with a fix_and_approve review by `reviewer`, the final version by the
 * reviewer and `negative_example` as the rejected annotator version; tasks `not_completed` or `error` import nothing.
 *
 * Fields of `caption_data` (and of `negative_example`, from the version it describes):
 *   user ← the version's author · timestamp ← the version's time · workflow_type, feedback_is_needed ← score (5:
 *   perfect_precaption, no feedback) · pre_caption, initial_caption_rating_score (score), final_caption
 *   (post_caption) · pre_caption_llm ← the draft's model · initial_feedback ← the critique as typed · gpt_feedback
 *   ← the polished critique (null when none) · final_feedback ← the critique that stands (polished, else typed) ·
 *   gpt_caption, gpt_caption_llm ← the last finished revision round made for this version (rounds are split between
 *   versions by time) · reviewer, review_timestamp, reviewer_double_check ← the last review (approved and rejected
 *   only) · original_annotator ← the task's annotator (rejected only). When feedback is not needed every feedback
 *   and revision field is null, as the tool writes them. People are pseudonyms: imported names are pseudonymised.
 *
 * Provenance. What we hold nowhere else is imported into the version's `provenance` (VersionProvenance:
 * pre_caption_prompt, pre_caption_llm, pre_caption_mode, gpt_feedback as the model returned it, gpt_feedback_llm,
 * gpt_feedback_prompt, feedback_rating_score, gpt_caption_prompt, gpt_caption_llm, caption_rating_score, and the
 * tool's texts of `timestamp` and `review_timestamp`, which keep microseconds and the tool's notation). On export a
 * field the version's provenance holds is written as held; a time text only while it still names the version's (the
 * last review's) instant. Versions made here have none: the fields we do not make read null, and times are written
 * as the tool writes them (naive ISO), in UTC.
 *
 * The clip. `video_url` and `video_id` ← the clip's source name (videos.source_name, the record's video_source):
 * an absolute URL is written as it is (and video_id = its last segment, the tool's get_video_id); otherwise video_url
 * is the export's own copy of the clip, relative to the tool files' folder, and video_id the last segment of the
 * source name (an upload's file name) or, without one, of that path. On import a URL is kept as the source name and
 * any other video_url gives way to video_id: a relative video_url is a path on the tool's server, which an export
 * replaces with the path to its copy. So a tool file with URLs comes back field for field, except the people.
 *
 * Not carried: task entries `not_completed` and `error` import nothing (every code we have is written back, a
 * missing task as not_completed); the lighting project's codes are not imported; a workflow_type or
 * feedback_is_needed that disagrees with the score is written from the score.
 */

type Round = ChaiRecord["rounds"][number];
type Review = ChaiRecord["reviews"][number];

/** What a `caption_data` describes: the final version or a negative one. */
type VersionView = {
  author: string;
  created_at: string;
  pre_caption: string;
  score: number | null;
  critique: ChaiRecord["critique"];
  post_caption: string;
  provenance: VersionProvenance | null;
};

const time = (iso: string | null) => (iso ? new Date(iso).getTime() : 0);

/** The tool's get_video_id: the last segment of the URL (or path). */
export const chaiToolVideoId = (video: string): string => video.split("/").at(-1) ?? video;

/** An absolute URL (scheme://…), as opposed to a path. */
export const isAbsoluteUrl = (s: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(s);

/** A provenance field when the version holds it (null and "" included), else what we make of our own data. */
function held<K extends keyof VersionProvenance>(p: VersionProvenance | null, key: K, ours: NonNullable<VersionProvenance[K]> | null): NonNullable<VersionProvenance[K]> | null {
  const value = p?.[key];
  return value === undefined ? ours : value;
}

/** The tool's own text of a time, while it still names `iso` (to our millisecond); else ours of `iso`. */
function timeText(text: string | null | undefined, iso: string): string {
  return text && fromChaiToolTime(text) === new Date(iso).toISOString() ? text : chaiToolTime(iso);
}

/** The tool status of a record (see the rules above). */
export function chaiToolStatusOf(r: Pick<ChaiRecord, "stage" | "reviews">): Exclude<ChaiToolStatus, "error"> {
  switch (r.stage) {
    case "approved":
      return r.reviews.at(-1)?.verdict === "fix_and_approve" ? "rejected" : "approved";
    case "submitted":
    case "in_review":
      return "completed_not_reviewed";
    default:
      return "not_completed";
  }
}

/**
 * The revision that made a version's post-caption: the last finished round after the previous version and not
 * after this one.
 */
function roundOf(r: ChaiRecord, at: string): Round | undefined {
  const versionTimes = [...r.negatives.map((n) => n.created_at), r.version_created_at].map(time);
  const end = time(at);
  const start = Math.max(-Infinity, ...versionTimes.filter((t) => t < end));
  return r.rounds
    .filter((x) => x.status === "done" && x.post_caption !== null)
    .filter((x) => {
      const t = time(x.finished_at ?? x.started_at);
      return t > start && t <= end;
    })
    .at(-1);
}

function workflowOf(v: VersionView, round: Round | undefined, preCaptionModel: ChaiRecord["pre_caption_model"]): ChaiToolWorkflowOut {
  const perfect = v.score === 5;
  const feedback = !perfect;
  const { text, polished_text } = v.critique;
  const p = v.provenance;
  return {
    user: v.author,
    timestamp: timeText(p?.timestamp, v.created_at),
    workflow_type: perfect ? WORKFLOW_PERFECT : WORKFLOW_IMPROVED,
    pre_caption: v.pre_caption,
    pre_caption_prompt: held(p, "pre_caption_prompt", null),
    pre_caption_llm: held(p, "pre_caption_llm", preCaptionModel?.model ?? null),
    pre_caption_mode: held(p, "pre_caption_mode", null),
    initial_caption_rating_score: v.score,
    feedback_is_needed: feedback,
    initial_feedback: feedback ? text : null,
    gpt_feedback: held(p, "gpt_feedback", feedback ? polished_text : null),
    gpt_feedback_llm: held(p, "gpt_feedback_llm", null),
    gpt_feedback_prompt: held(p, "gpt_feedback_prompt", null),
    feedback_rating_score: held(p, "feedback_rating_score", null),
    final_feedback: feedback ? (polished_text ?? text) : null,
    gpt_caption: feedback ? (round?.post_caption ?? null) : null,
    gpt_caption_prompt: held(p, "gpt_caption_prompt", null),
    gpt_caption_llm: held(p, "gpt_caption_llm", feedback && round ? round.model : null),
    caption_rating_score: held(p, "caption_rating_score", null),
    final_caption: v.post_caption,
  };
}

function reviewOf(review: Review | undefined, p: VersionProvenance | null): Partial<ChaiToolCaptionDataOut> {
  if (!review) return {};
  return {
    reviewer: review.reviewer,
    review_timestamp: timeText(p?.review_timestamp, review.created_at),
    reviewer_double_check: review.verdict !== "reject_and_redo" && review.verdict !== "fix_and_approve",
  };
}

/** One record → its task entry. */
export function chaiToolEntryOf(r: ChaiRecord): ChaiToolTaskEntryOut {
  const status = chaiToolStatusOf(r);
  if (status === "not_completed") return { status };
  const final: VersionView = {
    author: r.author,
    created_at: r.version_created_at,
    pre_caption: r.pre_caption,
    score: r.score,
    critique: r.critique,
    post_caption: r.post_caption,
    provenance: r.provenance,
  };
  const workflow = workflowOf(final, roundOf(r, r.version_created_at), r.pre_caption_model);
  if (status === "completed_not_reviewed") return { status, caption_data: workflow };
  const caption_data: ChaiToolCaptionDataOut = { ...workflow, ...reviewOf(r.reviews.at(-1), r.provenance) };
  if (status === "approved") return { status, caption_data };
  // The annotator's version the reviewer replaced: the newest rejected one (the draft model is the task's).
  const negative = [...r.negatives].sort((a, b) => time(a.created_at) - time(b.created_at)).at(-1);
  const original = negative?.author ?? r.annotator;
  if (original) caption_data.original_annotator = original;
  if (!negative) return { status, caption_data };
  return { status, caption_data, negative_example: workflowOf(negative, roundOf(r, negative.created_at), r.pre_caption_model) };
}

const STATUS_RANK: Record<Exclude<ChaiToolStatus, "error">, number> = { not_completed: 0, completed_not_reviewed: 1, rejected: 2, approved: 2 };

/**
 * The clip's `video_id` and `video_url` (see the rules): its source URL, or the export's copy of it. `clipPath` makes
 * a record's `video` relative to where the tool files are written.
 */
export function chaiToolClip(r: Pick<ChaiRecord, "video" | "video_source">, clipPath: (video: string) => string = (v) => v): { video_id: string; video_url: string } {
  const source = r.video_source;
  if (source && isAbsoluteUrl(source)) return { video_id: chaiToolVideoId(source), video_url: source };
  const url = clipPath(r.video);
  return { video_id: chaiToolVideoId(source ?? url), video_url: url };
}

/**
 * One clip's records (ours, any order) → one tool video, captions in the tool's order. The tool has one entry per
 * aspect; when a clip has several tasks of an aspect (overlap), the most advanced (then newest) is written and the
 * others are counted in `dropped`.
 */
export function toChaiToolVideo(
  records: readonly ChaiRecord[],
  clipPath?: (video: string) => string,
): { video: ChaiToolVideoOut; dropped: number } {
  const first = records[0];
  if (!first) throw new Error("a tool video needs at least one record");
  const chosen = new Map<Aspect, ChaiRecord>();
  let dropped = 0;
  for (const r of records) {
    if (r.video_sha256 !== first.video_sha256) throw new Error("records of different clips in one tool video");
    const held = chosen.get(r.aspect);
    if (held) {
      dropped++;
      const better =
        STATUS_RANK[chaiToolStatusOf(r)] - STATUS_RANK[chaiToolStatusOf(held)] || time(r.version_created_at) - time(held.version_created_at);
      if (better <= 0) continue;
    }
    chosen.set(r.aspect, r);
  }
  const captions: ChaiToolVideoOut["captions"] = {};
  for (const aspect of CHAI_TOOL_CAPTION_ORDER) {
    const r = chosen.get(aspect);
    captions[aspect] = r ? chaiToolEntryOf(r) : { status: "not_completed" };
  }
  return { video: { ...chaiToolClip(first, clipPath), captions }, dropped };
}

// ——— import ———

export class ChaiToolFormatError extends Error {}

/** The spec version imported tool tasks carry (they follow the CHAI authors' guidelines, not a spec of ours). */
export const CHAI_TOOL_SPEC_VERSION = "chai-tool";

export type ChaiToolImportContext = {
  projectName: string;
  /** The time for records whose times are missing or unreadable. */
  now: Date;
  /** A person's name in the tool → their pseudonym (an existing pseudonym is kept). */
  person: (name: string) => string;
};

export type ChaiToolImport = {
  records: ImportRecord[];
  /** Task entries imported as nothing, and why (not completed, an error entry, an unknown code). */
  skipped: string[];
};

const nonEmpty = (s: string | null | undefined): string | null => (s && s.trim() !== "" ? s : null);

/** The pre-caption's or revision's model provider, inferred from the model's name (the tool records names only). */
export function providerOfModel(model: string): string {
  if (/^(gpt|o\d|chatgpt)/i.test(model)) return "openai";
  if (/^gemini/i.test(model)) return "gemini";
  return "chai-tool";
}

const UNKNOWN_PERSON = "chai-tool:unknown";

/** What an import record must satisfy: a `chai` record whose clip hash is not known yet. */
const ToolImportRecord = ChaiRecord.extend({ video_sha256: z.null() });

type ToolVersion = { author: string; at: string; data: ChaiToolCaptionData };

/** The provenance fields a tool version carries (present keys only, values as written); null when it has none. */
export function provenanceFrom(d: ChaiToolCaptionData): VersionProvenance | null {
  const out: Record<string, unknown> = {};
  for (const key of PROVENANCE_FIELDS) if (d[key] !== undefined) out[key] = d[key];
  return Object.keys(out).length > 0 ? (out as VersionProvenance) : null;
}

/** The critique of one tool version: typed text, and the text that stands as the polished one (see the rules). */
function critiqueOf(d: ChaiToolCaptionData): ChaiRecord["critique"] {
  if (d.feedback_is_needed === false || d.initial_caption_rating_score === 5) return { items: [], text: "", polished_text: null };
  const typed = d.initial_feedback ?? "";
  const raw = nonEmpty(d.gpt_feedback);
  const stands = nonEmpty(d.final_feedback) ?? raw;
  // Final feedback equal to the typed text with no polish made: nothing was polished.
  return { items: [], text: typed, polished_text: stands !== null && !(raw === null && stands === typed) ? stands : null };
}

function roundFrom(v: ToolVersion, n: number): Round | null {
  const d = v.data;
  const caption = nonEmpty(d.gpt_caption);
  if (!caption || d.feedback_is_needed === false) return null;
  const model = nonEmpty(d.gpt_caption_llm) ?? "";
  return {
    n,
    status: "done",
    critique_items: [],
    // The revision was made from the polished critique as it then stood (the tool regenerates on re-polish).
    critique_text: nonEmpty(d.gpt_feedback) ?? nonEmpty(d.final_feedback) ?? d.initial_feedback ?? "",
    post_caption: caption,
    provider: model ? providerOfModel(model) : "chai-tool",
    model,
    prompt_hash: "",
    requested_by: v.author,
    started_at: v.at,
    finished_at: v.at,
  };
}

function postCaptionOf(d: ChaiToolCaptionData): string {
  return nonEmpty(d.final_caption) ?? nonEmpty(d.gpt_caption) ?? d.pre_caption ?? "";
}

/** A tool video object → import records, one per completed task of our five aspects. */
export function fromChaiToolVideo(obj: unknown, ctx: ChaiToolImportContext): ChaiToolImport {
  const parsed = ChaiToolVideo.safeParse(obj);
  if (!parsed.success) {
    throw new ChaiToolFormatError(`not a CHAI tool video: ${parsed.error.issues.map((i) => `${i.path.join(".") || "video"}: ${i.message}`).join("; ")}`);
  }
  const video = parsed.data;
  const at = ctx.now.toISOString();
  const timeOf = (s: string | null | undefined) => fromChaiToolTime(s) ?? at;
  const person = (name: string | null | undefined) => ctx.person(nonEmpty(name) ?? UNKNOWN_PERSON);
  // A URL names the clip by its last segment; a path is kept, so that a clip in a sub-folder of --videos is found.
  const url = isAbsoluteUrl(video.video_url);
  const clip = url ? video.video_id : video.video_url;
  const source = url ? video.video_url : video.video_id;
  const out: ChaiToolImport = { records: [], skipped: [] };

  for (const [code, entry] of Object.entries(video.captions)) {
    const aspect = (ASPECTS as readonly string[]).includes(code) ? (code as Aspect) : null;
    if (!aspect) {
      out.skipped.push(`${code}: not one of our aspects`);
      continue;
    }
    if (entry.status === "not_completed" || entry.status === "error") {
      out.skipped.push(`${code}: ${entry.status}${entry.error ? ` (${entry.error})` : ""}`);
      continue;
    }
    const data = entry.caption_data;
    if (!data) throw new ChaiToolFormatError(`${code}: status ${entry.status} without caption_data`);
    const rejected = entry.status === "rejected";
    const finalVersion: ToolVersion = { author: person(data.user), at: timeOf(data.timestamp), data };
    const neg = rejected && entry.negative_example ? entry.negative_example : null;
    const negative: ToolVersion | null = neg ? { author: person(neg.user), at: timeOf(neg.timestamp), data: neg } : null;
    const annotator = rejected ? person(data.original_annotator ?? neg?.user) : finalVersion.author;
    const reviewed = entry.status !== "completed_not_reviewed" && nonEmpty(data.reviewer) !== null;
    const reviewAt = reviewed ? timeOf(data.review_timestamp) : null;
    const rounds = [negative, finalVersion]
      .map((v) => (v ? roundFrom(v, 0) : null))
      .filter((r): r is Round => r !== null)
      .map((r, i) => ({ ...r, n: i + 1 }));
    const preModel = nonEmpty(data.pre_caption_llm);
    const createdAt = negative && time(negative.at) < time(finalVersion.at) ? negative.at : finalVersion.at;

    const record: ImportRecord = {
      video: clip,
      video_sha256: null,
      video_source: source,
      project: ctx.projectName,
      aspect,
      spec_version: CHAI_TOOL_SPEC_VERSION,
      stage: entry.status === "completed_not_reviewed" ? "submitted" : "approved",
      created_at: createdAt,
      submitted_at: negative?.at ?? finalVersion.at,
      reviewed_at: reviewAt,
      annotator,
      primitives: [],
      facts: EMPTY_FACTS,
      pre_caption: data.pre_caption ?? "",
      pre_caption_model: preModel ? { provider: providerOfModel(preModel), model: preModel } : null,
      score: data.initial_caption_rating_score ?? null,
      critique: critiqueOf(data),
      rounds,
      post_caption: postCaptionOf(data),
      author: finalVersion.author,
      author_role: rejected ? "reviewer" : "annotator",
      version_created_at: finalVersion.at,
      provenance: provenanceFrom(data),
      verdict: reviewed ? (rejected ? "fix_and_approve" : "approve") : null,
      reviews: reviewed && reviewAt ? [{ verdict: rejected ? "fix_and_approve" : "approve", note: "", reviewer: person(data.reviewer), created_at: reviewAt }] : [],
      catches: [],
      negatives: negative
        ? [
            {
              author: negative.author,
              author_role: "annotator",
              pre_caption: neg?.pre_caption ?? "",
              score: neg?.initial_caption_rating_score ?? null,
              critique: critiqueOf(negative.data),
              post_caption: postCaptionOf(negative.data),
              created_at: negative.at,
              provenance: provenanceFrom(negative.data),
            },
          ]
        : [],
    };
    const checked = ToolImportRecord.safeParse(record);
    if (!checked.success) {
      throw new ChaiToolFormatError(`${code}: ${checked.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    }
    out.records.push(checked.data);
  }
  return out;
}
