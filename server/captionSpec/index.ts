import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import {
  formatSpecError,
  loadSpec,
  type LoadedSpec,
  type LoadResult,
  type SpecError,
  type SpecSourceFile,
} from "../../shared/captionSpec/loader";
import type { Spec } from "../../shared/captionSpec/schema";
import { fromRoot } from "../repoRoot";

/**
 * The spec as the server sees it: read from the repo's spec/ folder (or another folder), loaded with the shared
 * loader, cached per folder for the life of the process (restart to pick up edits).
 */

/** The repo's spec/ folder, found from this module's location so the cwd does not matter. */
export const DEFAULT_SPEC_DIR = fromRoot("spec");

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Thrown when the spec folder does not load; carries every error found. */
export class SpecLoadError extends Error {
  constructor(
    readonly dir: string,
    readonly errors: SpecError[],
  ) {
    super(`The caption spec in ${dir} does not load:\n${errors.map((e) => `  ${formatSpecError(e)}`).join("\n")}`);
    this.name = "SpecLoadError";
  }
}

/** Every YAML file of the folder, with paths relative to it (the index names its files relatively). */
export async function readSpecFiles(dir: string = DEFAULT_SPEC_DIR): Promise<SpecSourceFile[]> {
  const names = (await fs.readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  return Promise.all(
    names.map(async (name) => ({ path: name, text: await fs.readFile(path.join(dir, name), "utf8") })),
  );
}

/** Loads a folder without caching or throwing: for `spec check` and tests. */
export async function loadSpecDir(dir: string = DEFAULT_SPEC_DIR): Promise<LoadResult> {
  return loadSpec(await readSpecFiles(dir), { sha256Hex });
}

const cache = new Map<string, Promise<LoadedSpec>>();

/** The loaded spec and lexicon of a folder; rejects with SpecLoadError when it does not load. */
export function getLoadedSpec(dir: string = DEFAULT_SPEC_DIR): Promise<LoadedSpec> {
  const key = path.resolve(dir);
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = loadSpecDir(key).then((result) => {
      if (!result.ok) throw new SpecLoadError(key, result.errors);
      return { spec: result.spec, lexicon: result.lexicon };
    });
    // A failed load is not cached, so fixing the files and retrying works without a restart.
    loaded.catch(() => cache.delete(key));
    cache.set(key, loaded);
  }
  return loaded;
}

export async function getSpec(dir?: string): Promise<Spec> {
  return (await getLoadedSpec(dir)).spec;
}
