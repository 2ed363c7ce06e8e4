import type { Finding } from "../../../../shared/captionSpec/lint";
import { constructiveProblems, type CritiqueItem } from "../../../../shared/critique/items";

/** What the annotator is asked to look at before handing the task in. */
export type SubmitCheck = {
  /** Items that are not constructive yet (no fix, a vague fix…), each with its problems in words. */
  vagueItems: { index: number; item: CritiqueItem; problems: string[] }[];
  /** The linter's findings on the text being submitted (the post-caption). */
  findings: Finding[];
  /** Nothing to confirm: every item constructive, no finding. */
  clean: boolean;
};

/** Pure: the check shown before submit. Anything found must be consciously accepted before submitting. */
export function submitCheck(items: readonly CritiqueItem[], findings: readonly Finding[]): SubmitCheck {
  const vagueItems = items
    .map((item, index) => ({ index, item, problems: constructiveProblems(item) }))
    .filter((v) => v.problems.length > 0);
  return { vagueItems, findings: [...findings], clean: vagueItems.length === 0 && findings.length === 0 };
}
