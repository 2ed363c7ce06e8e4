import { z } from "zod";
import { Aspect, ASPECTS } from "../domain";
import { CHAI_TOOL_TASK_IDS, CHAI_TOOL_TASK_NAMES } from "./chaiTool";

/**
 * The released CHAI test-split layout, as `chai import --chai FILE` accepts it: one JSON object per line (or one
 * JSON array) with these fields — the first name listed is the canonical one, the others are accepted aliases:
 *
 *   video              | video_path | video_name | path   the clip, relative to --videos DIR
 *   pre_caption        | precaption | pre-caption          the model's draft
 *   critique                                              the annotator's critique, plain text ("" when score 5)
 *   final_caption      | post_caption | caption            the revised caption
 *   pre_caption_score  | score                            1–5 (5 = the draft was already right); a number or a numeric string
 *   caption_type       | aspect | type                     subject | scene | motion | spatial | camera, or the CHAI tool's
 *                                                          task ids and names ("subject_motion_dynamics", "Subject Motion
 *                                                          and Dynamics"); case-insensitive, see aspectOfCaptionType
 *
 * Other fields are ignored. Our own `chai` export (shared/dataset/formats.ts ChaiRecord) is accepted as well and
 * recognised by its `video_sha256` field, and so is the CHAI annotation tool's export (shared/dataset/chaiTool.ts),
 * recognised by its `captions` and `video_id`.
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

/**
 * The names a caption type goes by, as words joined by "_" (see captionTypeKey), longest first so that a longer
 * name wins over its first word: the tool's task ids ("subject_motion_dynamics"), its task names ("Subject Motion
 * and Dynamics Caption") and their short forms ("Subject Motion"), and the single aspect words.
 */
const CAPTION_TYPE_NAMES: ReadonlyArray<readonly [string, Aspect]> = (() => {
  const names = new Map<string, Aspect>();
  for (const aspect of ASPECTS) {
    names.set(aspect, aspect);
    names.set(captionTypeKey(CHAI_TOOL_TASK_IDS[aspect]), aspect);
    names.set(captionTypeKey(CHAI_TOOL_TASK_NAMES[aspect]), aspect);
  }
  // The short forms the tool prints (export.py print_export_summary): "Scene Composition", "Subject Motion", …
  for (const [short, aspect] of [["scene_composition", "scene"], ["subject_motion", "motion"], ["spatial_framing", "spatial"], ["camera_framing", "camera"]] as const) {
    names.set(short, aspect);
  }
  return [...names].sort((a, b) => b[0].length - a[0].length);
})();

/** "Subject Motion and Dynamics Caption" → "subject_motion_dynamics": lower-case words without "and" and "caption". */
function captionTypeKey(value: string): string {
  return value
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w && w !== "and" && w !== "caption" && w !== "captions")
    .join("_");
}

/**
 * A caption type → its aspect, or null. The whole name decides: a known name, or a name that begins with one
 * ("camera motion" → camera, "subject_motion_dynamics_v2" → motion), never the first word alone — "Subject Motion
 * and Dynamics" is motion, not subject.
 */
export function aspectOfCaptionType(value: string): Aspect | null {
  const key = captionTypeKey(value);
  for (const [name, aspect] of CAPTION_TYPE_NAMES) {
    if (key === name || key.startsWith(`${name}_`)) return aspect;
  }
  return null;
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
