import { renderCritique } from "../../../../shared/critique/items";
import { checkFixes } from "../../score";
import type { RulesTask } from "../../prompts";
import { ProviderError } from "../errors";
import type { GenerateOptions, GenerateRequest, ModelProvider, StreamEvent } from "../types";
import { composeDraft, sentence } from "./draft";
import { applyCritique } from "./revise";

/**
 * The built-in provider: no network, no model. It reads the structured inputs behind a prompt (never the prose)
 * and says what it is — its name and model are "rules" — so nobody mistakes its output for a model's.
 */
export const RULES_MODEL = "rules-v1";

export function rulesOutput(task: RulesTask): string {
  switch (task.kind) {
    case "draft":
      return composeDraft(task);
    case "revision":
      return applyCritique(task).text;
    case "polish":
      // Mechanical tidying only: whitespace, capitals and full stops.
      return renderCritique(task.items.map((i) => ({ ...i, what: sentence(i.what), fix: sentence(i.fix) })));
    case "judge":
      return checkFixes(task.draft, task.candidate, task.items).score === 1 ? "Yes" : "No";
  }
}

/** Word-sized chunks, the way a model streams: each carries the whitespace before it. */
export function wordChunks(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

export function createRulesProvider(): ModelProvider {
  return {
    name: "rules",
    model: RULES_MODEL,
    async *generate(req: GenerateRequest, opts?: GenerateOptions): AsyncGenerator<StreamEvent> {
      if (!req.task) {
        throw new ProviderError("rules", "input", "rules: this request has no structured inputs (draft, revision, polish or judge)");
      }
      const text = rulesOutput(req.task);
      for (const chunk of wordChunks(text)) {
        if (opts?.signal?.aborted) throw new ProviderError("rules", "cancelled", "rules: the request was cancelled");
        yield { type: "text", text: chunk };
      }
    },
  };
}
