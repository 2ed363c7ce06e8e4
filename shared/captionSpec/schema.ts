import { z } from "zod";
import { Aspect } from "../domain";

/**
 * The caption specification's file format (spec/<aspect>.yaml) and its loaded form. One source of truth: the
 * loader, the linter, the labelling panel, the prompts and the exports all read these types.
 */

/** How a primitive is labelled, declared once per sub-aspect and carried by each of its primitives when loaded:
 *  - yes_no: holds or not; any number of the sub-aspect's primitives may hold (multi-select);
 *  - one_of: exactly one of the sub-aspect's primitives holds (single-select);
 *  - start_end: one primitive at the start of the clip and one at the end (the same one when nothing changes). */
export const VALUE_KINDS = ["yes_no", "one_of", "start_end"] as const;
export const ValueKind = z.enum(VALUE_KINDS);
export type ValueKind = z.infer<typeof ValueKind>;

/** Lower-case snake_case segments joined by dots: aspect.sub_aspect.primitive. */
export const PRIMITIVE_ID = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;
export const SUB_ASPECT_ID = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

const text = z.string().trim().min(1);

export const PrimitiveFile = z.strictObject({
  id: z.string().regex(PRIMITIVE_ID, "must look like aspect.sub_aspect.name (lower-case snake_case)"),
  label: text,
  definition: text,
  rule: z.strictObject({
    /** When the primitive applies. */
    applies: text,
    /** When it does not, and what to choose instead. */
    doesNotApply: text,
  }),
  /** Ids of primitives people confuse with this one (dolly in ↔ zoom in). */
  confusables: z.array(z.string().regex(PRIMITIVE_ID)).default([]),
  /** The precise caption phrasing, e.g. "the camera dollies in toward the man". */
  phrasing: text,
  /** Imprecise or wrong terms people use for it ("zoom" for a dolly in). Lower case. */
  avoid: z.array(text).default([]),
  /** Words or phrases that, in a caption, show this primitive was mentioned (the linter's "mentioned" check). */
  keywords: z.array(text).min(1),
  /** True for primitives that need a free-text description when labelled (complex camera motion). */
  needsDescription: z.boolean().default(false),
  /** Some primitives are defined for people only (shot sizes framed on a body). */
  note: z.string().optional(),
});
export type PrimitiveFile = z.infer<typeof PrimitiveFile>;

export const SubAspectFile = z.strictObject({
  id: z.string().regex(SUB_ASPECT_ID, "must look like aspect.sub_aspect"),
  label: text,
  description: text,
  value: ValueKind,
  /** Labelling this sub-aspect is optional (e.g. overlays); required ones must be answered before drafting. */
  optional: z.boolean().default(false),
  primitives: z.array(PrimitiveFile).min(1),
});
export type SubAspectFile = z.infer<typeof SubAspectFile>;

export const CaptionPolicy = z.strictObject({
  /** What a caption of this aspect must cover, in the order it should be written. */
  covers: z.array(text).min(1),
  /** How to write it. */
  style: z.array(text).min(1),
  /** Aspects whose captions a draft of this aspect reads (motion reads subject; spatial reads subject and scene). */
  dependsOn: z.array(Aspect).default([]),
});
export type CaptionPolicy = z.infer<typeof CaptionPolicy>;

export const AspectFile = z.strictObject({
  aspect: Aspect,
  label: text,
  description: text,
  policy: CaptionPolicy,
  subAspects: z.array(SubAspectFile).min(1),
});
export type AspectFile = z.infer<typeof AspectFile>;

/** spec/spec.yaml: the index. */
export const SpecIndexFile = z.strictObject({
  name: text,
  /** Semantic version, bumped by hand when the meaning of the spec changes. */
  version: z.string().regex(/^\d+\.\d+\.\d+$/, "must be a semantic version like 1.2.0"),
  aspects: z.array(z.strictObject({ aspect: Aspect, file: text })).length(5),
  lexicon: text,
});

/** Loaded form: primitives carry their aspect, sub-aspect and value kind. */
export type Primitive = Omit<PrimitiveFile, never> & {
  aspect: z.infer<typeof Aspect>;
  subAspect: string;
  value: ValueKind;
};
export type SubAspect = Omit<SubAspectFile, "primitives"> & { aspect: z.infer<typeof Aspect>; primitives: Primitive[] };
export type AspectSpec = Omit<AspectFile, "subAspects"> & { subAspects: SubAspect[] };

export type Spec = {
  name: string;
  /** "1.0.0+<first 12 hex of the content hash>": every task and exported record carries it. */
  version: string;
  semver: string;
  contentHash: string;
  aspects: AspectSpec[];
  /** Every primitive by id. */
  primitives: Record<string, Primitive>;
};
