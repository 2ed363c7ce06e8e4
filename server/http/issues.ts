import type { z } from "zod";

/**
 * Bad input in words: each problem once, named by its field when the schema's message does not already say it
 * (a message written as a sentence, ending in ".", is taken as it is). At most five, so a huge bad body cannot make
 * a huge answer; every issue still goes along in `details` for forms to place.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], what = "request"): string {
  const parts = issues.map((issue) => {
    if (issue.message.endsWith(".")) return issue.message;
    const field = issue.path.map(String).join(".");
    return field ? `${field}: ${issue.message}.` : `The ${what}: ${issue.message}.`;
  });
  const unique = [...new Set(parts)];
  const shown = unique.slice(0, 5).join(" ");
  return unique.length > 5 ? `${shown} (${unique.length - 5} more problems)` : shown;
}
