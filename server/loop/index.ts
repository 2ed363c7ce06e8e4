import type { AppDeps } from "../context";
import { PgStorage } from "../collab/pgStorage";
import { RoomRegistry } from "../collab/rooms";
import { getLoadedSpec } from "../captionSpec/index";
import type { LoopDeps } from "./deps";
import type { DraftOutcome } from "./drafting";
import { providerForProject } from "./provider";
import { RevisionService } from "./revisions";

export type { LoopDeps } from "./deps";
export { applyTransition, type Requester, type TransitionOutcome } from "./transitions";
export { startDraft, type DraftOutcome } from "./drafting";
export { RevisionService, type RevisionOutcome } from "./revisions";
export { listRounds, getRound } from "./rounds";

/** The loop of one process: its dependencies and the revision coordinator every request must share. */
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
  return {
    loadSpec: () => getLoadedSpec(),
    providerFor: (settings) => providerForProject(base.config, settings),
    log: base.config.logLevel === "silent" ? () => {} : (msg) => console.error(msg),
    ...base,
  };
}

const loops = new WeakMap<AppDeps, Loop>();

/**
 * The loop of an app: one per AppDeps, so routes and tests share its revision coordinator. Without a rooms
 * registry (an app built without the WebSocket server, as in API tests) it gets its own on the same database:
 * the documents are the same rows, only nobody is connected live. `overrides` apply on the first call (tests pass
 * a spec or a provider this way, before the first request).
 */
export function loopOf(deps: AppDeps, overrides: Partial<LoopDeps> = {}): Loop {
  let loop = loops.get(deps);
  if (!loop) {
    const rooms = deps.rooms ?? new RoomRegistry({ storage: new PgStorage(deps.database.db) });
    loop = createLoop(loopDepsFrom({ db: deps.database.db, config: deps.config, rooms, ...overrides }));
    loops.set(deps, loop);
  }
  return loop;
}
