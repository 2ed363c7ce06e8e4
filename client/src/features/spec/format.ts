import type { ValueKind } from "../../../../shared/captionSpec/schema";

/** How a sub-aspect is answered, in a person's words. */
export function kindLabel(kind: ValueKind): string {
  return kind === "yes_no" ? "any that hold" : kind === "one_of" ? "choose one" : "start → end";
}
