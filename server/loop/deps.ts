import type { Config } from "../config";
import type { Db } from "../db";
import type { RoomRegistry } from "../collab/rooms";
import type { ProjectSettings } from "../db/schema/media";
import type { ModelProvider } from "../pipeline/providers";
import type { Spec } from "../../shared/captionSpec/schema";
import type { Lexicon } from "../../shared/captionSpec/lexicon";

/** What the loop services need from the outside; built once per process (routes, CLI, bench, tests). */
export type LoopDeps = {
  db: Db;
  config: Config;
  rooms: RoomRegistry;
  /** The caption spec and its lint lexicon (tests may pass a small one). */
  loadSpec: () => Promise<{ spec: Spec; lexicon: Lexicon }>;
  /** The provider a project uses: its settings over the configuration. */
  providerFor: (settings: ProjectSettings) => ModelProvider;
  log: (msg: string) => void;
  /**
   * The time the loop stamps its rows with (stage audit rows, drafts, rounds, versions). Absent, as in production,
   * rows take the time they always did (the database's default, or the process clock); the demo seed sets a
   * simulated clock to replay weeks of history through these same services.
   */
  clock?: () => Date;
};
