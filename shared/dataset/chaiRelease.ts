import { z } from "zod";
import { Aspect, ASPECTS } from "../domain";

/**
 * The released CHAI test-split layout, as `chai import --chai FILE` accepts it: one JSON object per line (or one
 * JSON array) with these fields — the first name listed is the canonical one, the others are accepted aliases:
 *
 *   video              | video_path | video_name | path   the clip, relative to --videos DIR
 *   pre_caption        | precaption | pre-caption          the model's draft
 *   critique                                              the annotator's critique, plain text ("" when score 5)
 *   final_caption      | post_caption | caption            the revised caption
 *   pre_caption_score  | score                            1–5 (5 = the draft was already right); a number or a numeric string
 *   caption_type       | aspect | type                     subject | scene | motion | spatial | camera (case-insensitive;
 *                                                          "camera_caption", "Camera motion" and the like map by their first word)
 *
 * Other fields are ignored. Our own `chai` export (shared/export/formats.ts ChaiRecord) is accepted as well and
 * recognised by its `video_sha256` field.
 */

export const RELEASE_FIELD_ALIASES = {
  video: ["video", "video_path", "video_name", "path"],
  pre_caption: ["pre_caption", "precaption", "pre-caption"],
  critique: ["critique"],
  final_caption: ["final_caption", "post_caption", "caption"],
  pre_caption_score: ["pre_caption_score", "score"],
  caption_type: ["caption_type", "aspect", "type"],
} as const;

type Field = keyof typeof RELEASE_FIELD_ALIASES;

function pick(obj: Record<string, unknown>, field: Field): unknown {
  for (const name of RELEASE_FIELD_ALIASES[field]) if (obj[name] !== undefined && obj[name] !== null) return obj[name];
  return undefined;
}

/** "Camera", "camera_caption", "camera motion" → "camera". */
export function aspectOfCaptionType(value: string): Aspect | null {
  const first = value.trim().toLowerCase().split(/[^a-z]+/)[0] ?? "";
  return (ASPECTS as readonly string[]).includes(first) ? (first as Aspect) : null;
}

const caption = z.string().max(200_000);

export const ReleasedChaiRecord = z.object({
  video: z.string().min(1).max(4096),
  pre_caption: caption,
  critique: caption.default(""),
  final_caption: caption,
  pre_caption_score: z.coerce.number().int().min(1).max(5).nullable().default(null),
  caption_type: z.string().min(1).max(100).transform((v, ctx) => {
    const aspect = aspectOfCaptionType(v);
    if (!aspect) {
      ctx.addIssue({ code: "custom", message: `unknown caption type "${v}" (expected one of ${ASPECTS.join(", ")})` });
      return z.NEVER;
    }
    return aspect;
  }),
});
export type ReleasedChaiRecord = z.infer<typeof ReleasedChaiRecord>;

/** Reads a released-layout object through the aliases; the result still needs ReleasedChaiRecord.parse. */
export function canonicalReleaseFields(obj: Record<string, unknown>): Record<Field, unknown> {
  return {
    video: pick(obj, "video"),
    pre_caption: pick(obj, "pre_caption"),
    critique: pick(obj, "critique"),
    final_caption: pick(obj, "final_caption"),
    pre_caption_score: pick(obj, "pre_caption_score"),
    caption_type: pick(obj, "caption_type"),
  };
}
