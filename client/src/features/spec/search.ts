import type { Aspect } from "../../../../shared/domain";
import type { AspectSpec, Primitive, Spec, SubAspect } from "../../../../shared/captionSpec/schema";

/** The spec browser's list after search and aspect filter: aspects → sub-aspects → primitives, empty groups dropped. */
export type SpecListGroup = { aspect: AspectSpec; subAspects: { subAspect: SubAspect; primitives: Primitive[] }[] };

/**
 * Every word of the query must occur in the primitive's id, label or definition (case-insensitive), so
 * "dolly in" finds camera.movement_translation.dolly_in and "parallax forward" finds it by its definition.
 * Underscores and dots in ids count as spaces so "dolly_in" and "dolly in" both match.
 */
export function matchesQuery(primitive: Primitive, query: string): boolean {
  const words = normalise(query).split(" ").filter(Boolean);
  if (words.length === 0) return true;
  const haystack = normalise(`${primitive.id} ${primitive.label} ${primitive.definition}`);
  return words.every((w) => haystack.includes(w));
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[._\s]+/g, " ").trim();
}

export function filterSpec(spec: Pick<Spec, "aspects">, query: string, aspect: Aspect | null): SpecListGroup[] {
  const groups: SpecListGroup[] = [];
  for (const a of spec.aspects) {
    if (aspect && a.aspect !== aspect) continue;
    const subAspects = a.subAspects
      .map((subAspect) => ({ subAspect, primitives: subAspect.primitives.filter((p) => matchesQuery(p, query)) }))
      .filter((s) => s.primitives.length > 0);
    if (subAspects.length > 0) groups.push({ aspect: a, subAspects });
  }
  return groups;
}

/** The filtered primitives in display order, for ↑/↓ navigation. */
export function flatten(groups: SpecListGroup[]): Primitive[] {
  return groups.flatMap((g) => g.subAspects.flatMap((s) => s.primitives));
}
