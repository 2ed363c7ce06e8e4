import { getLoadedSpec } from "../captionSpec/index";
import { loggerFor } from "../observability/logger";
import type { LoopDeps } from "./deps";
import type { DraftOutcome } from "./drafting";
import { providerForProject } from "./provider";
import { RevisionService } from "./revisions";

export type { LoopDeps } from "./deps";
export { applyTransition, type Requester, type TransitionOutcome } from "./transitions";
export { startDraft, type DraftOutcome } from "./drafting";
export { RevisionService, type RevisionOutcome } from "./revisions";
export { listRounds, getRound } from "./rounds";

/** The loop of one process (built once by createServices in app.ts): its deps and the revisions every request shares. */
export type Loop = {
  deps: LoopDeps;
  revisions: RevisionService;
  /** Drafts being generated, by task id (tests and the CLI await them). */
  drafts: Map<string, Promise<DraftOutcome>>;
};

export function createLoop(deps: LoopDeps): Loop {
  return { deps, revisions: new RevisionService(deps), drafts: new Map() };
}

/** Loop dependencies from the configuration: the repo's spec, providers from config and project settings. */
export function loopDepsFrom(base: Pick<LoopDeps, "db" | "config" | "rooms"> & Partial<LoopDeps>): LoopDeps {
  // The loop's lines are failures it recovered from (a draft or revision failed, a room write, a fallback to frames):
  // logged as errors, so LOG_LEVEL=error still shows them.
  const logger = loggerFor(base.config).child({ component: "loop" });
  return {
    loadSpec: () => getLoadedSpec(),
    providerFor: (settings) => providerForProject(base.config, settings),
    log: (msg) => logger.error(msg),
    ...base,
  };
}
