/** Request paths of the caption specification (GET → {spec, lexicon}, cached by its ETag: the spec version). */
export const SPEC_PATHS = {
  spec: "/api/spec",
} as const;
