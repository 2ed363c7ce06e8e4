import { constants as fsConstants } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { CLIPS_FOLDER, type ClipPlacement } from "../../shared/dataset/formats";

/**
 * Places the clips of an export beside its records, so the folder is used as it is: LLaMA-Factory joins each
 * `videos` path to `media_dir`, which defaults to `dataset_dir` — the export folder.
 *
 * A clip is named by its content, `videos/<sha256><ext>`: the same name on every install and after an import (so a
 * re-export gives identical files), one file per clip whatever the number of aspects, and no clash between two
 * clips of the same file name in different folders of the video root.
 */

/** The path a record names its clip by, relative to the export folder (always with forward slashes). */
export function clipRecordPath(sha256: string, storedPath: string): string {
  const ext = path.extname(storedPath).toLowerCase();
  return `${CLIPS_FOLDER}/${sha256}${/^\.[a-z0-9]{1,5}$/.test(ext) ? ext : ""}`;
}

export type PlacedBy = "hardlink" | "copy" | "symlink";

/** Errors of link(2) that mean "not here" (another file system, a file system without hard links), not "broken". */
const NO_HARD_LINK = new Set(["EXDEV", "EPERM", "ENOTSUP", "EOPNOTSUPP", "EMLINK"]);

const errnoCode = (err: unknown) => (err instanceof Error && "code" in err ? String(err.code) : "");

/** Whether `dest` already holds what placing `source` would give (an export written again into the same folder). */
async function alreadyPlaced(source: string, dest: string, placement: ClipPlacement): Promise<PlacedBy | null> {
  const stat = await fs.lstat(dest).catch(() => null);
  if (!stat) return null;
  if (placement === "symlink") return stat.isSymbolicLink() && (await fs.readlink(dest)) === source ? "symlink" : null;
  if (!stat.isFile()) return null;
  const src = await fs.stat(source);
  if (src.ino === stat.ino && src.dev === stat.dev) return "hardlink";
  // Content-named: a file of the same name and size is that clip, copied by an earlier run.
  return src.size === stat.size ? "copy" : null;
}

/**
 * Puts `source` (an absolute path of a stored clip) at `dest`: a hard link when `placement` is "link" and the
 * two are on one file system (no bytes written), else a copy (a reflink where the file system can); or a symlink to
 * the absolute source, for sets too big to duplicate (the folder then works only where that path exists).
 */
export async function placeClip(source: string, dest: string, placement: ClipPlacement): Promise<PlacedBy> {
  const kept = await alreadyPlaced(source, dest, placement);
  if (kept) return kept;
  await fs.mkdir(path.dirname(dest), { recursive: true });
  await fs.rm(dest, { force: true });
  if (placement === "symlink") {
    await fs.symlink(source, dest);
    return "symlink";
  }
  if (placement === "link") {
    try {
      await fs.link(source, dest);
      return "hardlink";
    } catch (err) {
      if (!NO_HARD_LINK.has(errnoCode(err))) throw err;
    }
  }
  await fs.copyFile(source, dest, fsConstants.COPYFILE_FICLONE);
  return "copy";
}
