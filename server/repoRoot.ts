import fs from "node:fs";
import path from "node:path";

/**
 * The repository's root: the nearest folder above this module that holds package.json. Runtime files (spec/,
 * migrations/, demo/clips, dist/client, dist/pglite) are found from it, so they resolve the same whether the server
 * runs from its sources (tsx) or from the production bundle in dist/server, whose modules all share one location.
 */
export function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const REPO_ROOT = findRepoRoot(import.meta.dirname);

/** A path inside the repository. */
export const fromRoot = (...parts: string[]): string => path.join(REPO_ROOT, ...parts);
